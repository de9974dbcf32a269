"""Withdrawing a defective patch: offered nowhere any more (lists, search, the API's list,
"superseded by", release notes), its page explaining when, why and what instead, its files and
checksums 410 Gone for readers and refused exactly as before for everyone else, one e-mail per
downloader who may still read it, and clear refusals of what cannot be withdrawn."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kb import db
from kb.accounts.models import AuditEntry
from kb.accounts.queries import user_by_email
from kb.alerts import preferences
from kb.alerts.delivery import build_message
from kb.alerts.models import OutboxEmail
from kb.notifications import Notification
from kb.patches.models import Patch
from tests.conftest import bearer, csrf_token
from tests.patches.publishing_helpers import patch_titles_found
from tests.web import Auth

# the one part of a page that differs between two requests
CSRF_TOKENS = re.compile(r'name="csrf[-_]token" (content|value)="[^"]*"')
REASON = "Corrupts the ledger on databases with more than 2 GB of journal."


def withdraw(client, patch_id: int, **fields):
    data = {"reason": REASON, "replacement": "", "confirm": "y", **fields}
    return client.post(f"/patches/{patch_id}/withdraw", data={
        **data, "csrf_token": csrf_token(client, f"/patches/{patch_id}")})


def download_everything(app, email: str, patch_id: int) -> None:
    """``email`` downloads each file of the patch, in a browser of their own."""
    browser = Auth(app.test_client())
    browser.login(email)
    with app.app_context():
        urls = [f"/patches/{patch_id}/files/{f.id}/{f.name}"
                for f in db.session.get(Patch, patch_id).files]
    for url in urls:
        assert browser.client.get(url, buffered=True).status_code == 200


def listed_titles(client) -> set[str]:
    return {patch["title"] for patch in client.get("/api/v1/patches").json["patches"]}


def mail_to(app) -> dict[str, list[str]]:
    with app.app_context():
        return {recipient: [body for (body,) in db.session.execute(
            select(OutboxEmail.body).where(OutboxEmail.recipient == recipient))]
            for recipient in db.session.scalars(
                select(OutboxEmail.recipient).where(OutboxEmail.subject.contains("is withdrawn")))}


@pytest.fixture
def hotfix(publish):
    """A premium hotfix with two files and the service pack that replaces it."""
    ids = {"hotfix": publish(title="Ledger hotfix", min_plan="premium", versions=["12.0"],
                             files={"hotfix.zip": b"bad bytes" * 100, "readme.txt": b"r\n"}),
           "service_pack": publish(title="Service pack 2", kind="service-pack",
                                   versions=["12.0"])}
    return ids


def test_a_withdrawn_patch_leaves_lists_and_search_and_its_page_explains(
        app, client, auth, staff_client, hotfix):
    done = withdraw(staff_client, hotfix["hotfix"], replacement=str(hotfix["service_pack"]))

    assert done.status_code == 302
    page = staff_client.get(done.headers["Location"]).get_data(as_text=True)
    assert ("Ledger hotfix is withdrawn. Nobody who may still read it had downloaded it, "
            "so nobody was told.") in page
    assert "Ledger hotfix" not in staff_client.get("/patches/").get_data(as_text=True)
    staff_list = staff_client.get("/patches/?withdrawn=1").get_data(as_text=True)  # on request
    assert "Ledger hotfix" in staff_list and '<mark class="patch-status">withdrawn' in staff_list
    assert listed_titles(staff_client) == {"Service pack 2"}  # scripts download what is listed
    auth.logout()
    auth.login("premium@demo.test")
    assert "Ledger hotfix" not in client.get("/patches/").get_data(as_text=True)
    assert "Ledger hotfix" not in listed_titles(client)
    assert patch_titles_found(client, "Ledger hotfix") == set()
    assert patch_titles_found(client, "Service pack") == {"Service pack 2"}
    page = client.get(f"/patches/{hotfix['hotfix']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Withdrawn on " in html and REASON in html
    assert f'<a href="/patches/{hotfix["service_pack"]}">Service pack 2</a> instead' in html
    assert "/files/" not in html and "SHA256SUMS" not in html


def test_files_answer_410_to_readers_and_exactly_the_old_refusal_to_everyone_else(
        app, client, auth, staff_client, hotfix, patch_file, api_token, customer_on):
    url = patch_file(hotfix["hotfix"], "hotfix.zip")[0]
    sums = f"/patches/{hotfix['hotfix']}/SHA256SUMS"
    outsiders = {"xtreme": customer_on("xtreme"), "lapsed": customer_on("premium", lapsed=True)}

    def answers() -> dict:
        seen = {}
        for who, email in outsiders.items():
            headers = bearer(api_token(email))
            for path in (url, sums, f"/patches/{hotfix['hotfix']}",
                         f"/api/v1/patches/{hotfix['hotfix']}"):
                answer = app.test_client().get(path, headers=headers, buffered=True)
                seen[who, path] = (answer.status_code, answer.mimetype,
                                   CSRF_TOKENS.sub("", answer.get_data(as_text=True)))
        anonymous = app.test_client().get(url)
        seen["anonymous"] = (anonymous.status_code, anonymous.mimetype,
                             anonymous.get_data(as_text=True))
        return seen

    before = answers()
    assert withdraw(staff_client, hotfix["hotfix"]).status_code == 302
    assert answers() == before
    assert {status for status, _, _ in before.values()} == {401, 403}

    reader = bearer(api_token(customer_on("premium")))
    for path in (url, sums):
        gone = app.test_client().get(path, headers=reader)
        assert gone.status_code == 410 and gone.is_json
        assert gone.json["withdrawn"]["reason"] == REASON
        assert gone.json["withdrawn"]["replacement_id"] is None
        assert "withdrawn on" in gone.json["error"]
    assert app.test_client().head(url, headers=reader).status_code == 410
    auth.logout()
    auth.login("premium@demo.test")
    page = client.get(url)
    assert page.status_code == 410 and page.mimetype == "text/html"
    assert "This file is no longer available" in page.get_data(as_text=True)
    assert REASON in page.get_data(as_text=True)


def test_the_api_still_answers_a_stored_id_saying_withdrawn(app, staff_client, auth, client,
                                                            hotfix):
    withdraw(staff_client, hotfix["hotfix"], replacement=str(hotfix["service_pack"]))
    auth.logout()
    auth.login("elite@demo.test")

    answer = client.get(f"/api/v1/patches/{hotfix['hotfix']}").json

    assert answer["status"] == "withdrawn"
    assert sorted(f["name"] for f in answer["files"]) == ["hotfix.zip", "readme.txt"]
    assert answer["withdrawn"]["reason"] == REASON
    assert answer["withdrawn"]["replacement_id"] == hotfix["service_pack"]
    assert answer["withdrawn"]["at"].startswith(str(answer["released"])[:4])
    assert answer["title"] == "Ledger hotfix" and answer["checksums_url"]
    still = client.get(f"/api/v1/patches/{hotfix['service_pack']}").json
    assert still["withdrawn"] is None and len(still["files"]) == 1


def test_each_downloader_who_may_still_read_it_gets_one_email(
        app, staff_client, hotfix, customer_on):
    twice = customer_on("premium")
    disabled, downgraded, lapsed = (customer_on("premium") for _ in range(3))
    for email in (twice, disabled, downgraded, lapsed, "elite@demo.test"):
        download_everything(app, email, hotfix["hotfix"])
    download_everything(app, twice, hotfix["hotfix"])
    with app.app_context():
        user_by_email(disabled).is_enabled = False
        user_by_email(downgraded).organization.plan = "xtreme"
        organization = user_by_email(lapsed).organization
        organization.term_end = organization.term_start
        db.session.commit()

    done = withdraw(staff_client, hotfix["hotfix"], replacement=str(hotfix["service_pack"]))

    assert done.status_code == 302
    assert ("Ledger hotfix is withdrawn; the 2 people who downloaded it were told why and what "
            "to install instead.") in staff_client.get(done.headers["Location"]).get_data(
        as_text=True)
    told = mail_to(app)
    assert sorted(told) == sorted([twice, "elite@demo.test"])
    assert all(len(bodies) == 1 for bodies in told.values())
    body = told[twice][0]
    assert REASON in body and "Install service pack “Service pack 2” instead" in body
    assert body.startswith("You downloaded patch “Ledger hotfix” for ")
    with app.app_context():
        assert db.session.scalar(select(OutboxEmail.subject).where(
            OutboxEmail.recipient == twice)).endswith("“Ledger hotfix” is withdrawn")
    assert f"/patches/{hotfix['service_pack']}" in body and f"/patches/{hotfix['hotfix']}" in body
    again = withdraw(staff_client, hotfix["hotfix"])
    assert again.status_code == 409
    assert "Only a published patch can be withdrawn; this one is withdrawn." in (
        again.get_data(as_text=True))
    assert mail_to(app) == told
    with app.app_context():
        audit = db.session.scalar(select(AuditEntry).where(
            AuditEntry.action == "patch.withdraw"))
        assert audit.after["told"] == 2 and audit.after["reason"] == REASON


def test_the_recall_reaches_downloaders_who_turned_patch_news_off(
        app, staff_client, hotfix, customer_on):
    silent, digest_only = customer_on("premium"), customer_on("premium")
    for email in (silent, digest_only):
        download_everything(app, email, hotfix["hotfix"])
    with app.app_context():
        preferences.save(user_by_email(silent), {("patch", "email"): False,
                                                 ("patch", "in_app"): False}, {}, [])
        preferences.save(user_by_email(digest_only), {("patch", "digest"): True}, {}, [])

    assert withdraw(staff_client, hotfix["hotfix"]).status_code == 302

    told = mail_to(app)
    assert sorted(told) == sorted([silent, digest_only])
    assert "This is a recall notice." in told[silent][0]
    with app.app_context():
        for email in (silent, digest_only):
            message = db.session.scalar(select(OutboxEmail).where(
                OutboxEmail.recipient == email))
            assert message.kind == "recall" and message.unsubscribe_url == ""
            assert "List-Unsubscribe" not in build_message(message)
            assert db.session.scalar(select(Notification.title).where(
                Notification.user_id == user_by_email(email).id)) == (
                "“Ledger hotfix” is withdrawn")


def test_refusals_are_clear_and_change_nothing(app, staff_client, publish, hotfix):
    draft = publish(title="Draft fix", publish=False)
    other_product = publish(title="Analytics fix", product="Orbit Analytics")
    withdrawn = publish(title="Bad one")
    withdraw(staff_client, withdrawn)
    not_listed = "Choose a published patch of the same product from the list, or none."

    cases = [
        (draft, {}, 409, "Only a published patch can be withdrawn; this one is draft."),
        (hotfix["hotfix"], {"reason": "  "}, 422, "Say why the patch is withdrawn."),
        (hotfix["hotfix"], {"confirm": ""}, 422, "Tick the box to confirm the withdrawal."),
        (hotfix["hotfix"], {"replacement": str(withdrawn)}, 422, not_listed),
        (hotfix["hotfix"], {"replacement": str(other_product)}, 422, not_listed),
        (hotfix["hotfix"], {"replacement": str(hotfix["hotfix"])}, 422, not_listed),
    ]
    for patch_id, fields, status, message in cases:
        refused = withdraw(staff_client, patch_id, **fields)
        assert (refused.status_code, message in refused.get_data(as_text=True)) == (
            status, True), (fields, refused.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Patch, hotfix["hotfix"]).status == "published"
        assert db.session.get(Patch, draft).status == "draft"


def test_the_service_refuses_what_the_form_would_not_offer(app, publish, hotfix):
    from kb.errors import Conflict, Invalid
    from kb.patches import changes, service

    other_product = publish(title="Analytics fix", product="Orbit Analytics")
    draft = publish(title="Draft fix", publish=False)
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        with pytest.raises(Conflict, match="this one is draft"):
            changes.withdraw_patch(staff, draft, REASON, None)
        with pytest.raises(Invalid, match="must be a patch of Orbit ERP"):
            changes.withdraw_patch(staff, hotfix["hotfix"], REASON, other_product)
        with pytest.raises(Invalid, match="is draft: name a published patch"):
            changes.withdraw_patch(staff, hotfix["hotfix"], REASON, draft)
        changes.withdraw_patch(staff, hotfix["service_pack"], REASON, None)
        with pytest.raises(Invalid, match="is withdrawn: name a published patch"):
            changes.withdraw_patch(staff, hotfix["hotfix"], REASON, hotfix["service_pack"])
        with pytest.raises(Conflict, match="this one is withdrawn"):
            changes.withdraw_patch(staff, hotfix["service_pack"], REASON, None)
        with pytest.raises(Conflict, match="stays withdrawn"):
            service.publish_draft(staff, hotfix["service_pack"])
        assert db.session.get(Patch, hotfix["service_pack"]).status == "withdrawn"


def test_no_page_offers_a_withdrawn_patch_as_the_newer_one(app, staff_client, auth, client,
                                                           publish):
    older = publish(title="Old fix", versions=["12.0"])
    newer = publish(title="Newer fix", versions=["12.0"], supersedes=[older])
    assert "Superseded by" in staff_client.get(f"/patches/{older}").get_data(as_text=True)

    withdraw(staff_client, newer)

    for reader in (staff_client, None):
        if reader is None:
            auth.logout()
            auth.login("xtreme@demo.test")
            reader = client
        assert "Superseded by" not in reader.get(f"/patches/{older}").get_data(as_text=True)
        assert "Newer fix" not in reader.get("/patches/?product=orbit-erp").get_data(
            as_text=True).split("Old fix", 1)[1].split("</td>", 1)[0]
        assert reader.get(f"/api/v1/patches/{older}").json["superseded_by"] == []


def test_the_withdrawal_message_counts_in_words_and_names_a_replacement_only_if_there_is_one():
    from types import SimpleNamespace

    from kb.patches.views import _withdrawn_message
    alone = SimpleNamespace(title="Ledger hotfix", replacement_id=None)
    assert _withdrawn_message(alone, 1) == (
        "Ledger hotfix is withdrawn; the 1 person who downloaded it was told why.")
