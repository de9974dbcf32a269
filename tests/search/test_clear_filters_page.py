"""The search page names each filter chosen above the results, as a link that removes that
filter alone (the words, the sort and the other filters kept, back to the first page), and,
with more than one, a link that clears them all and keeps the words: also when the filters
leave nothing found."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from tests.engines import both_search_backends

pytestmark = both_search_backends


@pytest.fixture
def articles(publish, demo_accounts):
    publish("Configure posting groups", "Posting groups map accounts.",
            products=("Orbit ERP",), versions=("12.0",), kind="how-to")
    publish("Posting errors explained", "When posting fails, read the error.",
            products=("Orbit Analytics",), kind="troubleshooting")
    publish("Posting across products", "Posting in both.",
            products=("Orbit ERP", "Orbit Analytics"), kind="how-to")


def _chosen(client, asked: dict | str) -> tuple[str, dict[str, str]]:
    """The page's text and its links of the filters chosen, by their accessible name, of a
    search (its arguments, or a link's address)."""
    answer = client.get(asked) if isinstance(asked, str) else client.get(
        "/search", query_string=asked)
    assert answer.status_code == 200
    page = lxml.html.fromstring(answer.get_data(as_text=True))
    navs = page.xpath('//nav[@aria-label="Filters chosen"]')
    links = {}
    for link in (navs[0].iter("a") if navs else ()):
        for hidden in link.xpath('.//*[@aria-hidden="true"]'):
            hidden.drop_tree()
        links[" ".join(link.text_content().split())] = link.get("href")
    return " ".join(page.text_content().split()), links


def _arguments(href: str) -> dict[str, list[str]]:
    parts = urlsplit(href)
    assert parts.path == "/search"
    return parse_qs(parts.query)


def test_each_filter_chosen_is_a_link_removing_it_alone(client, auth, articles):
    auth.login("xtreme@demo.test")
    text, links = _chosen(client, {"q": "posting", "product": "orbit-erp", "kind": "how-to",
                                   "sort": "date", "page": "2"})
    assert list(links) == ["Remove the filter Product: Orbit ERP",
                           "Remove the filter Kind: How to", "Clear all filters"]
    assert _arguments(links["Remove the filter Product: Orbit ERP"]) == {
        "q": ["posting"], "kind": ["how-to"], "sort": ["date"]}
    assert _arguments(links["Remove the filter Kind: How to"]) == {
        "q": ["posting"], "product": ["orbit-erp"], "sort": ["date"]}
    assert _arguments(links["Clear all filters"]) == {"q": ["posting"], "sort": ["date"]}
    text, left = _chosen(client, links["Remove the filter Kind: How to"])
    assert "2 results" in text and list(left) == ["Remove the filter Product: Orbit ERP"]
    text, none = _chosen(client, links["Clear all filters"])
    assert "3 results" in text and none == {}


def test_two_values_of_one_filter_are_removed_one_at_a_time(client, auth, articles):
    auth.login("xtreme@demo.test")
    _, links = _chosen(client, {"q": "posting", "product": ["orbit-erp", "orbit-analytics"]})
    assert _arguments(links["Remove the filter Product: Orbit ERP"]) == {
        "q": ["posting"], "product": ["orbit-analytics"]}
    assert _arguments(links["Remove the filter Product: Orbit Analytics"]) == {
        "q": ["posting"], "product": ["orbit-erp"]}


def test_a_filter_that_leaves_nothing_found_can_be_removed(client, auth, articles):
    auth.login("xtreme@demo.test")
    text, links = _chosen(client, {"q": "errors", "type": "release-note"})
    assert "Nothing found" in text
    assert list(links) == ["Remove the filter Type: Release note"]
    assert _arguments(links["Remove the filter Type: Release note"]) == {"q": ["errors"]}


def test_no_filter_no_links(client, auth, articles):
    auth.login("xtreme@demo.test")
    assert _chosen(client, {"q": "posting"})[1] == {}


def test_a_refused_filter_links_to_the_search_without_it(client, auth, articles):
    auth.login("elite@demo.test")
    refused = client.get("/search", query_string={"q": "posting", "product": "Orbitt",
                                                  "kind": "how-to", "sort": "date"})
    assert refused.status_code == 422
    page = lxml.html.fromstring(refused.get_data(as_text=True))
    link = page.xpath('//*[@role="alert"]//a[contains(@class, "clear-refused-filter")]')
    assert [" ".join(link[0].text_content().split())] == ["Clear the product filter"]
    target = urlsplit(link[0].get("href"))
    assert target.path == "/search"
    assert parse_qs(target.query) == {"q": ["posting"], "kind": ["how-to"], "sort": ["date"]}
    assert client.get(link[0].get("href")).status_code == 200
