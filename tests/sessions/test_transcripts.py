"""WebVTT and SRT parsing: good files become segments; malformed files are refused with
``line N: what is wrong`` for each problem."""

from __future__ import annotations

import pytest

from kb.sessions.recordings.transcripts import (
    Segment,
    TranscriptError,
    format_time,
    parse_transcript,
)
from tests.sessions.conftest import WEBVTT


def test_webvtt_cues_become_segments_without_markup():
    data = (b"\xef\xbb\xbfWEBVTT - demo\r\nKind: captions\r\n\r\nNOTE a comment\r\n\r\n"
            b"intro\r\n00:01.000 --> 00:02.500 align:start\r\n<v Sam>Hello &amp; welcome</v>\r\n"
            b"\r\n01:00:00.000 --> 01:00:03.000\r\nTwo\r\nlines\r\n")
    assert parse_transcript(data) == [Segment(1000, 2500, "Hello & welcome"),
                                      Segment(3_600_000, 3_603_000, "Two lines")]


def test_srt_cues_become_segments():
    data = b"1\n00:00:01,000 --> 00:00:04,000\nFirst\n\n2\n00:00:04,000 --> 00:00:09,250\nSecond\n"
    assert parse_transcript(data) == [Segment(1000, 4000, "First"), Segment(4000, 9250, "Second")]


def test_the_shipped_sample_parses():
    assert [s.start_ms for s in parse_transcript(WEBVTT)] == [0, 4000, 65000]


@pytest.mark.parametrize("data, problem", [
    (b"", "line 1: the file is empty"),
    (b"WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\xff\xfe bad\n", "line 5: the file is not UTF-8"),
    (b"WEBVTTX\n\n00:01.000 --> 00:02.000\nHi\n", "line 1: the header must be 'WEBVTT'"),
    (b"WEBVTT\n\n00:01.000 -> 00:02.000\nHi\n", "line 3: expected a timing line"),
    (b"WEBVTT\n\n00:01.000 --> 00:02.0\nHi\n", "line 3: '00:02.0' is not a time"),
    (b"WEBVTT\n\n00:75.000 --> 00:80.000\nHi\n", "line 3: '00:75.000' has minutes or seconds"),
    (b"WEBVTT\n\n00:05.000 --> 00:02.000\nHi\n", "line 3: the cue ends (00:02.000) before"),
    (b"WEBVTT\n\n00:01.000 --> 00:02.000\n", "line 3: the cue has no text"),
    (b"WEBVTT\n\n00:09.000 --> 00:10.000\nB\n\n00:01.000 --> 00:02.000\nA\n",
     "line 6: the cue starts at 0:01, before the previous cue (0:09)"),
    (b"WEBVTT\n\nNOTE only a note\n", "line 1: the file has no cues"),
    (b"one\n00:00:01,000 --> 00:00:02,000\nHi\n", "line 1: expected a cue number, found 'one'"),
    (b"1\n00:00:01.000 --> 00:00:02\nHi\n", "line 2: '00:00:02' is not a time of the form "
                                           "HH:MM:SS,mmm"),
    (b"1\nHello there\n", "line 1: expected a timing line like '00:01:02,500 --> 00:01:05,000'"),
])
def test_malformed_files_are_refused_with_the_line_and_the_reason(data, problem):
    with pytest.raises(TranscriptError) as refused:
        parse_transcript(data)
    assert any(p.startswith(problem) for p in refused.value.problems), refused.value.problems


def test_every_problem_is_reported_not_only_the_first():
    data = b"WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\nbad timing\nx\n\n00:09 --> 00:10.000\ny\n"
    with pytest.raises(TranscriptError) as refused:
        parse_transcript(data)
    assert [p.split(":")[0] for p in refused.value.problems] == ["line 6", "line 9"]


def test_times_are_formatted_for_reading():
    assert format_time(65_000) == "1:05" and format_time(3_725_000) == "1:02:05"


@pytest.mark.parametrize("start, problem", [
    ("600000:00:00.000", "line 3: '600000:00:00.000' is later than 100:00:00.000, the "
                         "longest a transcript may run"),
    ("100:00:00.001", "line 3: '100:00:00.001' is later than 100:00:00.000"),
    ("9" * 5000 + ":00:00.000", f"line 3: '{'9' * 40}…' is later than 100:00:00.000"),
])
def test_cue_times_beyond_the_longest_recording_are_refused(start, problem):
    data = f"WEBVTT\n\n{start} --> 9{start}\nToo late.\n".encode()
    with pytest.raises(TranscriptError) as refused:
        parse_transcript(data)
    assert refused.value.problems[0].startswith(problem), refused.value.problems
    assert len(refused.value.message) < 300  # the absurd value is not echoed whole


def test_srt_cue_times_with_thousands_of_digits_are_refused():
    data = f"1\n{'1' * 4400}:00:00,000 --> 00:00:01,000\nLate.\n".encode()
    with pytest.raises(TranscriptError) as refused:
        parse_transcript(data)
    assert refused.value.problems[0].startswith(f"line 2: '{'1' * 40}…' is later")


def test_hours_padded_with_thousands_of_zeros_are_read_as_their_value():
    data = f"WEBVTT\n\n{'0' * 5000}1:00:00.000 --> 01:00:01.000\nOne hour in.\n".encode()
    assert parse_transcript(data) == [Segment(3_600_000, 3_601_000, "One hour in.")]


def test_a_cue_at_the_longest_time_is_kept():
    data = b"WEBVTT\n\n99:59:59.000 --> 100:00:00.000\nThe very end.\n"
    assert parse_transcript(data) == [Segment(359_999_000, 360_000_000, "The very end.")]
