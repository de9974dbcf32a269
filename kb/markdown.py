"""Markdown to sanitised HTML, a table of contents, and plain text for the search index.

Whoever wrote the source, the HTML that leaves here has passed nh3 (the Ammonia sanitiser): no
script, event handler, javascript:/data: URL, iframe, form or style survives. Ids and anchor
names from the content are prefixed with ``doc-`` so that they can never clobber the page's own
ids (templates must not use ids starting with ``doc-``); only links that leave the site get
``rel="noopener noreferrer nofollow"``. The DocFX dialect of real documentation sets (alerts,
``:::image:::``, includes and code samples) is handled by ``kb/docfx.py``."""

from __future__ import annotations

import hashlib
import html
import itertools
import re
import threading
from dataclasses import dataclass

import markdown as markdown_library
import nh3
from markupsafe import Markup

from kb.commonmark_html import CommonMarkHtmlExtension
from kb.commonmark_lists import CommonMarkListsExtension
from kb.docfx import LOCAL_IMAGE, SERVED_IMAGE, DocfxExtension
from kb.errors import Invalid
from kb.markdown_links import BoundedLinksExtension
from kb.markdown_work import BlockWorkBound, TooMuchWork

# raise when the rendering or the sanitiser rules change: cached HTML is then redone
RENDERER_VERSION = 7

