"""Video bytes for tests. kb checks that an uploaded video's content is the container its name
claims (``kb/sessions/recordings/media.py``), so every stand-in begins as a real file does:
``webm_like`` puts a real WebM's header (its EBML header, which says "webm") before whatever
bytes a test wants stored and served back. ``MP4`` and ``WEBM`` are real 75-second videos
(16x16 px, made with ffmpeg)."""

from __future__ import annotations

from pathlib import Path

MEDIA = Path(__file__).resolve().parent / "data" / "media"
MP4 = (MEDIA / "seventy-five-seconds.mp4").read_bytes()
WEBM = (MEDIA / "seventy-five-seconds.webm").read_bytes()
# ID 1A45DFA3, a one-byte size (0x9F: 31), then the 31 bytes of the header's elements
WEBM_HEADER = WEBM[:4 + 1 + (WEBM[4] & 0x7F)]


def webm_like(rest: bytes) -> bytes:
    """A WebM header, then ``rest``: accepted as a WebM upload, though no player could play it."""
    return WEBM_HEADER + rest
