"""The portal's own tables scroll in the one box of ``templates/_layout.html`` (named, taking
the focus, with shadows where it is cut); a box written by hand had no name, no focus and no
cue. The browser tests look at the shadows."""

from __future__ import annotations

from tests.conftest import REPO_ROOT


def test_no_template_writes_a_table_box_by_hand():
    by_hand = [str(template.relative_to(REPO_ROOT))
               for template in (REPO_ROOT / "templates").rglob("*.html")
               if template.name != "_layout.html"
               and 'class="table-scroll' in template.read_text()]
    assert by_hand == []

