"""Python-Markdown's link and reference patterns with bounded scans.

For every ``[`` in a paragraph the library's patterns scan forward character by character for
the matching ``]`` (``getText``) and then for the link's closing ``)`` (``getLink``); when there
is none the scan runs to the paragraph's end, so 10,000 ``[`` cost 10,000 scans of 10,000
characters (quadratic: 26 s of CPU). Here the bracket scan jumps from bracket to bracket and
gives up beyond ``MAX_BRACKET_DEPTH`` open brackets, the destination scan looks at most
``MAX_DESTINATION_LENGTH`` characters ahead, and a footnote marker's id is at most 100
characters. A document makes at most ``MAX_FOOTNOTE_REFERENCES`` footnote references: the
library numbers each further reference to the same footnote by trying every number taken
before it (4,000 references took 10 s). Every link, image, reference and footnote of real
text renders as before; only brackets nested deeper than any text needs, a destination and
title longer than any address, or footnote references beyond the bound, are shown as the
characters they are (``bench/markdown.py`` prints the figures)."""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.inlinepatterns import (
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortImageReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)

MAX_BRACKET_DEPTH = 8
MAX_DESTINATION_LENGTH = 2048
BRACKET = re.compile(r"[\[\]]")
# the footnotes extension's marker ``[^id]`` with the id's length bounded (the library's
# ``[^\]]*`` tries every ``[^`` against the rest of the paragraph)
FOOTNOTE_MARKER = r"\[\^([^\]]{1,100})\]"
MAX_FOOTNOTE_REFERENCES = 200  # the shared corpus's articles make 4 at most


class BoundedScans:
    """Replaces ``getText`` and ``getLink`` of a ``LinkInlineProcessor`` subclass."""

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        """The text up to the ``]`` that closes the ``[`` just before ``index``."""
        depth = 1
        for bracket in BRACKET.finditer(data, index):
            depth += 1 if bracket.group() == "[" else -1
            if depth == 0:
                return data[index:bracket.start()], bracket.end(), True
            if depth > MAX_BRACKET_DEPTH:
                break
        return "", index, False

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        """The library's destination and title parser, shown a bounded window of ``data``
        (indices stay valid: the window is a prefix)."""
        window_end = index + MAX_DESTINATION_LENGTH
        if data.find(")", index, window_end) == -1:
            return "", None, index, False
        return super().getLink(data[:window_end], index)


# the library's patterns by registered name, with their priorities (markdown/inlinepatterns.py)
LINK_PATTERNS = {
    "reference": (ReferenceInlineProcessor, 170),
    "link": (LinkInlineProcessor, 160),
    "image_link": (ImageInlineProcessor, 150),
    "image_reference": (ImageReferenceInlineProcessor, 140),
    "short_reference": (ShortReferenceInlineProcessor, 130),
    "short_image_ref": (ShortImageReferenceInlineProcessor, 125),
}
BOUNDED_CLASSES = {
    name: type(f"Bounded{library_class.__name__}", (BoundedScans, library_class), {})
    for name, (library_class, _) in LINK_PATTERNS.items()
}


class CountedFootnoteReferences(FootnoteInlineProcessor):
    """Footnote markers beyond ``MAX_FOOTNOTE_REFERENCES`` stay the characters they are."""

    def handleMatch(self, m, data):
        if len(self.footnotes.used_refs) >= MAX_FOOTNOTE_REFERENCES:
            return None, None, None
        return super().handleMatch(m, data)


class BoundedLinksExtension(Extension):
    """Swap the library's link and reference patterns for their bounded versions."""

    def extendMarkdown(self, md: Markdown) -> None:
        if "footnote" in md.inlinePatterns:
            footnotes = md.inlinePatterns["footnote"].footnotes
            md.inlinePatterns.register(
                CountedFootnoteReferences(FOOTNOTE_MARKER, footnotes), "footnote", 175)
        for name, (library_class, priority) in LINK_PATTERNS.items():
            pattern = md.inlinePatterns[name]
            if type(pattern) is not library_class:
                raise TypeError(f"unexpected inline pattern {name!r}: {type(pattern)!r}")
            md.inlinePatterns.register(BOUNDED_CLASSES[name](pattern.pattern, md), name, priority)
