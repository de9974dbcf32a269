"""Assembling an imported article's body from its file: include fragments inlined and relative
links rewritten to the imported articles' URLs, so that the stored Markdown stands alone.

Only what needs the files happens here; the DocFX syntax itself (alerts, ``:::image:::``, code
references, includes that could not be resolved) is the renderer's (``kb/docfx.py``)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from kb import markdown
from kb.articles.importing.containment import FolderBounds
from kb.articles.importing.front_matter import FrontMatterError, read_text, split_front_matter
from kb.docfx import CODE_REFERENCE, INCLUDE

FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})", re.MULTILINE)
# [text](target "title"), the text holding up to two levels of brackets ([![alt](img)](x))
INLINE_LINK = re.compile(
    r"(?<![!\\])\[((?:[^\[\]\n]|\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\])*)\]"
    r"\(\s*(<[^>\n]*>|[^)\s]+)((?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?)\s*\)"
)
REFERENCE_DEFINITION = re.compile(r"^( {0,3}\[[^\]\n]+\]:[ \t]*)<?([^\s>]+)>?", re.MULTILINE)
HTML_HREF = re.compile(r"(<a\s[^>]*?href\s*=\s*)([\"'])([^\"']*)\2", re.IGNORECASE)
SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
PLACEHOLDER = re.compile("\x00(\\d+)\x00")
# what a fragment's second and later lines need to stay in the directive's blockquote or list
LINE_PREFIX = re.compile(r"(?P<quote>[ \t>]*)(?P<marker>(?:\d{1,9}[.)]|[-*+])[ \t]+)?")
MAX_INCLUDE_DEPTH = 10


class IncludeRefused(Exception):
    """An include whose file may not be read (see ``containment``), at ``line`` of the
    article's file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


