"""What the patch forms offer under "Supersedes patches": a patch supersedes patches of its own
product only (the server refuses others), so the edit form offers that product's patches and
the publishing form groups every product's patches under its name, without a script; a
withdrawn patch is offered nowhere, unless the patch already supersedes it."""

from __future__ import annotations

import re

from kb import db
from kb.accounts.queries import user_by_email
from kb.patches import changes
from kb.patches.models import Patch
from tests.conftest import csrf_token


def offered(page: str) -> dict[str | None, list[str]]:
    """The "Supersedes patches" options by their group's label (None outside a group), as
    'value label' strings, the chosen ones marked with a star."""
    picker = re.search(r'<select id="supersedes".*?</select>', page, re.S).group(0)
    groups: dict[str | None, list[str]] = {}
    for label, inside in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', picker,
                                    re.S) or [(None, picker)]:
        groups[label] = [("*" if " selected" in attributes else "") + f"{value} {text}"
                         for value, attributes, text in
                         re.findall(r'<option value="(\d+)"([^>]*)>([^<]*)</option>', inside)]
    return groups


def withdraw(app, patch_id: int) -> None:
    with app.app_context():
        changes.withdraw_patch(user_by_email("staff@demo.test"), patch_id, "Broken.", None)


def test_the_edit_form_offers_the_patches_of_its_own_product_only(app, staff_client, publish):
    older = publish(title="Rounding fix 1")
    gone = publish(title="Rounding fix 2")
    current = publish(title="Rounding fix 3")
    publish(title="Dashboard refresh fix", product="Orbit Analytics")
    withdraw(app, gone)

    page = staff_client.get(f"/patches/{current}/edit").get_data(as_text=True)

    assert offered(page) == {None: [f"{older} Rounding fix 1 (#{older})"]}


def test_a_withdrawn_patch_already_superseded_stays_chosen_on_the_edit_form(
        app, staff_client, publish):
    gone = publish(title="Rounding fix 1")
    current = publish(title="Rounding fix 2", supersedes=[gone])
    withdraw(app, gone)

    page = staff_client.get(f"/patches/{current}/edit").get_data(as_text=True)

    assert offered(page) == {None: [f"*{gone} Rounding fix 1 (#{gone}, withdrawn)"]}
    saved = staff_client.post(f"/patches/{current}/edit", data={
        "title": "Rounding fix 2", "kind": "patch", "min_plan": "xtreme",
        "supersedes": str(gone), "csrf_token": csrf_token(staff_client, f"/patches/{current}")})
    assert saved.status_code == 302
    with app.app_context():
        assert [older.id for older in db.session.get(Patch, current).supersedes] == [gone]


def test_the_publishing_form_groups_the_patches_by_product_leaving_out_withdrawn_ones(
        app, staff_client, publish):
    erp = publish(title="Rounding fix")
    gone = publish(title="Orbit ERP posting fix")
    analytics = publish(title="Dashboard refresh fix", product="Orbit Analytics")
    draft = publish(title="Orbit Analytics export fix", product="Orbit Analytics",
                    publish=False)
    withdraw(app, gone)

    page = staff_client.get("/patches/new").get_data(as_text=True)

    assert offered(page) == {
        "Orbit Analytics": [f"{draft} Orbit Analytics export fix (#{draft}, draft)",
                            f"{analytics} Dashboard refresh fix (#{analytics})"],
        "Orbit ERP": [f"{erp} Rounding fix (#{erp})"],
    }
