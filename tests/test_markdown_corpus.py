"""Lists as real DocFX articles of the shared corpus write them (CommonMark indentation: content
at the item's content column) render as CommonMark and DocFX do: code blocks, tables, notes and
nested lists inside numbered steps, some of them coming from include fragments. Each article's
lists and code blocks must also match markdown-it-py's (the CommonMark reference)."""

from __future__ import annotations

import pytest

from bench.markdown_compare import REFERENCE, Node, parse, structure
from kb import markdown
from kb.articles.importing.assembly import BodyAssembler
from kb.articles.importing.containment import FolderBounds
from kb.articles.importing.content_files import parse_content_file
from tests.conftest import SHARED_DIR, needs_shared

DOCS = SHARED_DIR / "corpus" / "articles" / "dynamics365smb-docs"
CENTRAL = "business-central"
CODE_IN_NESTED_LIST = f"{CENTRAL}/admin-contact-sync-setup-onprem.md"
TABLE_IN_STEP = f"{CENTRAL}/LocalFunctionality/Australia/how-to-print-balance-sheet-reports.md"
NESTED_LIST = f"{CENTRAL}/across-link-doc-dates-to-posting-dates.md"
NOTE_IN_STEP = f"{CENTRAL}/LocalFunctionality/France/how-to-view-ledger-reconciliations.md"
UNCLOSED_VIDEO_TAG = "archive/ai-in-bc-tabs.md"
COMMENT_THEN_SPACES = "archive/ui-user-personalization.md"
ROWS_AND_COLUMNS = "archive/readiness-learning-catalog.md"
STEPS_IN_COLUMNS = f"{CENTRAL}/bank-how-setup-bank-accounts.md"
TOKEN_LINE = ("PasswordRequired := AzureADMgt.GetAccessToken(AzureADMgt.GetO365Resource,"
              "AzureADMgt.GetO365ResourceName,TRUE) = '';")

pytestmark = needs_shared(DOCS)


def assembled_body(relative: str) -> str:
    """The article's Markdown as the importer stores it (front matter off, includes inlined)."""
    path = DOCS / relative
    parsed = parse_content_file(path, relative)
    assembler = BodyAssembler(FolderBounds(DOCS.resolve(), DOCS / "no-data-directory"), {})
    return assembler.assemble(path, parsed.fields.body, parsed.body_line)


def rendered(relative: str) -> Node:
    return parse(markdown.render(assembled_body(relative)).html)


def children(node: Node, tag: str) -> list[Node]:
    return [child for child in node.elements() if child.tag == tag]


def descendants(node: Node, tag: str) -> list[Node]:
    found = []
    for child in node.elements():
        found.extend([child] if child.tag == tag else [])
        found.extend(descendants(child, tag))
    return found


def words(node: Node) -> str:
    return " ".join(node.text().split())


@pytest.mark.parametrize("relative", [CODE_IN_NESTED_LIST, TABLE_IN_STEP, NESTED_LIST,
                                      NOTE_IN_STEP, UNCLOSED_VIDEO_TAG, COMMENT_THEN_SPACES])
def test_lists_and_code_match_the_commonmark_reference(relative):
    body = assembled_body(relative)
    assert structure(markdown.render(body).html) == structure(REFERENCE.render(body))


def test_code_blocks_inside_a_nested_list_inside_a_step():
    steps = children(descendants(rendered(CODE_IN_NESTED_LIST), "ol")[0], "li")
    assert len(steps) == 2
    options = children(children(steps[1], "ul")[0], "li")
    assert len(options) == 3
    assert [pre.text().rstrip("\n") for pre in descendants(options[0], "pre")] == [TOKEN_LINE]
    assert [pre.text().rstrip("\n") for pre in descendants(options[1], "pre")] == [TOKEN_LINE]
    assert words(options[2]).startswith("Set up Power BI by following the instructions")
    # the paragraph after the options is still step 2's
    assert words(steps[1]).endswith("They'll only need to do this step once.")


def test_table_inside_a_step_from_an_include_fragment():
    steps = children(descendants(rendered(TABLE_IN_STEP), "ol")[0], "li")
    assert len(steps) == 3
    tables = descendants(steps[1], "table")
    assert len(tables) == 1
    assert words(descendants(tables[0], "td")[0]) == "Amounts in whole"
    assert words(steps[2]).startswith("Choose the Print button")


def test_nested_bullets_from_an_include_fragment():
    outer = children(descendants(rendered(NESTED_LIST), "ul")[0], "li")
    assert len(outer) == 2
    inner = children(children(outer[0], "ul")[0], "li")
    assert [words(item) for item in inner] == [
        "The date on the sales invoice that you sent to the customer.",
        "The date on the purchase invoice that you received from your vendor."]
    assert words(outer[1]).startswith("The Posting Date shows when a document was registered")


def test_note_inside_a_step_stays_in_the_step():
    steps = children(descendants(rendered(NOTE_IN_STEP), "ol")[0], "li")
    assert len(steps) == 4
    note = [div for div in descendants(steps[2], "div")
            if div.attributes.get("class") == "admonition note"]
    assert len(note) == 1 and words(note[0]) == "Note You must specify a date filter."
    assert words(steps[3]).startswith("Choose the Preview button.")


def test_the_article_after_a_bare_video_tag_is_rendered_not_shown_as_source():
    html = markdown.render(assembled_body(UNCLOSED_VIDEO_TAG)).html
    assert "**Learn more in:**" not in html and "\n- " not in html
    assert len(descendants(parse(html), "ul")) == 18


def test_row_and_column_content_is_markdown_as_docfx_renders_it_not_code():
    """The reference knows no DocFX layouts and shows the indented column content as code
    blocks (Markdown source); DocFX, and kb, render it."""
    catalog = rendered(ROWS_AND_COLUMNS)
    assert not descendants(catalog, "pre")
    assert "Business decision maker¶" in [words(h) for h in descendants(catalog, "h3")]
    assert len(descendants(catalog, "a")) > 10 and ":::" not in catalog.text()
    bank = rendered(STEPS_IN_COLUMNS)
    assert not descendants(bank, "pre") and "![" not in bank.text()
    assert "Illustration of payments received from the bank" in bank.text()