class BodyAssembler:
    """Assembles bodies for one import: ``article_slugs`` maps each article file's path
    relative to the folder (lower-case, ``/``-separated) to its slug."""

    def __init__(self, bounds: FolderBounds, article_slugs: dict[str, str]):
        self.bounds = bounds
        self.root = bounds.root
        self.article_slugs = article_slugs
        self._fragments: dict[Path, str] = {}
        # a fragment is included by hundreds of articles of one directory: each include's file
        # is looked up (real path, bounds, is it a file) once per import, not once per article
        self._resolved: dict[tuple[Path, str], Path | str | None] = {}
        self._urls: dict[tuple[Path, str], str | None] = {}

    def assemble(self, path: Path, body: str, first_line: int = 1) -> str:
        """The body with its includes inlined and its links rewritten; ``IncludeRefused``
        names the line (``first_line`` is the body's first line in the file) of an include
        that leads out of the folder's bounds, directly or through the fragments it includes."""
        return self._expand(path, body, (path.resolve(),), first_line)

    def _expand(self, path: Path, text: str, stack: tuple[Path, ...], first_line: int) -> str:
        parts = []
        for segment, is_code in _split_code(text):
            parts.append(segment if is_code
                         else self._expand_prose(path, segment, stack, first_line))
            first_line += segment.count("\n")
        return "".join(parts)

    def _expand_prose(self, path: Path, text: str, stack: tuple[Path, ...],
                      first_line: int) -> str:
        held: list[str] = []

        def hold(match: re.Match) -> str:
            held.append(match.group(0))
            return f"\x00{len(held) - 1}\x00"

        text = CODE_REFERENCE.sub(hold, INCLUDE.sub(hold, text))
        text = self._rewrite_links(path.parent, text)

        def restore(match: re.Match) -> str:
            directive = held[int(match.group(1))]
            include = INCLUDE.fullmatch(directive)
            if include is None:
                return directive
            line_start = text.rfind("\n", 0, match.start()) + 1
            line = first_line + text.count("\n", 0, line_start)
            prefix = LINE_PREFIX.match(text, line_start)
            target = include.group("path")
            return self._inline(path, directive, target and target.strip(), prefix, stack, line)

        return PLACEHOLDER.sub(restore, text)

    def _inline(self, path: Path, directive: str, target: str | None, prefix_match: re.Match,
                stack: tuple[Path, ...], line: int) -> str:
        """The fragment's assembled text, or the directive unchanged when the fragment is
        missing, written to be outside the folder, or part of a cycle (the renderer then shows
        a notice)."""
        fragment_path = self._resolve_file(path.parent, target, line) if target else None
        if fragment_path is None or fragment_path in stack or len(stack) > MAX_INCLUDE_DEPTH:
            return directive
        if fragment_path not in self._fragments:
            fragment = _fragment_text(fragment_path)
            try:
                self._fragments[fragment_path] = self._expand(
                    fragment_path, fragment, (*stack, fragment_path), 1)
            except IncludeRefused as refused:
                raise IncludeRefused(line, f"the include {target.strip()!r}: {refused.message}"
                                     ) from None
        return self._fragments[fragment_path].replace("\n", "\n" + _continuation(prefix_match))

    def _resolve_file(self, directory: Path, target: str, line: int) -> Path | None:
        """The real path of an include's file inside the folder; None when it is missing or
        written to be outside the folder (never read). A path inside the folder by its name
        that is not in fact (a symbolic link) is refused."""
        key = (directory, target)
        if key not in self._resolved:
            self._resolved[key] = self._look_up_file(directory, target)
        found = self._resolved[key]
        if isinstance(found, str):
            raise IncludeRefused(line, found)
        return found

    def _look_up_file(self, directory: Path, target: str) -> Path | str | None:
        """``_resolve_file``'s answer, the refusal's message in place of raising it."""
        written = target
        target = unquote(target.strip().strip("<>")).split("#")[0].split("?")[0]
        base = self.root if target.startswith("~/") else directory
        candidate = Path(os.path.normpath(base / target.removeprefix("~/")))
        if not candidate.is_relative_to(self.root):
            return None
        refusal = self.bounds.refusal(candidate, f"the include {written.strip()!r}")
        if refusal:
            return refusal
        real = candidate.resolve()
        return real if real.is_file() else None

    def _rewrite_links(self, directory: Path, text: str) -> str:
        def inline(match: re.Match) -> str:
            link_text, target, title = match.groups()
            url = self._article_url(directory, target.strip("<>"))
            if url is None:
                return match.group(0)
            return link_text if url == "" else f"[{link_text}]({url}{title})"

        def definition(match: re.Match) -> str:
            url = self._article_url(directory, match.group(2))
            return match.group(0) if not url else match.group(1) + url

        def href(match: re.Match) -> str:
            url = self._article_url(directory, match.group(3))
            return match.group(0) if not url else f"{match.group(1)}{match.group(2)}{url}" \
                f"{match.group(2)}"

        text = INLINE_LINK.sub(inline, text)
        text = REFERENCE_DEFINITION.sub(definition, text)
        return HTML_HREF.sub(href, text)

    def _article_url(self, directory: Path, target: str) -> str | None:
        """``/articles/<slug>#anchor`` for a link to an imported article; "" for a relative
        link kb cannot serve (an absent file, a sample, a download); None to keep as it is."""
        key = (directory, target)
        if key not in self._urls:
            self._urls[key] = self._find_article_url(directory, target)
        return self._urls[key]

    def _find_article_url(self, directory: Path, target: str) -> str | None:
        if not target or target.startswith(("#", "/")) or SCHEME.match(target):
            return None
        path_part, _, anchor = target.partition("#")
        path_part = unquote(path_part.split("?")[0])
        base = self.root if path_part.startswith("~/") else directory
        resolved = Path(os.path.normpath(base / path_part.removeprefix("~/")))
        if not resolved.is_relative_to(self.root):
            return ""
        relative = resolved.relative_to(self.root).as_posix().lower()
        for candidate in (relative, relative + ".md", relative.rstrip("/") + "/index.md"):
            slug = self.article_slugs.get(candidate)
            if slug is not None:
                return f"/articles/{slug}" + (f"#{markdown.heading_id(anchor)}" if anchor else "")
        return ""


def _continuation(line_start: re.Match) -> str:
    """The start of the directive's line with its list marker turned into spaces: the
    blockquote markers and indentation a fragment's later lines need."""
    quote, marker = line_start.group("quote"), line_start.group("marker") or ""
    return quote + " " * len(marker)


def _split_code(text: str) -> list[tuple[str, bool]]:
    """The text cut into (segment, is fenced code) pieces."""
    pieces, position, fence = [], 0, None
    for match in FENCE.finditer(text):
        marker = match.group(1)
        if fence is None:
            pieces.append((text[position:match.start()], False))
            position, fence = match.start(), marker
        elif marker[0] == fence[0] and len(marker) >= len(fence):
            end = text.find("\n", match.end())
            end = len(text) if end < 0 else end
            pieces.append((text[position:end], True))
            position, fence = end, None
    pieces.append((text[position:], fence is not None))
    return pieces


def _fragment_text(path: Path) -> str:
    """An include fragment's Markdown: front matter dropped, outer blank lines trimmed."""
    try:
        text = read_text(path)
    except UnicodeDecodeError:
        text = path.read_bytes().decode("utf-8", errors="replace")
    try:
        body = split_front_matter(text)[2]
    except FrontMatterError:
        body = text
    return body.strip("\n").rstrip()
