"""Raw HTML blocks that end where CommonMark (and DocFX's markdig) ends them.

Python-Markdown reads a block-level tag at the start of a line as raw HTML up to its closing
tag; CommonMark ends such a block at the first blank line. A tag that is never closed (DocFX
articles hold placeholders such as a bare ``<Video>``) therefore swallowed the rest of the
article, which then showed as Markdown source. Such a tag is closed on its own line, so the
Markdown after it renders (the sanitiser drops tags it does not allow either way).

Python-Markdown also leaves what follows a raw HTML block on its closing line as a line of its
own: spaces after a multi-line comment's ``-->`` became an empty code block. Its own
normalisation has already emptied every other line holding only spaces, so those are emptied
too."""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

# an opening tag alone on its line (up to 3 spaces before it, as for any block start)
LONE_OPEN_TAG = re.compile(r"^ {0,3}<(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>[ \t]*$")
CLOSING_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}


class UnclosedBlockTags(Preprocessor):
    """Close a block-level tag that has no closing tag anywhere after it."""

    def run(self, lines):
        last_closing: dict[str, int] = {}
        for number, line in enumerate(lines):
            for name in CLOSING_TAG.findall(line):
                last_closing[name.lower()] = number
        return [self._closed(line, number, last_closing) for number, line in enumerate(lines)]

    def _closed(self, line: str, number: int, last_closing: dict[str, int]) -> str:
        opening = LONE_OPEN_TAG.match(line)
        if opening is None:
            return line
        name = opening.group("name")
        if (not self.md.is_block_level(name.lower()) or name.lower() in VOID_TAGS
                or last_closing.get(name.lower(), -1) >= number):
            return line
        return f"{line.rstrip()}</{name}>"


class BlankLinesAfterRawHtml(Preprocessor):
    def run(self, lines):
        return ["" if not line.strip() else line for line in lines]


class CommonMarkHtmlExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # after fences are set aside (25), before raw HTML is (20), and right after that
        md.preprocessors.register(UnclosedBlockTags(md), "commonmark_unclosed_tags", 21)
        md.preprocessors.register(BlankLinesAfterRawHtml(md), "commonmark_html_blank", 19)
