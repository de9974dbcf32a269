"""A form under a section heading starts where its heading does: the narrow centred column is
for a page that is only a form (signing in), not for a form among tables and headings."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.layout_pages import DESKTOP, PAGE_TYPES

pytestmark = pytest.mark.browser

WITH_SECTION_FORMS = [page_type for page_type in PAGE_TYPES
                      if page_type.name in ("staff-alerts", "staff-alert")]


@pytest.mark.parametrize("page_type", WITH_SECTION_FORMS, ids=lambda page_type: page_type.name)
def test_a_section_form_lines_up_with_its_heading(signed_in, page_type):
    address = signed_in.address_of(page_type)
    page = signed_in.for_user(page_type.user)
    page.set_viewport_size(DESKTOP)
    page.goto(address)
    forms = page.locator("main h2 + form")
    assert forms.count() >= 1, f"{address} has no form under a section heading"
    for form in forms.all():
        expect(form).to_have_css("margin-left", "0px")
