"""A recording's transcript as WebVTT captions for its player's <track>: each timed segment a
cue, its text escaped so that no markup, entity or timing arrow in it is read as WebVTT's."""

from __future__ import annotations

from collections.abc import Iterable

from kb.sessions.models import TranscriptSegment

# the languages a transcript may be in, each named as its speakers name it (the player's
# captions menu shows the name); a recording says English, the portal's language, unless told
LANGUAGES = {
    "en": "English", "de": "Deutsch", "fr": "Français", "es": "Español", "it": "Italiano",
    "nl": "Nederlands", "pt": "Português", "pl": "Polski", "sv": "Svenska", "da": "Dansk",
    "ja": "日本語", "zh": "中文",
}
DEFAULT_LANGUAGE = "en"


def webvtt(segments: Iterable[TranscriptSegment]) -> str:
    cues = [f"{number}\n{_timestamp(s.start_ms)} --> {_timestamp(s.end_ms)}\n{_cue_text(s.text)}"
            for number, s in enumerate(segments, start=1)]
    return "WEBVTT\n\n" + "".join(cue + "\n\n" for cue in cues)


def _timestamp(milliseconds: int) -> str:
    seconds, fraction = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02}:{minutes:02}:{seconds:02}.{fraction:03}"


def _cue_text(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (so "-->" cannot end the cue's text early or start a
    timing), on lines without blank ones between (a blank line ends a cue)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = [line.strip() for line in escaped.splitlines()]
    return "\n".join(line for line in lines if line) or "&nbsp;"
