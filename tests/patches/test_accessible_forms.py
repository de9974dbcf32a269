"""A refused patch comes back with a summary where the browser lands, the page titled
"Error: ...", each problem linked to its field."""

from __future__ import annotations

from tests.a11y import problems, refused_summary
from tests.patches.publishing_helpers import _post_form


def test_a_patch_without_title_is_summarised(staff_client):
    answer = _post_form(staff_client, title="")

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "patch-problem")
    assert page.findtext(".//title").startswith("Error: Publish a patch")
    assert list(problems(summary)) == ["#title"]
