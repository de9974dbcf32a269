"""The ``field`` macro ties a field to every text about it: help and error both in
aria-describedby (help first), a refused checkbox to its message as well."""

from __future__ import annotations

import lxml.html
from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField

MACRO = '{% from "_forms.html" import field %}{{ field(form.agree) }}{{ field(form.name) }}'


class _Form(FlaskForm):
    agree = BooleanField("I agree")
    name = StringField("Name", description="As on your badge.")


def _rendered(app, errors: bool):
    with app.test_request_context():
        form = _Form(meta={"csrf": False})
        if errors:
            form.agree.errors = ["Tick to agree."]
            form.name.errors = ["Too long."]
        return lxml.html.fromstring(f"<div>{render_template_string(MACRO, form=form)}</div>")


def _described(page, element_id: str) -> list[str]:
    refs = (page.get_element_by_id(element_id).get("aria-describedby") or "").split()
    return [page.get_element_by_id(ref).text_content() for ref in refs]


def test_a_refused_field_is_described_by_its_help_and_its_error(app):
    page = _rendered(app, errors=True)

    assert _described(page, "name") == ["As on your badge.", "Too long."]
    assert page.get_element_by_id("name").get("aria-invalid") == "true"


def test_a_refused_checkbox_is_tied_to_its_message(app):
    page = _rendered(app, errors=True)

    assert _described(page, "agree") == ["Tick to agree."]
    assert page.get_element_by_id("agree").get("aria-invalid") == "true"


def test_a_field_not_refused_is_described_by_its_help_only(app):
    page = _rendered(app, errors=False)

    assert _described(page, "name") == ["As on your badge."]
    assert _described(page, "agree") == []
    assert page.get_element_by_id("agree").get("aria-invalid") is None
