"""WebVTT and SRT transcripts: parsed into timed segments, or refused with every problem found
as ``line N: what is wrong``."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import BinaryIO

from kb.errors import Invalid, TooLarge

MAX_REPORTED_PROBLEMS = 20
MAX_TRANSCRIPT_BYTES = 5 * 1024 * 1024  # hours of captions; a bigger file is not a transcript
# the latest a cue may start or end: far beyond any recording, well inside what the database
# and the index hold (milliseconds in 32 bits)
MAX_CUE_MS = 100 * 3600 * 1000
MAX_HOUR_DIGITS = 3
SHOWN_CHARACTERS = 40  # of a value quoted in a problem: the file may hold megabytes on a line
TIMING = re.compile(r"^(?P<start>\S+)[ \t]+-->[ \t]+(?P<end>\S+)(?P<settings>.*)$")
VTT_TIME = re.compile(r"^(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})$")
SRT_TIME = re.compile(r"^(\d+):(\d{2}):(\d{2})[,.](\d{3})$")
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Segment:
    start_ms: int
    end_ms: int
    text: str


class TranscriptError(Invalid):
    """A transcript that cannot be used; ``problems`` lists each ``line N: ...``."""

    def __init__(self, problems: list[str]):
        super().__init__("The transcript has errors: " + "; ".join(problems))
        self.problems = problems


def format_time(milliseconds: int) -> str:
    seconds, _ = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def format_length(seconds: int) -> str:
    """A recording's length as every page shows it (its own page, the list): the clock form of
    its moments, "0:30" or "1:02:05". Whole minutes said "1 min" for 30 seconds."""
    return format_time(seconds * 1000)


def read_upload(stream: BinaryIO) -> bytes:
    """The uploaded transcript's bytes, refusing files too large to be a transcript."""
    data = stream.read(MAX_TRANSCRIPT_BYTES + 1)
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise TooLarge(f"A transcript may have at most {MAX_TRANSCRIPT_BYTES // 2**20} MB.")
    return data


def parse_transcript(data: bytes) -> list[Segment]:
    """The segments of a WebVTT or SRT file (told apart by the WEBVTT header)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TranscriptError([f"line {line}: the file is not UTF-8 text"]) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not text.strip():
        raise TranscriptError(["line 1: the file is empty"])
    parser = _Parser(lines, webvtt=lines[0].startswith("WEBVTT"))
    return parser.parse()


class _Parser:
    def __init__(self, lines: list[str], *, webvtt: bool):
        self.lines = lines
        self.webvtt = webvtt
        self.problems: list[str] = []
        self.segments: list[Segment] = []

    def problem(self, number: int, message: str) -> None:
        self.problems.append(f"line {number}: {message}")

    def parse(self) -> list[Segment]:
        blocks = self._blocks()
        if self.webvtt:
            header_number, header = blocks.pop(0)[0]
            if header != "WEBVTT" and header[6:7] not in (" ", "\t"):
                self.problem(header_number, "the header must be 'WEBVTT' alone or followed by "
                                            "a space and text")
        for block in blocks:
            self._cue(block)
            if len(self.problems) >= MAX_REPORTED_PROBLEMS:
                break
        if not self.problems and not self.segments:
            self.problems.append("line 1: the file has no cues (no timing line found)")
        if self.problems:
            raise TranscriptError(self.problems)
        return self.segments

    def _blocks(self) -> list[list[tuple[int, str]]]:
        blocks, current = [], []
        for number, line in enumerate(self.lines, start=1):
            if line.strip():
                current.append((number, line.rstrip()))
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        return blocks

    def _cue(self, block: list[tuple[int, str]]) -> None:
        first_number, first = block[0]
        if self.webvtt and first.split(" ")[0] in ("NOTE", "STYLE", "REGION"):
            return
        timing_index = 0 if "-->" in first else 1
        if not self.webvtt and timing_index == 1 and not first.strip().isdigit():
            self.problem(first_number, f"expected a cue number, found {_shown(first)}")
            return
        if timing_index >= len(block) or "-->" not in block[timing_index][1]:
            self.problem(first_number, "expected a timing line like "
                         f"'{self._example()}', found {_shown(block[timing_index - 1][1])}")
            return
        number, timing = block[timing_index]
        times = self._timing(number, timing)
        text_lines = [line for _, line in block[timing_index + 1:]]
        if times is None:
            return
        if not text_lines:
            self.problem(number, "the cue has no text")
            return
        start, end = times
        if self.segments and start < self.segments[-1].start_ms:
            self.problem(number, f"the cue starts at {format_time(start)}, before the "
                         f"previous cue ({format_time(self.segments[-1].start_ms)})")
            return
        self.segments.append(Segment(start, end, _plain_text(text_lines)))

    def _example(self) -> str:
        return "00:01:02.500 --> 00:01:05.000" if self.webvtt else "00:01:02,500 --> 00:01:05,000"

    def _timing(self, number: int, line: str) -> tuple[int, int] | None:
        match = TIMING.match(line.strip())
        if match is None:
            self.problem(number, f"expected a timing line like '{self._example()}', "
                                 f"found {_shown(line)}")
            return None
        start = self._time(number, match["start"])
        end = self._time(number, match["end"])
        if start is None or end is None:
            return None
        if end <= start:
            self.problem(number, f"the cue ends ({_cut(match['end'])}) before it starts "
                                 f"({_cut(match['start'])})")
            return None
        return start, end

    def _time(self, number: int, value: str) -> int | None:
        match = (VTT_TIME if self.webvtt else SRT_TIME).match(value)
        if match is None:
            form = "[HH:]MM:SS.mmm" if self.webvtt else "HH:MM:SS,mmm"
            self.problem(number, f"{_shown(value)} is not a time of the form {form}")
            return None
        hours = (match[1] or "").lstrip("0") or "0"
        too_late = (f"{_shown(value)} is later than {_written(MAX_CUE_MS)}, the longest a "
                    "transcript may run")
        if len(hours) > MAX_HOUR_DIGITS:  # before int(): thousands of digits
            self.problem(number, too_late)
            return None
        minutes, seconds, millis = (int(part) for part in match.groups()[1:])
        if minutes > 59 or seconds > 59:
            self.problem(number, f"{_shown(value)} has minutes or seconds above 59")
            return None
        milliseconds = ((int(hours) * 60 + minutes) * 60 + seconds) * 1000 + millis
        if milliseconds > MAX_CUE_MS:
            self.problem(number, too_late)
            return None
        return milliseconds


def _shown(value: str) -> str:
    """A value quoted in a problem, cut short when long."""
    return repr(_cut(value))


def _cut(value: str) -> str:
    return value if len(value) <= SHOWN_CHARACTERS else value[:SHOWN_CHARACTERS] + "…"


def _written(milliseconds: int) -> str:
    return f"{format_time(milliseconds)}.{milliseconds % 1000:03}"


def _plain_text(lines: list[str]) -> str:
    """Cue text without markup (voice, class, timestamp tags), entities decoded."""
    return html.unescape(TAG.sub("", " ".join(line.strip() for line in lines))).strip()
