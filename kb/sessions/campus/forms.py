"""The Campus offer's staff form. Validation only; the service writes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    TextAreaField,
    URLField,
)
from wtforms.validators import NumberRange, Optional

from kb.forms import length, required


class CampusOfferForm(FlaskForm):
    percentage = IntegerField("Discount (%)", validators=[required("the discount", typed=True),
                                                          NumberRange(min=1, max=100)])
    terms = TextAreaField("Terms (Markdown)", validators=[Optional()])
    how_to_redeem = TextAreaField("How to redeem (Markdown)", validators=[Optional()])
    redeem_url = URLField("Where the code is used (https:// address of the shop's checkout)",
                          validators=[Optional(), length("the address", max=1000)])
    valid_until = DateField("Valid until", validators=[
        required("the last day the code is valid", typed=True)])
