"""A link drawn as a button stays a link: ``class="button"`` gives it the look, never
``role="button"``, which promises a button's Space key to a screen-reader user while the link
only answers Enter (WCAG 4.1.2). The browser tests look at the drawing."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT

LINK_AS_BUTTON = re.compile(r"<a\b[^>]*\brole=\"button\"")


def test_no_template_gives_a_link_the_role_of_a_button():
    found = [f"{template.relative_to(REPO_ROOT)}: {match.group(0)}"
             for template in (REPO_ROOT / "templates").rglob("*.html")
             for match in LINK_AS_BUTTON.finditer(template.read_text())]
    assert found == []
