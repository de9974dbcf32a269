"""Bounds on the work of rendering one document with Python-Markdown.

The parser hands the first block of text to each block processor in turn; a processor that
takes one line of it (an ATX or setext heading, a rule, an abbreviation's definition) puts the
rest back as the next block, and every processor then searches that rest again. A block of n
such lines costs n searches of the whole remaining block: 8,000 ``# h`` lines (32 KB) took 4 s,
8,000 abbreviation definitions (64 KB) 27 s, while the request that sent them held a worker.
The parser here charges each block's length before the processors look at it, and gives up
once the document has been charged ``WORK_PER_CHARACTER`` times its length (plus a floor for
short texts). Real documentation is charged 1.5 times its length at the median and 3.6 at
most (the 3,874 articles and release notes of the shared corpus), so no real text comes near;
pathological text is refused in time proportional to its length.

The raw HTML in a document is read by Python's ``html.parser``, which for each ``<`` and letter
looks ahead for the end of the tag with a regular expression; for a tag that never ends it
reads to the end of the text, so 16,000 ``<a `` (48 KB) took 20 s, 4,800 paragraphs saying
"a<b and c<d" 17 s (Python 3.11; later releases mend the parser and drop that expression).
The same look-ahead is run first, held to ``TAG_WORK_PER_CHARACTER`` times the length (plus a
floor): it reads in C, 30-50 ns a character, so a 50 KB text is refused within 0.6 s. Real
documentation costs 0.27 times its length at most. Two block patterns of the library look ahead
the same way, in C: an abbreviation's definition (``*[``) reads on to the next ``]:``, a
footnote's (``[^``) to the next ``]``, from every line that starts one (16,000 such lines,
48 KB, took 4-8 s); their look-ahead is summed with the tags'.

A code fence's options (```` ```lang title="a" ````) are read by a pattern of the
superfences extension that tries every way of grouping quoted values when the line does not
match in the end: each further ``a="b"`` doubled the time (26 of them, 307 bytes, took 14 s).
A fence with more than ``MAX_FENCE_QUOTES`` quotation marks is refused; real ones have a few."""

from __future__ import annotations

import bisect
import html.parser
import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

WORK_PER_CHARACTER = 20
WORK_FLOOR = 200_000
TAG_START = re.compile(r"<[A-Za-z]")
TAG_LOOK_AHEAD = getattr(html.parser, "locatestarttagend_tolerant", None)
TAG_WORK_PER_CHARACTER = 200
TAG_WORK_FLOOR = 2_000_000
# (where a definition starts, where the library's pattern for it may end)
DEFINITION_LOOK_AHEADS = (
    (re.compile(r"^\*\[", re.MULTILINE), re.compile(r"\] ?:|\\")),  # *[HTML]: abbreviation
    (re.compile(r"^ {0,3}\[\^", re.MULTILINE), re.compile(r"\]")),  # [^1]: footnote
)
FENCE_START = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})(?P<info>.*)$", re.MULTILINE)
MAX_FENCE_QUOTES = 16


class TooMuchWork(Exception):
    """Rendering the document would take more work than its length allows."""


class BlockWorkBound(Extension):
    """Counts the block parser's work against the document's allowance."""

    def extendMarkdown(self, md: Markdown) -> None:
        self.parser = md.parser
        self.allowance = WORK_FLOOR
        # an attribute of the parser object itself: the processors that parse nested blocks
        # (lists, quotes, admonitions) call it through the same object
        md.parser.parseBlocks = self.parse_blocks
        md.preprocessors.register(_Allowance(md, self), "kb_block_work", 1000)

    def parse_blocks(self, parent, blocks: list[str]) -> None:
        """The library's ``BlockParser.parseBlocks``, charging each block's length first."""
        processors = self.parser.blockprocessors
        while blocks:
            self.allowance -= len(blocks[0])
            if self.allowance < 0:
                raise TooMuchWork
            for processor in processors:
                if processor.test(parent, blocks[0]) \
                        and processor.run(parent, blocks) is not False:
                    break


class _Allowance(Preprocessor):
    """Runs first on each document: sets the work it may cost from its length."""

    def __init__(self, md: Markdown, bound: BlockWorkBound):
        super().__init__(md)
        self.bound = bound

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        self.bound.allowance = WORK_FLOOR + WORK_PER_CHARACTER * len(text)
        check_fence_options(text)
        check_look_ahead(text)
        return lines


def check_fence_options(text: str) -> None:
    for fence in FENCE_START.finditer(text):
        info = fence.group("info")
        if info.count('"') + info.count("'") > MAX_FENCE_QUOTES:
            raise TooMuchWork


def check_look_ahead(text: str) -> None:
    """``TooMuchWork`` if the definitions' patterns and ``html.parser`` would read more than
    the allowance looking for the ends of what starts in ``text``."""
    allowance = TAG_WORK_FLOOR + TAG_WORK_PER_CHARACTER * len(text)
    for starts, ends in DEFINITION_LOOK_AHEADS:
        allowance -= _look_ahead(text, starts, ends)
    if allowance < 0:
        raise TooMuchWork
    if TAG_LOOK_AHEAD is None:
        return
    for start in TAG_START.finditer(text):
        allowance -= TAG_LOOK_AHEAD.match(text, start.start()).end() - start.start()
        if allowance < 0:
            raise TooMuchWork


def _look_ahead(text: str, starts: re.Pattern, ends: re.Pattern) -> int:
    """The characters from each match of ``starts`` to the next match of ``ends`` (or the end
    of ``text``), summed."""
    end_positions = [end.start() for end in ends.finditer(text)]
    total = 0
    for start in starts.finditer(text):
        following = bisect.bisect_left(end_positions, start.end())
        total += (end_positions[following] if following < len(end_positions)
                  else len(text)) - start.start()
    return total
