"""Numbered steps with code blocks, as the demo articles and the editor preview show them: list
items indented CommonMark's way (to the item's content column, fences included) stay one item
each, and their code keeps its lines (issue 13, finding 1)."""

from __future__ import annotations

import pytest

from bench.markdown_compare import Node, parse
from kb import PROJECT_ROOT
from kb.articles.importing.front_matter import split_front_matter
from kb.articles.importing.importer import import_paths

CONTENT = PROJECT_ROOT / "content"
INVOICE_YAML = "posting:\n  number_series:\n    cache: 1"


def elements(node: Node, tag: str) -> list[Node]:
    """Every element named ``tag`` under ``node``, in document order."""
    found = []
    for child in node.elements():
        if child.tag == tag:
            found.append(child)
        found.extend(elements(child, tag))
    return found


def article_body(page_html: str) -> Node:
    return next(node for node in elements(parse(page_html), "div")
                if "article-body" in node.attributes.get("class", "").split())


def steps(body: Node) -> list[Node]:
    """The items of the first numbered list."""
    return [item for item in elements(body, "ol")[0].elements() if item.tag == "li"]


def words(node: Node) -> str:
    return " ".join(node.text().split())


def code_texts(node: Node) -> list[str]:
    return [pre.text().rstrip("\n") for pre in elements(node, "pre")]


@pytest.fixture
def reader(app, client, auth, customer_on):
    with app.app_context():
        assert import_paths([CONTENT]).errors == []
    auth.login(customer_on("elite"))

    def read(slug: str) -> Node:
        response = client.get(f"/articles/{slug}")
        assert response.status_code == 200
        return article_body(response.get_data(as_text=True))

    return read


def test_posting_job_steps_are_four_items_with_the_command_in_step_one(reader):
    body = reader("erp/posting-job-stuck")
    items = steps(body)
    assert len(items) == 4
    assert code_texts(items[0]) == ["orbitctl jobs status POST-BATCH"]
    assert "console" not in items[0].text()
    assert words(items[0]).endswith("If the answer shows owner: none, the job is orphaned.")
    assert words(items[1]).startswith("Reset it: orbitctl jobs reset POST-BATCH.")
    assert words(items[2]) == "Set the entry to Ready. It starts within a minute."
    assert words(items[3]).startswith("Look in logs/orbit-server.log")
    assert code_texts(body) == ["orbitctl jobs status POST-BATCH"]


def test_invoice_workaround_yaml_keeps_its_lines(reader):
    body = reader("erp/invoice-numbering-duplicates-12-0")
    items = steps(body)
    assert len(items) == 3
    assert code_texts(items[0]) == [INVOICE_YAML]
    assert words(items[1]) == "Restart the servers one at a time: orbitctl restart --drain."
    assert code_texts(body)[1] == INVOICE_YAML
    assert code_texts(body)[0].startswith("SELECT document_no, COUNT(*) AS copies\nFROM ")


def preview(auth, name: str) -> Node:
    """The editor's preview of a demo file's body, as a writer would paste it."""
    body = split_front_matter((CONTENT / "erp" / name).read_text())[2]
    response = auth.post("/staff/articles/preview", {"body": body})
    assert response.status_code == 200
    return parse(response.get_json()["html"])


def test_editor_preview_renders_the_same(auth, demo_accounts):
    auth.login("staff@demo.test")
    invoice = steps(preview(auth, "invoice-numbering-duplicates-12-0.md"))
    assert len(invoice) == 3
    assert code_texts(invoice[0]) == [INVOICE_YAML]
    posting = steps(preview(auth, "posting-job-stuck.md"))
    assert len(posting) == 4
    assert code_texts(posting[0]) == ["orbitctl jobs status POST-BATCH"]
