"""A withdrawn patch's replacement is named only to those who may download it: a downloader
whose plan does not include it reads (page, 410, API, recall e-mail) that a replacement is
available on a higher plan, never its title; staff are warned before naming such a replacement,
with how many downloaders it leaves out."""

from __future__ import annotations

from datetime import date

import pytest

from kb import db
from kb.patches.models import Patch
from kb.programmes.models import Programme
from tests.conftest import bearer
from tests.patches.test_withdrawal import REASON, download_everything, mail_to, withdraw

HIGHER_PLAN = "A replacement is available on Premium and Elite; your plan does not include it."


@pytest.fixture
def for_every_plan(publish):
    """An Xtreme patch downloaded by an Xtreme and a Premium customer, a Premium-only patch that
    may replace it and one for every plan."""
    return {"withdrawn": publish(title="Ledger fix", versions=["12.0"]),
            "premium_only": publish(title="Premium ledger fix", min_plan="premium",
                                    versions=["12.0"]),
            "for_all": publish(title="Ledger fix 2", versions=["12.0"])}


@pytest.fixture
def programme_patch(app, publish):
    """A patch of Orbit ERP kept to the members of an early-adopter programme (none yet)."""
    patch_id = publish(title="Beta ledger fix", versions=["12.0"])
    with app.app_context():
        patch = db.session.get(Patch, patch_id)
        programme = Programme(title="Early ledger", product=patch.product, seats=5,
                              opens_on=date(2026, 1, 1), ends_on=date(2099, 1, 1))
        db.session.add(programme)
        patch.programme = programme
        db.session.commit()
    return patch_id


def test_staff_are_warned_before_naming_a_replacement_for_fewer_plans(
        app, staff_client, for_every_plan):
    for email in ("xtreme@demo.test", "premium@demo.test"):
        download_everything(app, email, for_every_plan["withdrawn"])
    form = staff_client.get(f"/patches/{for_every_plan['withdrawn']}/withdraw")
    assert (f"Premium ledger fix (#{for_every_plan['premium_only']}) — for Premium and Elite "
            "only</option>") in form.get_data(as_text=True)

    warned = withdraw(staff_client, for_every_plan["withdrawn"],
                      replacement=str(for_every_plan["premium_only"]))

    assert warned.status_code == 422
    page = warned.get_data(as_text=True)
    assert ("is for Premium and Elite only; this patch is for every plan. 1 of the 2 who "
            "downloaded it cannot download the replacement: they will be told that a "
            "replacement is available on a higher plan, not what to install.") in page
    assert REASON in page and mail_to(app) == {}
    assert withdraw(staff_client, for_every_plan["withdrawn"],
                    replacement=str(for_every_plan["for_all"])).status_code == 302


def test_only_downloaders_whose_plan_includes_the_replacement_are_told_to_install_it(
        app, client, auth, staff_client, for_every_plan, api_token):
    withdrawn, replacement = for_every_plan["withdrawn"], for_every_plan["premium_only"]
    for email in ("xtreme@demo.test", "premium@demo.test"):
        download_everything(app, email, withdrawn)

    done = withdraw(staff_client, withdrawn, replacement=str(replacement), fewer_reached="y")

    assert done.status_code == 302
    mail = mail_to(app)
    assert "Install patch “Premium ledger fix” instead" in mail["premium@demo.test"][0]
    xtreme_mail = mail["xtreme@demo.test"][0]
    assert "A replacement is available on Premium and Elite; your plan does not include it." \
        in xtreme_mail
    assert "Premium ledger fix" not in xtreme_mail and "Install" not in xtreme_mail
    auth.logout()
    auth.login("xtreme@demo.test")
    page = client.get(f"/patches/{withdrawn}").get_data(as_text=True)
    assert HIGHER_PLAN in page and "Premium ledger fix" not in page
    assert f"/patches/{replacement}" not in page
    xtreme = bearer(api_token("xtreme@demo.test"))
    answer = client.get(f"/api/v1/patches/{withdrawn}", headers=xtreme).json
    assert answer["withdrawn"]["replacement_id"] is None
    auth.logout()
    auth.login("premium@demo.test")
    page = client.get(f"/patches/{withdrawn}").get_data(as_text=True)
    assert f'<a href="/patches/{replacement}">Premium ledger fix</a> instead' in page
    premium = bearer(api_token("premium@demo.test"))
    answer = client.get(f"/api/v1/patches/{withdrawn}", headers=premium).json
    assert answer["withdrawn"]["replacement_id"] == replacement


def test_a_replacement_kept_to_a_programme_is_no_replacement_to_others(
        app, client, auth, staff_client, publish, programme_patch):
    withdrawn = publish(title="Ledger fix", versions=["12.0"])
    download_everything(app, "premium@demo.test", withdrawn)

    warned = withdraw(staff_client, withdrawn, replacement=str(programme_patch))
    assert "they will be told that there is no replacement yet" in warned.get_data(as_text=True)
    assert withdraw(staff_client, withdrawn, replacement=str(programme_patch),
                    fewer_reached="y").status_code == 302

    assert "There is no replacement yet." in mail_to(app)["premium@demo.test"][0]
    auth.logout()
    auth.login("premium@demo.test")
    page = client.get(f"/patches/{withdrawn}").get_data(as_text=True)
    assert "There is no replacement yet." in page and "available on" not in page
