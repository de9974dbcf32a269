"""Staff forms for products and their versions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from kb.forms import choices, length
from kb.products.service import all_products


class ProductForm(FlaskForm):
    name = StringField("Name", validators=[
        DataRequired(message="Give the product's name."), length("the name", max=200)])
    description = TextAreaField("Description", validators=[length("the description", max=5000)])


class VersionForm(FlaskForm):
    version_name = StringField("Version", validators=[
        DataRequired(message="Give the version, such as 12.0."), length("the version", max=60)])
    released_on = DateField(
        "Released on", validators=[Optional()],
        invalid_value_message="Give the release day as a date, such as 2030-01-31, or "
                              "leave it empty.")


def product_choices(named=None):
    """A product select's choices: ``named`` products, or every product (staff forms)."""
    listed = all_products() if named is None else named
    return choices([("", "(no product)")] + [(p.name, p.name) for p in listed])
