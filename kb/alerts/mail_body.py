"""An e-mail's body written once and sent twice: as plain text and as HTML.

``MailBody`` collects the pieces (paragraphs of plain text, quoted text that was written in
Markdown and rendered by the portal, lists); ``text`` is the plain part and ``html`` the HTML
part's content. Rendered HTML is read as sanitised (``kb.markdown.render``'s output): it goes
into the HTML part as it is, and into the plain part as readable text (``readable_text``):
numbered and bulleted lists, code as typed, links with their address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markupsafe import Markup, escape

from kb import markdown
from kb.links import absolute_url, base_url

LINK = re.compile(r"https?://[^\s<>\"]+")
SITE_LINK = re.compile(r'(\s(?:href|src)=")/(?!/)')
QUOTE_STYLE = "margin: 0 0 1rem; padding-left: 1rem; border-left: 3px solid #d0d7de;"


def html_paragraph(text: str) -> Markup:
    """Escaped text with its web links made clickable and its line breaks kept."""
    pieces, position = [], 0
    for link in LINK.finditer(text):
        pieces += [escape(text[position:link.start()]),
                   Markup('<a href="{0}">{0}</a>').format(link.group())]
        position = link.end()
    pieces.append(escape(text[position:]))
    return Markup("<br>\n").join(Markup("").join(pieces).split("\n"))


@dataclass
class MailBody:
    texts: list[str] = field(default_factory=list)
    htmls: list[Markup] = field(default_factory=list)

    def paragraph(self, text: str) -> MailBody:
        if text.strip():
            self.texts.append(text.strip())
            self.htmls.append(Markup("<p>{}</p>").format(html_paragraph(text.strip())))
        return self

    def quote(self, text: str) -> MailBody:
        """Plain text someone wrote, quoted."""
        if text.strip():
            self.texts.append("\n".join(f"> {line}".rstrip()
                                        for line in text.strip().split("\n")))
            self.htmls.append(Markup('<blockquote style="{}"><p>{}</p></blockquote>').format(
                QUOTE_STYLE, html_paragraph(text.strip())))
        return self

    def rendered(self, sanitised_html: str, quoted: bool = False) -> MailBody:
        """HTML the portal rendered and sanitised (a reply, a summary in Markdown)."""
        text = readable_text(sanitised_html)
        if not text:
            return self
        self.texts.append("\n".join(f"> {line}".rstrip() for line in text.split("\n"))
                          if quoted else text)
        html = Markup(_absolute_links(sanitised_html))  # noqa: S704 - sanitised when rendered
        self.htmls.append(Markup('<blockquote style="{}">{}</blockquote>').format(
            QUOTE_STYLE, html) if quoted else html)
        return self

    def markdown(self, source: str, quoted: bool = False) -> MailBody:
        """Text staff wrote, perhaps in Markdown, as the portal would render it."""
        try:
            return self.rendered(markdown.render(source.strip()).html, quoted)
        except markdown.RenderError:
            return self.paragraph(source)

    def items(self, heading: str, items: list[str]) -> MailBody:
        if items:
            self.texts.append("\n".join([heading, *(f"- {item}" for item in items)]))
            self.htmls.append(Markup("<p>{}</p><ul>{}</ul>").format(heading, Markup("").join(
                Markup("<li>{}</li>").format(item) for item in items)))
        return self

    @property
    def text(self) -> str:
        return "\n\n".join(self.texts)

    @property
    def html(self) -> str:
        return str(Markup("\n").join(self.htmls))


def _absolute_links(sanitised_html: str) -> str:
    """The portal's own links (``/articles/...``) as addresses a mail client can open."""
    return SITE_LINK.sub(lambda match: match.group(1) + base_url(for_email=True) + "/",
                         sanitised_html)


def readable_text(sanitised_html: str) -> str:
    reader = _Reader()
    reader.feed(sanitised_html)
    reader.close()
    return reader.result()


GAP_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "table",
            "dl", "hr", "figure", "details", "section"}
LINE_TAGS = {"tr", "dt", "dd", "summary", "figcaption", "caption"}
INDENT = "   "


class _Reader(HTMLParser):
    """Sanitised HTML to plain text a person reads in a mail client."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []  # [tag, next number] of each open list
        self.links: list[tuple[str, int]] = []  # href and where its text starts
        self.pre = self.quotes = 0
        self.cells = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "br":
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush() if self.lists else self._gap()
            self.lists.append([tag, int(attributes.get("start") or 1)])
        elif tag == "li":
            self._list_item()
        elif tag == "a":
            self.links.append((attributes.get("href") or "", len(self.current)))
        elif tag == "img" and attributes.get("alt"):
            self.current.append(attributes["alt"])
        elif tag in ("td", "th"):
            if self.cells:
                self.current = ["".join(self.current).rstrip(), " | "]
            self.cells += 1
        elif tag in GAP_TAGS and not (tag == "p" and self.lists):
            self._gap()
            self.pre += tag == "pre"
            self.quotes += tag == "blockquote"
        elif tag in LINE_TAGS:
            self._flush()
            self.cells = 0

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._gap()
        elif tag == "a" and self.links:
            self._end_link(*self.links.pop())
        elif tag in GAP_TAGS and not (tag == "p" and self.lists):
            self._gap()
            self.pre -= tag == "pre" and self.pre > 0
            self.quotes -= tag == "blockquote" and self.quotes > 0
        elif tag in LINE_TAGS:
            self._flush()

    def handle_data(self, data):
        if data.strip() == markdown.PERMALINK_MARK:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if not self.current or self.current[-1].endswith((". ", "- ", " | ")):
                data = data.lstrip()
        self.current.append(data)

    def _list_item(self):
        self._flush()
        kind, number = self.lists[-1] if self.lists else ("ul", 1)
        if self.lists and kind == "ol":
            self.lists[-1][1] += 1
        indent = INDENT * (len(self.lists) - 1)
        self.current.append(f"{indent}{number}. " if kind == "ol" else f"{indent}- ")

    def _end_link(self, href: str, start: int):
        text = "".join(self.current[start:]).strip()
        if not href or href.startswith("#") or href.startswith("mailto:"):
            return
        if href.startswith("/"):
            href = absolute_url(href, for_email=True)
        if href not in text:
            self.current.append(f" ({href})")

    def _flush(self):
        text = "".join(self.current)
        self.current = []
        lines = text.split("\n") if self.pre else [text]
        prefix = "> " * self.quotes
        for line in lines:
            line = line.rstrip()
            if line.strip() or self.pre:
                self.lines.append(f"{prefix}{line}".rstrip() if prefix else line)

    def _gap(self):
        self._flush()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def result(self) -> str:
        self._flush()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip("\n")
