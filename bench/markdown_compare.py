"""Compare the lists and code blocks kb renders with those of a CommonMark reference renderer
(markdown-it-py, a test dependency), over content folders: the shared corpus of real DocFX
articles and the demo content. Each article's body is assembled as the importer does (front
matter dropped, includes inlined), then rendered by both. Compared, in document order:

* every code block (``<pre>``): its exact text; files whose code differs only by spaces at line
  ends (Python-Markdown drops them on lines holding nothing else; no one sees them) are counted
  apart;
* every list: ``ul``/``ol``, its start number, and for each item the code blocks, tables and
  lists inside it.

Also printed: kb's CPU time to render them all (one render per file, this process).

    .venv/bin/python -m bench.markdown_compare [FOLDER ...] [--show N] [--list]

Without folders: ``content/`` and ``$KB_SHARED_DIR/corpus/articles`` (default ``../shared``).
"""

from __future__ import annotations

import argparse
import html
import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from kb import markdown
from kb.articles.importing import source_files
from kb.articles.importing.assembly import BodyAssembler
from kb.articles.importing.containment import FolderBounds
from kb.articles.importing.content_files import parse_content_file

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("KB_SHARED_DIR", REPO_ROOT.parent / "shared"))
DEFAULT_FOLDERS = [REPO_ROOT / "content", SHARED_DIR / "corpus" / "articles"]
# what the reference renders besides CommonMark: GFM pipe tables, as DocFX (markdig) does
REFERENCE = MarkdownIt("commonmark").enable("table")
# kb's own additions that have no counterpart in the reference: footnote lists
SKIPPED_CLASSES = {"footnote"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attributes: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text()
                       for child in self.children)

    def elements(self) -> list[Node]:
        return [child for child in self.children if isinstance(child, Node)]


class TreeBuilder(HTMLParser):
    """A forgiving HTML tree: an end tag closes up to its nearest open element of that name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self._close_open_item()
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def _close_open_item(self):
        """HTML's implied end tag: ``<li>a <li>b`` (raw HTML in articles) is two items."""
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag in ("ul", "ol"):
                return
            if self.stack[depth].tag == "li":
                del self.stack[depth:]
                return

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(fragment: str) -> Node:
    builder = TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


@dataclass(frozen=True)
class Structure:
    """What is compared: code block texts and list shapes, in document order."""

    code: tuple[str, ...]
    lists: tuple[tuple, ...]


def structure(fragment: str) -> Structure:
    root = parse(fragment)
    code: list[str] = []
    lists: list[tuple] = []
    code_index: dict[int, int] = {}
    _collect(root, code, lists, code_index)
    return Structure(tuple(code), tuple(lists))


def _skipped(node: Node) -> bool:
    return bool(SKIPPED_CLASSES & set(node.attributes.get("class", "").split()))


def _collect(node: Node, code: list[str], lists: list[tuple], code_index: dict[int, int]):
    for child in node.elements():
        if _skipped(child):
            continue
        if child.tag == "pre":
            code_index[id(child)] = len(code)
            code.append(html.unescape(child.text()).rstrip("\n"))
            continue
        if child.tag in ("ul", "ol"):
            slot = len(lists)
            lists.append(())
            _collect(child, code, lists, code_index)
            lists[slot] = _list_shape(child, code_index)
            continue
        _collect(child, code, lists, code_index)


def _list_shape(node: Node, code_index: dict[int, int]) -> tuple:
    start = node.attributes.get("start", "1") if node.tag == "ol" else ""
    items = tuple(_item_shape(item, code_index) for item in node.elements() if item.tag == "li")
    return (node.tag, start, items)


def _item_shape(item: Node, code_index: dict[int, int]) -> tuple:
    codes, tables, lists = [], 0, 0
    pending = list(item.elements())
    while pending:
        node = pending.pop(0)
        if node.tag == "pre":
            codes.append(code_index.get(id(node), -1))
        elif node.tag == "table":
            tables += 1
        elif node.tag in ("ul", "ol"):
            lists += 1
            continue  # what a nested list holds is its own items'
        pending.extend(node.elements())
    return (tuple(codes), tables, lists)


def article_bodies(folders: list[Path]) -> list[tuple[str, str]]:
    """(path, assembled body) of every article under the folders, as the importer sees them."""
    bodies = []
    for folder in folders:
        # kb's data directory is far away: nothing here is refused as being inside it
        bounds = FolderBounds(folder.resolve(), Path("/nonexistent-kb-data"))
        assembler = BodyAssembler(bounds, {})
        paths, _ = source_files.article_files(folder, bounds)
        for path in sorted(paths):
            parsed = parse_content_file(path, path.relative_to(folder).as_posix())
            if parsed.problems:
                continue
            body = assembler.assemble(path, parsed.fields.body, parsed.body_line)
            bodies.append((str(path.relative_to(folder)), body))
    return bodies


@dataclass
class Comparison:
    files: int
    kb_seconds: float
    differing: list[tuple[str, Structure, Structure]]
    only_spaces: list[str]


def visible(code: tuple[str, ...]) -> tuple[str, ...]:
    """Code blocks without the spaces at line ends and the blank lines at the end."""
    return tuple("\n".join(line.rstrip() for line in text.split("\n")).rstrip("\n")
                 for text in code)


def compare(bodies: list[tuple[str, str]]) -> Comparison:
    markdown.render("warm up")
    differing, only_spaces, kb_seconds = [], [], 0.0
    for path, body in bodies:
        start = time.process_time()
        ours = markdown.render(body).html
        kb_seconds += time.process_time() - start
        mine, reference = structure(ours), structure(REFERENCE.render(body))
        if mine == reference:
            continue
        if mine.lists == reference.lists and visible(mine.code) == visible(reference.code):
            only_spaces.append(path)
        else:
            differing.append((path, mine, reference))
    return Comparison(len(bodies), kb_seconds, differing, only_spaces)


def first_difference(mine: Structure, reference: Structure) -> str:
    for name in ("code", "lists"):
        ours, theirs = getattr(mine, name), getattr(reference, name)
        for index, (a, b) in enumerate(zip(ours, theirs, strict=False)):
            if a != b:
                return f"{name}[{index}]:\n    kb:        {a!r:.300}\n    reference: {b!r:.300}"
        if len(ours) != len(theirs):
            return f"{name}: kb has {len(ours)}, the reference {len(theirs)}"
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    parser.add_argument("--show", type=int, default=0, help="print N differences")
    parser.add_argument("--list", action="store_true", help="print every differing path")
    arguments = parser.parse_args()
    for folder in arguments.folders:
        result = compare(article_bodies([folder]))
        print(f"{folder}: {len(result.differing)} of {result.files} files differ"
              f" ({len(result.only_spaces)} more only by spaces at line ends in code);"
              f" kb renders them in {result.kb_seconds:.2f} s CPU")
        for path, mine, reference in result.differing[:arguments.show]:
            print(f"  {path}\n    {first_difference(mine, reference)}")
        if arguments.list:
            for path, _, _ in result.differing:
                print(f"  {path}")


if __name__ == "__main__":
    main()
