"""Search names an article's kind as the knowledge base does ("How to", not "how-to"), in the
Kind filter, its chip and each result's line."""

from __future__ import annotations

import re

from tests.engines import both_search_backends

pytestmark = both_search_backends


def test_kinds_read_as_the_knowledge_base_names_them(client, auth, publish, demo_accounts):
    publish("Ledger close checklist", "Close the ledger step by step.", kind="how-to")
    auth.login("xtreme@demo.test")
    page = client.get("/search?q=ledger").get_data(as_text=True)
    facet = page.split('data-facet="kind"', 1)[1].split("</section>", 1)[0]
    assert re.search(r">\s*How to</a>", facet) and "how-to</a>" not in facet
    assert "Article · How to" in page
    chosen = client.get("/search?q=ledger&kind=how-to").get_data(as_text=True)
    assert "Kind: How to" in chosen
