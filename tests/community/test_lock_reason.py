"""The reason staff give when they lock a question is kept on the question: its readers and
staff see "Locked by staff: <reason>" (as text, never markup) and the API gives it; unlocking
clears it, and a lock without a reason shows none."""

from __future__ import annotations

import re

from kb import db
from kb.community.models import Question

REASON = "<b>Answered</b> in the 12.1 notes & <script>alert(1)</script>"
SHOWN = "Locked by staff: &lt;b&gt;Answered&lt;/b&gt; in the 12.1 notes &amp; " \
        "&lt;script&gt;alert(1)&lt;/script&gt;"


def _reason_shown(auth, question_id: int) -> str | None:
    html = auth.client.get(f"/community/questions/{question_id}").get_data(as_text=True)
    found = re.search(r'<p class="lock-reason" id="lock-reason">(.*?)</p>', html, re.S)
    return found.group(1) if found else None


def _reason_in_api(client, headers, question_id: int):
    question = client.get(f"/api/v1/community/questions/{question_id}", headers=headers).json
    return question["locked"], question["lock_reason"]


def test_readers_and_staff_see_the_lock_reason_as_text_until_it_is_unlocked(
        app, client, world, signed_in, token_for):
    staff, reader = signed_in("staff"), signed_in("premium")
    url = f"/community/questions/{world.open_question}"
    assert staff.post(f"{url}/lock", {"note": REASON}).status_code == 302
    with app.app_context():
        assert db.session.get(Question, world.open_question).lock_reason == REASON
    assert _reason_shown(reader, world.open_question) == SHOWN
    assert _reason_shown(staff, world.open_question) == SHOWN
    assert _reason_shown(signed_in("xtreme"), world.open_question) == SHOWN  # the asker
    assert _reason_in_api(client, token_for("premium"), world.open_question) == (True, REASON)

    assert staff.post(f"{url}/unlock").status_code == 302
    with app.app_context():
        assert db.session.get(Question, world.open_question).lock_reason == ""
    assert _reason_shown(reader, world.open_question) is None
    assert _reason_in_api(client, token_for("premium"), world.open_question) == (False, None)


def test_a_lock_without_a_reason_shows_none_not_the_last_one(app, client, world, signed_in,
                                                              token_for):
    staff = signed_in("staff")
    url = f"/community/questions/{world.open_question}"
    staff.post(f"{url}/lock", {"note": "Duplicate of the FAQ"})
    staff.post(f"{url}/unlock")
    assert staff.post(f"{url}/lock").status_code == 302
    page = signed_in("premium").client.get(url).get_data(as_text=True)
    assert 'id="locked"' in page and "Locked by staff" not in page
    assert _reason_in_api(client, token_for("premium"), world.open_question) == (True, None)
