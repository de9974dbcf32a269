"""On a list page that refused a filter value (``tests/test_list_filter_pages.py``), the
refused filter's select shows the value asked for, never "All products" as if nothing were
asked: chosen, marked invalid and described by the sentence that names it, so that a screen
reader tells the field, the value and the problem together. The other filters keep what was
asked; sending the form as shown asks the same again."""

from __future__ import annotations

import re

import lxml.html
import pytest

from tests import test_list_filter_pages as list_pages

catalogue, reader = list_pages.catalogue, list_pages.reader  # its fixtures, here too

CASES = [
    ("/articles/", "product", "Orbitt"),
    ("/articles/", "version", "99.0"),
    ("/articles/", "kind", "bogus"),
    ("/articles/", "tag", "nope"),
    ("/release-notes/", "product", "Orbit Nova"),  # only a draft names it
    ("/release-notes/", "version", "Orbit ERP@13.0"),
    ("/sessions/recordings", "product", "Orbitt"),
    ("/sessions/recordings", "topic", "nope"),
    ("/patches/", "product", "Orbit Nova"),
    ("/patches/", "version", "99.0"),
    ("/patches/", "kind", "bogus"),
]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _page(answer):
    return lxml.html.fromstring(answer.get_data(as_text=True))


def _filters(page):
    return next(form for form in page.forms if (form.get("aria-label") or "").startswith(
        "Filter"))


def _chosen(select) -> list[tuple[str, str]]:
    return [(option.get("value"), " ".join(option.text_content().split()))
            for option in select.xpath(".//option[@selected]")]


def _described(page, element) -> list[str]:
    return [" ".join(page.get_element_by_id(ref).text_content().split())
            for ref in (element.get("aria-describedby") or "").split()]


@pytest.mark.parametrize("path, field, value", CASES)
def test_the_refused_value_stays_chosen_in_its_field_marked_invalid(reader, path, field,
                                                                    value):
    answer = reader.get(path, query_string={field: value})
    assert answer.status_code == 422
    page = _page(answer)
    assert page.findtext(".//title").startswith("Error: ")
    form = _filters(page)
    select = form.xpath(f'.//select[@name="{field}"]')[0]
    assert _chosen(select) == [(value, f"{value} (not found)")]
    assert select.get("aria-invalid") == "true"
    assert _described(page, select) == [f"There is no {field} called {value!r}."]
    others = [other for other in form.iter("select") if other is not select]
    assert others and all(other.get("aria-invalid") is None
                          and other.get("aria-describedby") is None for other in others)
    # the form as shown asks the same: the refusal again, never a list as if unfiltered
    again = reader.get(path, query_string=form.form_values())
    assert again.status_code == 422 and _described(_page(again), _filters(
        _page(again)).xpath(f'.//select[@name="{field}"]')[0]) == _described(page, select)


@pytest.mark.parametrize("path", ["/articles/", "/release-notes/", "/patches/"])
def test_the_filters_not_refused_keep_what_was_asked(reader, path):
    answer = reader.get(path, query_string={"product": "orbit-erp", "version": "99.0"})
    assert answer.status_code == 422
    form = _filters(_page(answer))
    product = form.xpath('.//select[@name="product"]')[0]
    assert _chosen(product) == [("orbit-erp", "Orbit ERP")]
    assert product.get("aria-invalid") is None
    assert _chosen(form.xpath('.//select[@name="version"]')[0]) == [
        ("99.0", "99.0 (not found)")]


@pytest.mark.parametrize("path", ["/articles/", "/sessions/recordings", "/patches/"])
@pytest.mark.parametrize("value", ["\x00", "orbit-erp\x1f", "Orbit ERP\x07"])
def test_a_value_with_a_control_character_is_shown_as_python_writes_it(reader, path, value):
    """No page carries a control character: the field shows it escaped, which is refused
    again if sent, never read as the product its other characters name."""
    answer = reader.get(path, query_string={"product": value})
    assert answer.status_code == 422
    assert not CONTROL.search(answer.get_data(as_text=True))
    form = _filters(_page(answer))
    shown = repr(value)[1:-1]
    assert _chosen(form.xpath('.//select[@name="product"]')[0]) == [
        (shown, f"{shown} (not found)")]
    assert reader.get(path, query_string=form.form_values()).status_code == 422


@pytest.mark.parametrize("path, asked, refused, chosen", [
    ("/patches/", {"kind": "PATCH"}, {"product": "Orbitt"}, ("kind", "patch", "Patch")),
    ("/patches/", {"product": "ORBIT ERP"}, {"kind": "bogus"},
     ("product", "orbit-erp", "Orbit ERP")),
    ("/articles/", {"kind": "How-To"}, {"tag": "nope"}, ("kind", "how-to", "How to")),
    ("/articles/", {"tag": "YEAR-END"}, {"kind": "bogus"}, ("tag", "year-end", "year-end")),
    ("/sessions/recordings", {"topic": "FINANCE"}, {"product": "Orbitt"},
     ("topic", "Finance", "Finance")),
])
def test_the_filters_not_refused_are_chosen_in_any_case_as_the_list_reads_them(
        reader, path, asked, refused, chosen):
    """A value the list accepts in any case (``kind=PATCH`` filters as ``patch``, on the page
    and in the API) is the option chosen beside a refused one, never "All kinds"."""
    assert reader.get(path, query_string=asked).status_code == 200
    answer = reader.get(path, query_string={**asked, **refused})
    assert answer.status_code == 422
    field, value, label = chosen
    form = _filters(_page(answer))
    assert _chosen(form.xpath(f'.//select[@name="{field}"]')[0]) == [(value, label)]
    [(name, sent)] = refused.items()
    assert _chosen(form.xpath(f'.//select[@name="{name}"]')[0]) == [(sent, f"{sent} (not found)")]


def test_the_api_reads_a_kind_in_any_case_as_the_page_does(reader):
    listed = reader.get("/api/v1/patches", query_string={"kind": "PATCH"})
    assert listed.status_code == 200 and listed.get_json()["patches"]
