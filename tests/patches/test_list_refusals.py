"""The patches page offers in its filters only values it accepts: each option lists patches
(200), never the refusal a value no patch can have gets (``tests/test_list_filter_pages.py``);
a product only a draft patch names is neither offered nor accepted."""

from __future__ import annotations

import lxml.html
import pytest


@pytest.fixture
def offered(publish):
    publish(title="Listed 11.1 and 12.0", versions=["11.1", "12.0"])
    publish(title="Analytics fix", product="Orbit Analytics", versions=["2026.1"],
            kind="service-pack")
    publish(title="Nova preview", product="Orbit Nova", versions=["1.0"], publish=False)


def _options(page: str) -> dict[str, list[str]]:
    form = lxml.html.fromstring(page).xpath('//form[@aria-label="Filter patches"]')[0]
    return {select.get("name"): [option.get("value") for option in select.iter("option")
                                 if option.get("value")]
            for select in form.iter("select")}


def test_every_value_the_filters_offer_is_accepted(auth, offered):
    auth.login("elite@demo.test")
    options = _options(auth.client.get("/patches/").get_data(as_text=True))
    assert options["product"] == ["orbit-analytics", "orbit-erp"]
    assert {"2026.1", "11.1", "12.0"} <= set(options["version"])
    assert "1.0" not in options["version"]
    assert len(options["kind"]) == 4
    for field, values in options.items():
        for value in values:
            answer = auth.client.get("/patches/", query_string={field: value})
            assert answer.status_code == 200, (field, value)
            assert "filter-problem" not in answer.get_data(as_text=True)
    for field, value in (("product", "orbit-nova"), ("version", "1.0")):
        assert auth.client.get("/patches/", query_string={field: value}).status_code == 422


def test_staff_filter_by_what_only_a_draft_names(auth, offered):
    auth.login("staff@demo.test")
    answer = auth.client.get("/patches/", query_string={"product": "Orbit Nova"})
    assert answer.status_code == 200 and "Nova preview" in answer.get_data(as_text=True)
