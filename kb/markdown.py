"""Markdown to sanitised HTML, a table of contents, and plain text for the search index.

Whoever wrote the source, the HTML that leaves here has passed nh3 (the Ammonia sanitiser): no
script, event handler, javascript:/data: URL, iframe, form or style survives."""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass

import markdown as markdown_library
import nh3

# raise when the rendering or the sanitiser rules change: cached HTML is then redone
RENDERER_VERSION = 1

EXTENSIONS = [
    "tables",
    "fenced_code",
    "codehilite",
    "toc",
    "admonition",
    "sane_lists",
    "def_list",
    "abbr",
    "footnotes",
    "md_in_html",
]
EXTENSION_CONFIGS = {
    "codehilite": {"css_class": "highlight", "guess_lang": False},
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
URL_SCHEMES = {"http", "https", "mailto"}
PERMALINK_MARK = "¶"


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: str
    text: str


def render_key(source: str) -> str:
    """Identifies a rendering: changes with the source and with the renderer version."""
    return hashlib.sha256(f"{RENDERER_VERSION}\0{source}".encode()).hexdigest()


def sanitize(untrusted_html: str) -> str:
    return nh3.clean(
        untrusted_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(sanitized_html: str) -> str:
    """The words of some HTML, for indexing and snippets."""
    text = nh3.clean(sanitized_html, tags=set(), attributes={})
    return " ".join(html.unescape(text).replace(PERMALINK_MARK, " ").split())


def render(source: str) -> Rendered:
    """Render Markdown (raw HTML allowed, then sanitised) to HTML, a TOC and plain text."""
    converter = markdown_library.Markdown(
        extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
    )
    body = sanitize(converter.convert(source))
    toc = sanitize(getattr(converter, "toc", "")) if getattr(converter, "toc_tokens", None) else ""
    return Rendered(html=body, toc=toc, text=plain_text(body))
