"""More forms refused through the real app, each with a summary at its top that takes the focus
(the form posts to its own address), a page titled "Error:", and the reason beside the field in
words: the staff role and Campus offer pages (which used to answer 200), the article editor,
and two-step sign-in."""

from __future__ import annotations

import pytest

from kb.accounts.queries import user_by_email
from tests.a11y import described_by, problems, refused_summary

STAFF = "staff@demo.test"


def _user_id(app, email: str) -> int:
    with app.app_context():
        return user_by_email(email).id


@pytest.mark.parametrize("url, fields, summary_id, field_id, message", [
    ("/campus/offer", {"percentage": "", "valid_until": "2031-01-01"}, "offer-problem",
     "percentage", "Enter the discount."),
    ("/staff/articles/new", {"type": "article", "title": "", "body": "Steps."},
     "article-problem", "title", "Enter a title."),
    (lambda app: f"/staff/users/{_user_id(app, 'premium@demo.test')}", {"role": "emperor"},
     "role-problem", "role", "Choose a role from the list."),
])
def test_a_refused_form_is_summarised_at_its_top(app, auth, demo_accounts, url, fields,
                                                 summary_id, field_id, message):
    auth.login(STAFF)

    answer = auth.post(url(app) if callable(url) else url, fields)

    assert answer.status_code == 422
    page, summary = refused_summary(answer, summary_id)
    assert f"#{field_id}" in problems(summary)
    assert page.get_element_by_id(field_id).get("aria-invalid") == "true"
    assert described_by(page, field_id)[-1] == message
