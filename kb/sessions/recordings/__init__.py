"""Recordings of past sessions: media, attachments, transcripts, watched marks."""
