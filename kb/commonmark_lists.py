"""CommonMark list indentation rewritten to Python-Markdown's, before the parser sees it.

In CommonMark (and DocFX, whose parser is markdig) what belongs to a list item is indented to
the item's content column: 3 spaces under ``1. ``, 2 under ``- ``, fences included.
Python-Markdown wants every block of an item indented by 4 spaces per level and reads less as
the end of the list; its fences are found by ``pymdownx.superfences``, which wants a fence's
lines at the fence's own indentation. This preprocessor follows the CommonMark container rules
for list items (content column, lazy paragraph continuation, fences that end with their item)
and writes each line at 4 spaces per list level plus what it has beyond the content column, so
that both parsers see the same blocks:

* a fence is written at its item's level, and its lines lose at most the fence's own
  indentation (CommonMark's rule); a fence its item leaves open is closed where the item ends;
* a bullet list, or a numbered list starting at 1, interrupts a paragraph (a blank line is
  put before it, which Python-Markdown needs);
* a line that continues a paragraph lazily (less indented than its item) stays in it.

A block quote's lines are rewritten the same way once its ``>`` markers are taken off (lists in
``> [!NOTE]`` alerts). One pass over the lines, no backtracking."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Markdown
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

DOCFX_MARKER_LINE = re.compile(
    r"[ ]{0,3}\[!(?:NOTE|TIP|IMPORTANT|CAUTION|WARNING|div\b[^\]\n]*)\][ \t]*$", re.IGNORECASE)
EMPTY_ITEM = "<!-- -->"  # the sanitiser drops comments
MAX_LIST_DEPTH = 16
LIST_LEVEL = 4  # Python-Markdown's indentation per list level (its tab_length)
MARKER = re.compile(r"(?P<marker>[-+*]|(?P<number>\d{1,9})[.)])(?P<space>[ ]+|$)")
FENCE_OPEN = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
THEMATIC_BREAK = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
# lines that start a block of their own, so never continue a paragraph lazily
BLOCK_START = re.compile(r"(?:#{1,6}(?:[ \t]|$)|>|`{3,}|~{3,}|<)")


@dataclass
class Item:
    """An open list item: where its content starts in the source and in the output."""

    content: int
    output: int
    ordered: bool


@dataclass
class Fence:
    character: str
    length: int
    indent: int  # beyond the content column of its container, in the source
    output: int
    depth: int  # how many items were open when it started


class ListIndentation:
    """Rewrites one document's lines (see the module docstring)."""

    def __init__(self):
        self.items: list[Item] = []
        self.fence: Fence | None = None
        self.output: list[str] = []
        self.after_blank = True
        self.in_paragraph = False
        self.first_line_of_item = False
        # the first line of the current block (after a blank line), as written out
        self.block_starts_with_item = False
        self.block_column = 0
        self.new_block = True

    def rewrite(self, lines: list[str]) -> list[str]:
        for line in lines:
            if self.fence is not None:
                self._fenced_line(line)
            elif not line.strip():
                self.output.append("")
                self.after_blank, self.in_paragraph = True, False
            else:
                self.new_block = self.after_blank
                self._line(line)
                if self.new_block:
                    self._start_block()
                self.after_blank = False
        return self.output

    def _start_block(self) -> None:
        """Python-Markdown parses blocks (text between blank lines): note how this one starts."""
        first = self.output[-1]
        self.block_column = len(first) - len(first.lstrip(" "))
        self.block_starts_with_item = MARKER.match(first.lstrip(" ")) is not None

    # -- helpers -------------------------------------------------------------------------------

    def _content_column(self) -> int:
        return self.items[-1].content if self.items else 0

    def _output_column(self) -> int:
        return self.items[-1].output if self.items else 0

    def _emit(self, column: int, text: str) -> None:
        self.output.append(" " * column + text)

    # -- fenced code ---------------------------------------------------------------------------

    def _fenced_line(self, line: str) -> None:
        fence = self.fence
        indent = len(line) - len(line.lstrip(" "))
        text = line[indent:]
        if text and len(self.items) >= fence.depth and indent < self._content_column_at(fence):
            # the line leaves the fence's list item, and the item closes the fence
            self._emit(fence.output, fence.character * fence.length)
            self.fence = None
            self._line(line)
            self.after_blank = False
            return
        relative = indent - self._content_column_at(fence)
        closing = text.rstrip()
        if relative < 4 and closing and set(closing) == {fence.character} \
                and len(closing) >= fence.length:
            self._emit(fence.output, closing)
            self.fence = None
            self.in_paragraph = self.first_line_of_item = False
            return
        if not text:
            self.output.append("")
            return
        self._emit(fence.output + max(relative - fence.indent, 0), text)

    def _content_column_at(self, fence: Fence) -> int:
        return self.items[fence.depth - 1].content if fence.depth else 0

    def _open_fence(self, match: re.Match, relative: int) -> bool:
        fence = match.group("fence")
        if fence[0] == "`" and "`" in match.group("info"):
            return False  # not a fence in CommonMark: inline code
        self.fence = Fence(fence[0], len(fence), relative, self._output_column(), len(self.items))
        self._emit(self._output_column(), match.group(0))
        self.in_paragraph = self.first_line_of_item = False
        return True

    # -- everything else -----------------------------------------------------------------------

    def _line(self, line: str) -> None:
        indent = len(line) - len(line.lstrip(" "))
        text = line[indent:]
        remaining = len(self.items)
        while remaining and indent < self.items[remaining - 1].content:
            remaining -= 1
        sibling_of = self.items[remaining] if remaining < len(self.items) else None
        relative = indent - (self.items[remaining - 1].content if remaining else 0)
        marker = self._marker(text, closes_items=sibling_of is not None) if relative < 4 else None
        if remaining < len(self.items) and self._lazy_continuation(text, marker):
            self._emit(self._output_column(), text)
            self.first_line_of_item = False
            return
        if remaining < len(self.items) and marker is None and not self.after_blank:
            # a heading, rule, quote or text that ends the items starts a block of its own
            # (Python-Markdown would keep it in the item, or read "---" as a heading underline)
            self.output.append("")
            self.after_blank, self.in_paragraph, self.new_block = True, False, True
        del self.items[remaining:]
        if relative < 4:
            fence = FENCE_OPEN.match(text)
            if fence and self._open_fence(fence, relative):
                return
            if marker is not None:
                self._open_item(indent, text, marker, sibling_of)
                return
        self._emit(self._output_column() + relative, text)
        self.in_paragraph = relative < 4 or self.in_paragraph
        if BLOCK_START.match(text) or THEMATIC_BREAK.match(text):
            self.in_paragraph = False
        self.first_line_of_item = False

    def _lazy_continuation(self, text: str, marker: re.Match | None) -> bool:
        """A line less indented than its item that still continues the item's paragraph."""
        return (self.in_paragraph and not self.after_blank and marker is None
                and not BLOCK_START.match(text) and not THEMATIC_BREAK.match(text))

    def _may_interrupt(self, marker: re.Match, text: str) -> bool:
        """Whether a new list may start right under a paragraph line (CommonMark 5.2)."""
        if not text[marker.end():].strip():
            return False
        return marker.group("number") is None or int(marker.group("number")) == 1

    def _marker(self, text: str, closes_items: bool) -> re.Match | None:
        marker = MARKER.match(text)
        if marker is None or THEMATIC_BREAK.match(text):
            return None
        # only a paragraph of the innermost item still open can be interrupted (or continued)
        if self.in_paragraph and not self.after_blank and not closes_items \
                and not self._may_interrupt(marker, text):
            return None  # "2024. A year" under a paragraph line is more of the paragraph
        return marker

    def _open_item(self, indent: int, text: str, marker: re.Match, sibling_of: Item | None):
        if len(self.items) >= MAX_LIST_DEPTH:
            # deeper items stay text of the deepest one: Python-Markdown's time grows with
            # the square of the depth (500 levels: seconds), and no document needs more
            self._emit(self._output_column(), text)
            self.in_paragraph, self.first_line_of_item = True, False
            return
        ordered = marker.group("number") is not None
        new_list = sibling_of is None or sibling_of.ordered != ordered
        # Python-Markdown reads a list item only at the start of a block or under another item
        column = self._output_column()
        # right under its parent item's first line a nested list needs no blank line
        nested_under_first_line = self.first_line_of_item and sibling_of is None
        interrupts = self.in_paragraph and new_list and not nested_under_first_line
        under_deeper_block = not self.block_starts_with_item or self.block_column > column
        # a list item ends a block quote; Python-Markdown would read it as more of the quote
        after_quote = self.output[-1].lstrip(" ").startswith(">") if self.output else False
        if not self.after_blank and (interrupts or under_deeper_block or after_quote):
            self.output.append("")
            self.block_starts_with_item, self.block_column = True, column
        space = len(marker.group("space"))
        rest = text[marker.end():]
        width = len(marker.group("marker"))
        # 5 spaces or more after the marker: the content is an indented code block (1 space)
        content = indent + width + (space if 1 <= space <= 4 and rest else 1)
        written = marker.group("marker")
        if ordered and written.endswith(")"):
            written = written[:-1] + "."  # Python-Markdown knows only "1."
        self.items.append(Item(content, column + LIST_LEVEL, ordered))
        extra = max(space - 1, 0) if rest and space > 4 else 0
        # an empty item gets an empty comment: Python-Markdown reads "-" alone as an underline
        self._emit(column, f"{written} {' ' * extra}{rest or EMPTY_ITEM}")
        self.in_paragraph = self.first_line_of_item = bool(rest)
        if rest:
            fence = FENCE_OPEN.match(rest)
            if fence is not None:
                self.output.pop()
                self._emit(column, f"{written} {EMPTY_ITEM}")
                self._open_fence(fence, 0)