# fences (anywhere: in list items and quotes too) by pymdownx.superfences, highlighted by
# pymdownx.highlight (Pygments), which also does indented code blocks
EXTENSIONS = [
    "tables",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "toc",
    "admonition",
    "sane_lists",
    "def_list",
    "abbr",
    "footnotes",
    "md_in_html",
]
EXTENSION_CONFIGS = {
    # stripnl off: a code block keeps its leading blank lines, as in CommonMark
    "pymdownx.highlight": {"css_class": "highlight", "guess_lang": False, "stripnl": False},
    # a fence's info string as DocFX writes it ("azurepowershell-interactive", "json title=x")
    "pymdownx.superfences": {"relaxed_headers": True},
    "toc": {"permalink": True, "permalink_title": "Link to this section", "toc_depth": "2-4"},
}

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul", "var",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "ol": {"start", "type"},
    "details": {"open"},
}
# raw tags that would run or embed other content (a script, a style sheet, a frame, a player)
# are dropped by the sanitiser, with what they hold; any other tag kb does not keep is shown as
# typed: in support text it is most often a placeholder in an instruction ("--db <name>", "set
# it to <none>"), which stripping lost, with the rest of its paragraph
EMBEDDING_TAGS = {
    "applet", "audio", "base", "canvas", "embed", "frame", "frameset", "iframe", "link", "math",
    "meta", "object", "param", "picture", "script", "source", "style", "svg", "track", "video",
}
RAW_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:._-]*)(?:\s(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?/?>")
URL_SCHEMES = {"http", "https", "mailto"}
PERMALINK_MARK = "¶"
ID_PREFIX = "doc-"
EXTERNAL_REL = "noopener noreferrer nofollow"
# in nh3's output text never holds "<" and attribute values are double-quoted with '"' escaped
START_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
TABLE_START = re.compile(r"<table[\s>]")
HREF = re.compile(r'\shref="([^"]*)"')
EXTERNAL_URL = re.compile(r"^(?:[a-z][a-z0-9+.\-]*:|//)", re.IGNORECASE)
_converters = threading.local()


class RenderError(Invalid):
    """The source cannot be rendered (nested deeper than the Markdown parser can follow)."""


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str
    text: str


def render_key(source: str) -> str:
    """Identifies a rendering: changes with the source and with the renderer version."""
    return hashlib.sha256(f"{RENDERER_VERSION}\0{source}".encode()).hexdigest()


def heading_id(anchor: str) -> str:
    """The id a heading or anchor named ``anchor`` in the content has in the page."""
    return anchor if anchor.startswith(ID_PREFIX) else ID_PREFIX + anchor


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "name"):
        return heading_id(value)
    if attribute == "href" and value.startswith("#") and len(value) > 1:
        return "#" + heading_id(value[1:])
    if tag == "img" and attribute == "src" and not SERVED_IMAGE.match(value):
        return None
    return value


def _filter_article_attribute(tag: str, attribute: str, value: str) -> str | None:
    """As ``_filter_attribute``, keeping ``images/<name>``: the article's own images, which
    ``kb.articles.image_html`` points at their address as the page is made."""
    if tag == "img" and attribute == "src" and LOCAL_IMAGE.match(value):
        return value
    return _filter_attribute(tag, attribute, value)


def _cleaner_with(attribute_filter) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


_cleaner = _cleaner_with(_filter_attribute)
_article_cleaner = _cleaner_with(_filter_article_attribute)


def _mark_external_link(match: re.Match) -> str:
    tag = match.group(0)
    if not tag.startswith("<a ") or ' rel="' in tag:
        return tag
    href = HREF.search(tag)
    if href is None or not EXTERNAL_URL.match(html.unescape(href.group(1))):
        return tag
    return f'<a rel="{EXTERNAL_REL}"{tag[2:]}'


def _tags_shown_as_typed(converted_html: str) -> str:
    """The converter's HTML with the raw tags kb neither keeps nor drops escaped (Markdown's
    own output only holds tags kb keeps; code is escaped already)."""

    def shown(match: re.Match) -> str:
        name = match.group(1).lower()
        if name in ALLOWED_TAGS or name in EMBEDDING_TAGS:
            return match.group(0)
        return html.escape(match.group(0), quote=False)

    return RAW_TAG.sub(shown, converted_html)


def sanitize(untrusted_html: str, local_images: bool = False) -> str:
    """Keep only harmless HTML; links leaving the site get ``rel=nofollow`` (and noopener).
    With ``local_images`` (an article's body), images named ``images/<name>`` stay."""
    cleaner = _article_cleaner if local_images else _cleaner
    return START_TAG.sub(_mark_external_link, cleaner.clean(untrusted_html))


def scrolling_tables(sanitized_html: str) -> Markup:
    """Rendered HTML (``Rendered.html``, never anything unsanitised) ready for a page: each
    table in a box of its own that scrolls sideways, so a wide table does not widen the whole
    page on a phone. The box takes the focus (keyboards scroll it too) and has a name, as the
    portal's own table boxes do. Done as the page is made, not stored: HTML kept by earlier
    renderings (recordings, posts, incidents) gets the boxes too, and nh3 would strip the
    box's tabindex and role."""
    numbers = itertools.count(1)

    def boxed(match: re.Match) -> str:
        tag = match.group(0)
        if tag == "</table>":
            return tag + "</div>"
        if TABLE_START.match(tag):
            return (f'<div class="table-scroll" role="region" aria-label="Table {next(numbers)}"'
                    f' tabindex="0">{tag}')
        return tag

    # whole tags, quoted attribute values and all (a value may hold ">")
    return Markup(START_TAG.sub(boxed, sanitized_html))


def plain_text(sanitized_html: str) -> str:
    """The words of some HTML, for indexing and snippets."""
    text = nh3.clean(sanitized_html, tags=set(), attributes={})
    return " ".join(html.unescape(text).replace(PERMALINK_MARK, " ").split())


def _converter() -> markdown_library.Markdown:
    """This thread's Markdown converter, reset for a new document (building one is slow)."""
    converter = getattr(_converters, "converter", None)
    if converter is None:
        converter = markdown_library.Markdown(
            extensions=[*EXTENSIONS, CommonMarkListsExtension(), CommonMarkHtmlExtension(),
                        DocfxExtension(), BoundedLinksExtension(), BlockWorkBound()],
            extension_configs=EXTENSION_CONFIGS, output_format="html",
        )
        _converters.converter = converter
    return converter.reset()


def render(source: str, local_images: bool = False) -> Rendered:
    """Render Markdown (raw HTML allowed, then sanitised) to HTML, a TOC and plain text. With
    ``local_images`` (an article's body), images named ``images/<name>`` are kept for
    ``kb.articles.image_html`` to resolve; elsewhere they show their alt text."""
    converter = _converter()
    converter.local_images = local_images
    try:
        body = sanitize(_tags_shown_as_typed(converter.convert(source)), local_images)
    except RecursionError:
        _converters.converter = None  # its parser state is broken: build a new one next time
        raise RenderError("the Markdown is nested too deeply to render (lists or quotes"
                          " inside each other hundreds of times)") from None
    except TooMuchWork:
        _converters.converter = None
        raise RenderError("the Markdown is too laborious to render: thousands of headings, "
                          "rules or definitions in a row without blank lines between them, tags "
                          "or definitions that never end, code fences with dozens of quoted "
                          "options, or lists or quotes nested hundreds deep") from None
    toc = (sanitize(_tags_shown_as_typed(converter.toc))
           if getattr(converter, "toc_tokens", None) else "")
    return Rendered(html=body, toc=toc, text=plain_text(body))
