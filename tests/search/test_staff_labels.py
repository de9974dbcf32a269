"""Staff find every item, customers only what is public: on the search page each result that
customers do not see carries its status (draft, scheduled, withdrawn, early access), so staff
can tell the two apart. Customers' results look as before."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from kb.accounts.queries import user_by_email
from kb.db import utcnow
from kb.patches import changes
from kb.patches import service as patches
from kb.programmes import service as programmes
from kb.storage import file_store
from tests.engines import both_search_backends
from tests.programmes.conftest import open_programme

pytestmark = both_search_backends


@pytest.fixture
def heron_items(app, publish, demo_accounts):
    """Articles about herons in every state (one kept to a programme), and a published and a
    withdrawn patch."""
    publish("Heron public", "Heron care for everyone.")
    publish("Heron draft", "Heron unfinished.", status="draft")
    publish("Heron in review", "Heron reviewed.", status="review")
    publish("Heron archived", "Heron of old.", status="archived")
    publish("Heron scheduled", "Heron future.", publish_at=utcnow() + timedelta(days=2))
    early = publish("Heron early access", "Heron beta.")
    staff = user_by_email("staff@demo.test")
    published = []
    for title in ("Heron patch live", "Heron patch withdrawn"):
        staged = file_store().stage(filename="fix.zip")
        staged.write(b"heron fix")
        published.append(patches.publish_patch(
            staff, patches.PatchDetails(product="Orbit ERP", title=title,
                                        description="Heron fix."),
            [patches.Upload("fix.zip", staged)]).id)
    changes.withdraw_patch(staff, published[1], "It broke herons.", None)
    programme = open_programme(staff, title="Heron beta programme")
    programmes.keep_to_programme(staff, programme.id, "article", early, True)


def labels_of(page: str) -> dict[str, str]:
    """Each result's title and the status label beside it ('' for none)."""
    found = {}
    for hit in re.findall(r'<li class="hit".*?</li>', page, re.S):
        title = re.search(r'class="hit-title">([^<]+)<', hit).group(1)
        label = re.search(r'class="badge badge-warning hit-state">([^<]+)<', hit)
        found[title] = label.group(1) if label else ""
    return found


def test_staff_see_what_customers_do_not_see_labelled(client, auth, heron_items):
    auth.login("staff@demo.test")
    found = labels_of(client.get("/search?q=heron").get_data(as_text=True))
    assert found["Heron public"] == "" and found["Heron patch live"] == ""
    assert found["Heron draft"] == "Draft"
    assert found["Heron in review"] == "In review"
    assert found["Heron archived"] == "Archived"
    assert found["Heron patch withdrawn"] == "Withdrawn"
    assert found["Heron early access"] == "Early access: Heron beta programme"
    assert found["Heron scheduled"].startswith("Scheduled for ")
    day = (utcnow() + timedelta(days=2)).strftime("%d %b %Y")
    assert day in found["Heron scheduled"]


def test_customers_and_staff_viewing_as_a_customer_see_no_label(client, auth, heron_items):
    auth.login("elite@demo.test")
    page = client.get("/search?q=heron").get_data(as_text=True)
    assert labels_of(page) == {"Heron public": "", "Heron patch live": ""}
    assert "hit-state" not in page
    auth.logout()
    auth.login("staff@demo.test")
    auth.post("/staff/view-as", {"plan": "elite"})
    page = client.get("/search?q=heron").get_data(as_text=True)
    assert labels_of(page) == {"Heron public": "", "Heron patch live": ""}
