"""A refused patch comes back with a summary where the browser lands, the page titled
"Error: ...", each problem linked to its field."""

from __future__ import annotations

from tests.a11y import problems, refused_summary
from tests.conftest import csrf_token
from tests.patches.publishing_helpers import _post_form
from tests.patches.test_editing import edit_fields


def test_a_patch_without_title_is_summarised(staff_client):
    answer = _post_form(staff_client, title="")

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "patch-problem")
    assert page.findtext(".//title").startswith("Error: Publish a patch")
    assert list(problems(summary)) == ["#title"]


def test_a_refused_correction_posts_to_its_own_address_and_its_summary_takes_the_focus(
        staff_client, publish):
    # the saved correction goes to the patch's page: an action ending in #patch-problem would
    # stay in the address bar after that redirect, so the summary takes the focus itself
    patch_id = publish(title="Rounding fix", versions=["12.0"])

    answer = staff_client.post(f"/patches/{patch_id}/edit", data={
        **edit_fields(title=""), "csrf_token": csrf_token(staff_client, f"/patches/{patch_id}")})

    assert answer.status_code == 422
    page, summary = refused_summary(answer, "patch-problem")
    assert summary.get("autofocus") is not None
    assert next(summary.iterancestors("form")).get("action") is None
    assert list(problems(summary)) == ["#title"]
