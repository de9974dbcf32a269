"""The DocFX / Microsoft Learn flavour of Markdown that real documentation sets are written in,
as a Python-Markdown extension: ``> [!NOTE]`` alert blocks become admonitions,
``:::image ...:::`` becomes an image (or its alt text), and what kb cannot show (an include or
a code sample that was not found, an image file kb does not serve) becomes a short visible
notice instead of raw syntax."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# Where spaces may stand, no two parts of a pattern below may both take them: a path starts
# with something else than a space (the spaces after it are stripped), so a run of spaces
# with no end to the directive costs one pass, not one per way to share it out (3,000 spaces
# after "[!code[](" took 15 s)
# [!INCLUDE[name](path)], tolerating a space, a stray colon or a missing last bracket as real
# sources do, and the bare [!INCLUDEname] form
INCLUDE = re.compile(
    r"\[!INCLUDE\s*(?:\[(?P<name>[^\]\n]*)\]\s*(?::\s*)?\(\s*(?P<path>(?:[^\s)][^)\n]*)?)\)\]?"
    r"|(?P<bare>[^\[\]\n]*)\])",
    re.IGNORECASE,
)
# [!code-csharp[Main](samples/sample1.cs)]: a code sample kept in a file of its own
CODE_REFERENCE = re.compile(
    r"\[!code(?:-(?P<language>[\w+#.\-]*))?\s*\[(?P<name>[^\]\n]*)\]"
    r"\(\s*(?P<path>(?:[^\s)][^)\n]*)?)\)\]",
    re.IGNORECASE,
)
IMAGE_EXTENSION = r":::image\s+(?P<attributes>(?:[^\s:][^\n]*?)?):::(?!image-end)"
IMAGE_END = r":::image-end:::"
ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")
ALERT_MARKER = re.compile(
    r"^\s*\[!(NOTE|TIP|IMPORTANT|CAUTION|WARNING)\][ \t]*\n?", re.IGNORECASE)
ALERT_LINE = re.compile(
    r"^[ \t]*>[ \t]*\[!(?:NOTE|TIP|IMPORTANT|CAUTION|WARNING)\]", re.IGNORECASE)
# a marker starting a later line of a paragraph: "> [!NOTE]\n> text\n> [!TIP]\n> text"
LATER_ALERT_MARKER = re.compile(
    r"\n(?=[ \t]*\[!(?:NOTE|TIP|IMPORTANT|CAUTION|WARNING)\])", re.IGNORECASE)
# :::row::: / :::column span="2"::: ... :::column-end::: / :::row-end::: page layout
LAYOUT_MARKER = re.compile(r"^[ \t]*:::(row|column)(-end)?\b[^:\n]*:::[ \t]*$")
LAYOUT_INDENT = re.compile(r"^ {1,4}")
DIV_MARKER = re.compile(r"^\s*\[!div\b[^\]\n]*\][ \t]*\n?", re.IGNORECASE)
SERVED_IMAGE = re.compile(r"^(https?:)?//|^/", re.IGNORECASE)
# an article's own image (``kb/articles/images.py``): ``images/<name>``, a name as kb gives
# them (letters, digits, "._-"); any other relative source is a file kb does not serve
LOCAL_IMAGE = re.compile(r"^images/[\w.\-]+$")


def shown_image(md: Markdown, source: str) -> bool:
    """Whether an image of this source is kept: served by a URL, or an article's own image
    while an article is rendered (``render(..., local_images=True)``)."""
    return bool(SERVED_IMAGE.match(source)) or (
        getattr(md, "local_images", False) and bool(LOCAL_IMAGE.match(source)))


def notice(text: str, css_class: str = "kb-notice") -> etree.Element:
    element = etree.Element("span", {"class": css_class})
    element.text = text
    return element


class IncludeNotice(InlineProcessor):
    """An include that was not resolved at import (or written in the browser)."""

    def handleMatch(self, match, data):  # noqa: N802 - Python-Markdown's name
        target = (match.group("path") or match.group("name") or match.group("bare") or "").strip()
        return notice(f"[Included content not available: {target}]"), match.start(0), match.end(0)


class CodeReferenceNotice(InlineProcessor):
    def handleMatch(self, match, data):  # noqa: N802
        text = f"[Code sample not included: {match.group('path').strip()}]"
        return notice(text), match.start(0), match.end(0)


class ImageExtension(InlineProcessor):
    """``:::image type="content" source="..." alt-text="...":::``."""

    def handleMatch(self, match, data):  # noqa: N802
        attributes = dict(ATTRIBUTE.findall(match.group("attributes")))
        alt = attributes.get("alt-text", "")
        source = attributes.get("source", "")
        if shown_image(self.md, source):
            return etree.Element("img", {"src": source, "alt": alt}), match.start(0), match.end(0)
        if not alt:
            return "", match.start(0), match.end(0)
        return notice(alt, "kb-image-alt"), match.start(0), match.end(0)


class ImageEnd(InlineProcessor):
    def handleMatch(self, match, data):  # noqa: N802
        return "", match.start(0), match.end(0)


class AlertsStartBlocks(Preprocessor):
    """An alert line right under a paragraph line starts a new block, as in GitHub and DocFX
    (Python-Markdown would otherwise read it as more of the paragraph)."""

    def run(self, lines):
        result = []
        for line in lines:
            if ALERT_LINE.match(line) and result and result[-1].strip() \
                    and not result[-1].lstrip().startswith(">"):
                result.append("")
            result.append(line)
        return result


class LayoutMarkers(Preprocessor):
    """Rows and columns are a layout kb does not have: drop the markers and the indentation
    they put on their content (which Python-Markdown would take for a code block)."""

    def run(self, lines):
        result, depth = [], 0
        for line in lines:
            marker = LAYOUT_MARKER.match(line)
            if marker:
                depth = max(depth + (-1 if marker.group(2) else 1), 0)
                continue
            result.append(LAYOUT_INDENT.sub("", line) if depth else line)
        return result


class AlertBlocks(Treeprocessor):
    """``> [!WARNING]`` blockquotes become ``<div class="admonition warning">``, the markup
    of Python-Markdown's ``!!! warning`` admonitions, so both look the same. Python-Markdown
    joins blockquotes separated by a blank line, so each marker inside one starts a new block."""

    def run(self, root):
        for parent in list(root.iter()):
            for index in range(len(parent) - 1, -1, -1):
                if parent[index].tag == "blockquote":
                    blocks = self._split(parent[index])
                    if blocks is not None:
                        tail = parent[index].tail
                        parent.remove(parent[index])
                        for offset, block in enumerate(blocks):
                            parent.insert(index + offset, block)
                        blocks[-1].tail = tail

    def _split(self, blockquote: etree.Element) -> list[etree.Element] | None:
        blocks: list[etree.Element] = []
        current = etree.Element("blockquote")
        for child in _paragraphs_split_at_markers(blockquote):
            marker = _marker(child)
            if marker is not None:
                if len(current) or current.tag != "blockquote":
                    blocks.append(current)
                current = _admonition(marker)
                child.text = child.text[marker.end():]
                if not child.text.strip() and not len(child):
                    continue
            current.append(child)
        if not blocks and current.tag == "blockquote":
            return None
        blocks.append(current)
        return blocks


def _paragraphs_split_at_markers(blockquote: etree.Element) -> list[etree.Element]:
    children = []
    for child in blockquote:
        if child.tag != "p" or not child.text or len(child):
            children.append(child)
            continue
        for text in LATER_ALERT_MARKER.split(child.text):
            paragraph = etree.Element("p")
            paragraph.text = text
            children.append(paragraph)
    return children


def _marker(element: etree.Element) -> re.Match | None:
    if element.tag != "p" or not element.text:
        return None
    return ALERT_MARKER.match(element.text) or DIV_MARKER.match(element.text)


def _admonition(marker: re.Match) -> etree.Element:
    if marker.re is DIV_MARKER:
        return etree.Element("div", {"class": "docfx-div"})
    kind = marker.group(1).lower()
    block = etree.Element("div", {"class": f"admonition {kind}"})
    title = etree.SubElement(block, "p", {"class": "admonition-title"})
    title.text = kind.capitalize()
    return block


class UnservedImages(Treeprocessor):
    """Images with a relative source point at files kb does not serve: show the alt text."""

    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag != "img" or shown_image(self.md, child.get("src", "")):
                    continue
                replacement = notice(child.get("alt", ""), "kb-image-alt")
                replacement.tail = child.tail
                parent.remove(child)
                parent.insert(index, replacement)


class DocfxExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(
            IncludeNotice("(?i)" + INCLUDE.pattern, md), "docfx_include", 185)
        md.inlinePatterns.register(
            CodeReferenceNotice("(?i)" + CODE_REFERENCE.pattern, md), "docfx_code", 184)
        md.inlinePatterns.register(ImageExtension(IMAGE_EXTENSION, md), "docfx_image", 183)
        md.inlinePatterns.register(ImageEnd(IMAGE_END, md), "docfx_image_end", 182)
        md.preprocessors.register(LayoutMarkers(md), "docfx_layout", 16)
        md.preprocessors.register(AlertsStartBlocks(md), "docfx_alert_blocks", 15)
        md.treeprocessors.register(AlertBlocks(md), "docfx_alerts", 25)
        md.treeprocessors.register(UnservedImages(md), "docfx_images", 15)