class CommonMarkListIndentation(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return ListIndentation().rewrite(lines)


class CommonMarkBlockQuotes(BlockQuoteProcessor):
    """Python-Markdown's block quotes, their content rewritten like the document's."""

    def run(self, parent, blocks):
        block = blocks.pop(0)
        start = self.RE.search(block)
        if start:
            self.parser.parseBlocks(parent, [block[:start.start()]])
            lines = [self.clean(line) for line in block[start.start():].split("\n")]
            block = "\n".join(ListIndentation().rewrite(_marker_lines_apart(lines)))
        sibling = self.lastChild(parent)
        quote = sibling if sibling is not None and sibling.tag == "blockquote" \
            else etree.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


def _marker_lines_apart(lines: list[str]) -> list[str]:
    """A DocFX ``[!NOTE]`` or ``[!div ...]`` line alone is a block of its own: a table or list
    under it starts a block, as in DocFX (Python-Markdown reads neither after a text line)."""
    result = []
    for index, line in enumerate(lines):
        result.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if following.strip() and DOCFX_MARKER_LINE.match(line):
            result.append("")
    return result


class CommonMarkListsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.parser.blockprocessors.register(CommonMarkBlockQuotes(md.parser), "quote", 20)
        # after whitespace normalisation (30: tabs expanded) and before fences are found (25)
        md.preprocessors.register(CommonMarkListIndentation(md), "commonmark_lists", 27)
