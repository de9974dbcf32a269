"""The article editor shows a refusal of the articles service in its summary and beside the
field it names (the slug, the revision note, linked articles, the alert answered: see
tests/articles/test_publishing.py, test_follow.py, tests/alerts/test_answering_an_alert.py);
one naming no field of the editor stays atop the form, in the summary."""

from __future__ import annotations

from kb.articles.forms import ArticleForm
from kb.articles.staff_views import _refused
from kb.errors import Conflict, Invalid


def test_a_refusal_naming_a_field_goes_beside_it_and_one_naming_none_atop_the_form(app):
    with app.test_request_context("/staff/articles/new", method="POST"):
        form = ArticleForm(meta={"csrf": False})
        form.validate()

        assert _refused(form, Conflict("Another article has it.", "slug")) == 409
        assert _refused(form, Invalid("Not now.", "no_such_field")) == 422
        assert _refused(form, Invalid("Not at all.")) == 422

        assert form.slug.errors == ["Another article has it."]
        assert form.form_errors == ["Not now.", "Not at all."]
