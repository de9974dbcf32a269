"""Checks of a page's HTML for assistive technology: a refused form's error summary, a field
tied to its messages, a button's accessible name."""

from __future__ import annotations

import lxml.html


def parsed(response):
    return lxml.html.fromstring(response.get_data(as_text=True))


def refused_summary(response, summary_id: str):
    """The summary of a refused page: the title starts "Error:", the browser lands on the
    summary (the form's action names it, or, for a form whose success goes elsewhere and so
    must post without a fragment, the summary takes the focus itself), which is an alert that
    can take focus and links each problem to a field of the page. Returns the page and the
    summary."""
    page = parsed(response)
    assert page.findtext(".//title").startswith("Error: "), page.findtext(".//title")
    summary = page.get_element_by_id(summary_id)
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    form = next(summary.iterancestors("form"), None)  # none where nothing is left to send
    if summary.get("autofocus") is None:
        assert (form.get("action") or "").endswith(f"#{summary_id}")
    elif form is not None:
        assert "#" not in (form.get("action") or "")
    for link in summary.iter("a"):
        assert page.xpath(f'//*[@id="{link.get("href")[1:]}"]'), link.get("href")
    return page, summary


def problems(summary) -> dict[str, str]:
    """Each problem of a summary by the field it links to."""
    return {item.find("a").get("href"): " ".join(item.text_content().split())
            for item in summary.iter("li") if item.find("a") is not None}


def described_by(page, element_id: str) -> list[str]:
    """The texts that describe the element, in order (every id must exist)."""
    element = page.get_element_by_id(element_id)
    return [" ".join(page.get_element_by_id(ref).text_content().split())
            for ref in (element.get("aria-describedby") or "").split()]


def button_names(page, text: str) -> list[str]:
    """The names of the buttons whose visible text starts with ``text``."""
    return [" ".join(button.text_content().split()) for button in page.iter("button")
            if (button.text or "").strip().startswith(text)]
