"""Forms of the Elite services pages: a message to or from the CSM, a special-event booking,
and staff assigning a CSM, a support person or excluding a product."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kb.elite.csm import MESSAGE_LIMIT
from kb.elite.special_events import NOTES_LIMIT


class MessageForm(FlaskForm):
    body = TextAreaField("Message", validators=[DataRequired(message="Write a message first."),
                                                Length(max=MESSAGE_LIMIT)])


class BookingForm(FlaskForm):
    weekend = DateField("Saturday of the weekend", validators=[
        DataRequired(message="Choose the Saturday of the weekend.")])
    product = SelectField("Product", validators=[DataRequired(message="Choose a product.")])
    notes = TextAreaField("What is happening that weekend (optional)",
                          validators=[Optional(), Length(max=NOTES_LIMIT)])


class AssignCsmForm(FlaskForm):
    csm = SelectField("Customer success manager", validators=[DataRequired()])


class SupportPersonForm(FlaskForm):
    person = SelectField("Support person", validators=[DataRequired()])


class ExclusionForm(FlaskForm):
    product = SelectField("Product", validators=[DataRequired()])
    reason = StringField("Why it is not available", validators=[Optional(), Length(max=300)])
