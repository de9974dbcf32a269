"""A release note a withdrawn patch belongs with, and an article linking to it, warn "withdrawn:
do not install" on their pages, naming the replacement only to readers who may download it;
a reader whose plan never read the patch is told nothing of it."""

from __future__ import annotations

from kb import db
from kb.articles.models import Article
from tests.patches.test_withdrawal import REASON, withdraw
from tests.web import Auth


def _page(app, email: str, url: str) -> str:
    browser = Auth(app.test_client())
    browser.login(email)
    return browser.client.get(url).get_data(as_text=True)


def test_the_note_and_a_linking_article_warn_and_name_only_a_downloadable_replacement(
        app, staff_client, publish):
    with app.app_context():
        db.session.add(Article(type="release-note", slug="erp-12-0-cu1", status="published",
                               title="Orbit ERP 12.0 CU1", body="Install with orbit-update."))
        db.session.commit()
    pulled = publish(title="Pulled fix", min_plan="premium", release_notes=["erp-12-0-cu1"])
    elite_only = publish(title="Elite rebuild", min_plan="elite")
    with app.app_context():
        db.session.add(Article(type="article", slug="ledger-howto", status="published",
                               title="Ledger how-to", body=f"Get [the fix](/patches/{pulled})."))
        db.session.commit()
    assert "withdrawn-notice" not in _page(app, "premium@demo.test", "/release-notes/erp-12-0-cu1")

    assert withdraw(staff_client, pulled, replacement=str(elite_only),
                    fewer_reached="y").status_code == 302

    for url in ("/release-notes/erp-12-0-cu1", "/articles/ledger-howto"):
        elite, premium = (_page(app, who, url) for who in ("elite@demo.test",
                                                           "premium@demo.test"))
        for page in (elite, premium):
            assert "withdrawn-notice" in page and "Pulled fix" in page
            assert "do not install it" in page and REASON in page
        assert f'Install <a href="/patches/{elite_only}">Elite rebuild</a> instead' in elite
        assert "Elite rebuild" not in premium and "available on Elite" in premium
        assert "withdrawn-notice" not in _page(app, "xtreme@demo.test", url)


def test_release_notes_no_longer_offer_a_withdrawn_patch_but_warn_of_it(app, staff_client, publish):
    with app.app_context():
        db.session.add(Article(type="release-note", slug="erp-12-0", status="published",
                               title="Orbit ERP 12.0 release notes", body="Notes"))
        db.session.commit()
    kept = publish(title="Kept fix", release_notes=["erp-12-0"])
    pulled = publish(title="Pulled fix", release_notes=["erp-12-0"])

    withdraw(staff_client, pulled)

    for reader in ("staff@demo.test", "premium@demo.test"):
        browser = Auth(app.test_client())
        browser.login(reader)
        note_page = browser.client.get("/release-notes/erp-12-0").get_data(as_text=True)
        assert f'<a href="/patches/{kept}">Patch: Kept fix</a>' in note_page
        assert "Patch: Pulled fix" not in note_page, reader  # not offered: warned of instead
        assert "Pulled fix</a> was withdrawn" in note_page, reader
