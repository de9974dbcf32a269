"""Correcting a published patch from its page: staff only; the page, the sections and search
show the correction; the files stay; bad input is refused with what was typed kept."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry
from kb.errors import Invalid
from kb.patches.models import Patch
from tests.conftest import csrf_token
from tests.patches.publishing_helpers import patch_titles_found


def edit_fields(**overrides) -> dict:
    return {"title": "Rounding fix", "versions": "12.0", "kind": "patch", "min_plan": "xtreme",
            "released_on": "2026-11-02", "summary": "Invoices round correctly.",
            "description": "Totals are **recounted** now.", "fixed_issues": "ERP-4711: Totals",
            "prerequisites": "", "install_notes": "Restart the ledger.", "known_issues": "",
            "supersedes": "", "release_notes": "", **overrides}


def post_edit(client, patch_id: int, **overrides):
    return client.post(f"/patches/{patch_id}/edit", data={
        **edit_fields(**overrides), "csrf_token": csrf_token(client, f"/patches/{patch_id}")})


@pytest.fixture
def typo_patch(publish):
    return publish(title="Rounding fxi", description="Totals are recountd.",
                   fixed_issues=[("ERP-4710", "Totals")], versions=["12.0"])


def test_staff_correct_a_published_patch_and_page_and_search_follow(app, staff_client, auth,
                                                                    typo_patch, patch_file):
    form = staff_client.get(f"/patches/{typo_patch}/edit").get_data(as_text=True)
    assert 'value="Rounding fxi"' in form and "ERP-4710: Totals" in form
    assert "files stay as they are" in form
    with app.app_context():
        before = db.session.get(Patch, typo_patch)
        updated_before, files_before = before.updated_at, [f.sha256 for f in before.files]

    saved = post_edit(staff_client, typo_patch)

    assert saved.status_code == 302
    page = staff_client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Your changes to Rounding fix are saved." in page
    assert "<strong>recounted</strong>" in page and "Restart the ledger." in page
    assert "ERP-4711" in page and "Rounding fxi" not in page
    with app.app_context():
        patch = db.session.get(Patch, typo_patch)
        assert patch.updated_at > updated_before and patch.status == "published"
        assert [f.sha256 for f in patch.files] == files_before
        assert str(patch.released_on) == "2026-11-02"
        audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "patch.edit"))
        assert audit.target_id == typo_patch and audit.after["title"] == "Rounding fix"
    assert patch_file(typo_patch)[0].endswith("/fix.zip")
    auth.logout()
    auth.login("xtreme@demo.test")
    assert patch_titles_found(auth.client, "ERP-4711") == {"Rounding fix"}
    assert patch_titles_found(auth.client, "recountd") == set()


@pytest.mark.parametrize("overrides, message", [
    ({"title": ""}, "Enter a title."),
    ({"versions": "12.0..11.0"}, "The range 12.0..11.0 ends before it starts."),
    ({"release_notes": "no-such-note"}, "There is no release note &#39;no-such-note&#39;."),
    ({"supersedes": "9999"}, "There is no patch #9999 to supersede."),
    ({"supersedes": "abc"}, "Invalid input."),
])
def test_bad_corrections_are_refused_keeping_what_was_typed(app, staff_client, typo_patch,
                                                           overrides, message):
    refused = post_edit(staff_client, typo_patch, description="Kept *typing*", **overrides)

    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert message in page and "Kept *typing*" in page
    with app.app_context():
        assert db.session.get(Patch, typo_patch).title == "Rounding fxi"


def test_a_patch_cannot_supersede_itself(app, staff_client, typo_patch):
    refused = post_edit(staff_client, typo_patch, supersedes=str(typo_patch))
    assert refused.status_code == 422
    assert "A patch cannot supersede itself." in refused.get_data(as_text=True)


def test_a_patch_supersedes_patches_of_its_own_product_only(app, staff_client, typo_patch,
                                                             publish):
    other = publish(title="Dashboard refresh fix", product="Orbit Analytics")
    refused = post_edit(staff_client, typo_patch, supersedes=str(other))
    assert refused.status_code == 422
    assert "a patch supersedes patches of its own product" in refused.get_data(as_text=True)
    with pytest.raises(Invalid, match="its own product"):
        publish(title="Orbit ERP hotfix", supersedes=[other])


@pytest.mark.parametrize("method, action", [
    ("get", "edit"), ("post", "edit"), ("get", "withdraw"), ("post", "withdraw")])
@pytest.mark.parametrize("reader", ["elite@demo.test", "premium@demo.test"])
def test_customers_may_neither_edit_nor_withdraw(app, client, auth, typo_patch, method, action,
                                                 reader):
    auth.login(reader)
    data = {**edit_fields(), "reason": "Broken", "confirm": "y",
            "csrf_token": csrf_token(client, f"/patches/{typo_patch}")}
    response = getattr(client, method)(f"/patches/{typo_patch}/{action}", data=data)
    assert response.status_code == 403
    with app.app_context():
        patch = db.session.get(Patch, typo_patch)
        assert (patch.title, patch.status) == ("Rounding fxi", "published")


@pytest.mark.parametrize("action", ["edit", "withdraw"])
def test_signed_out_visitors_are_sent_to_sign_in(client, typo_patch, action):
    response = client.get(f"/patches/{typo_patch}/{action}")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_only_staff_see_the_edit_and_withdraw_actions(staff_client, auth, typo_patch):
    page = staff_client.get(f"/patches/{typo_patch}").get_data(as_text=True)
    assert f"/patches/{typo_patch}/edit" in page and f"/patches/{typo_patch}/withdraw" in page
    auth.logout()
    auth.login("elite@demo.test")
    page = auth.client.get(f"/patches/{typo_patch}").get_data(as_text=True)
    assert "/edit" not in page and "/withdraw" not in page


def test_an_edit_cannot_make_two_patches_supersede_each_other(app, staff_client, publish):
    first = publish(title="Rounding fix 1", versions=["12.0"])
    second = publish(title="Rounding fix 2", versions=["12.0"], supersedes=[first])
    third = publish(title="Rounding fix 3", versions=["12.0"], supersedes=[second])

    for older in (second, third):  # directly, and through the patch between them
        refused = post_edit(staff_client, first, title="Rounding fix 1",
                            supersedes=str(older))
        assert refused.status_code == 422
        assert "supersedes this patch already" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Patch, first).supersedes == []
