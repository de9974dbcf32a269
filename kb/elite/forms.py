"""Forms of the Elite services pages: a message to or from the CSM, a special-event booking, a
meeting request, and staff assigning a CSM or a support person, cancelling a booking,
scheduling or declining a meeting, excluding a product."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kb.elite.csm import MESSAGE_LIMIT
from kb.elite.special_events import NOTES_LIMIT
from kb.forms import choices, length, readable, required


class MessageForm(FlaskForm):
    body = TextAreaField("Message", validators=[DataRequired(message="Write a message first."),
                                                length("the message", max=MESSAGE_LIMIT)])


class BookingForm(FlaskForm):
    weekend = DateField("Saturday of the weekend", validators=[
        InputRequired(message="Choose the Saturday of the weekend.")],
        invalid_value_message="Give the Saturday as a date, such as 2030-06-01.")
    product = SelectField("Product", validators=[DataRequired(message="Choose a product.")],
                          invalid_choice_message="Choose a product from the list.")
    notes = TextAreaField("What is happening that weekend (optional)",
                          validators=[Optional(), length("the notes", max=NOTES_LIMIT)])


def booking_form(products, **data) -> BookingForm:
    """The booking form offering ``products`` (those with special-event support)."""
    form = BookingForm(**data)
    form.product.choices = choices([("", "Choose a product")]
                                   + [(product.name, product.name) for product in products])
    return form


class CancelBookingForm(FlaskForm):
    reason = StringField("Why (sent to the person who booked it)", validators=[
        Optional(), Length(max=NOTES_LIMIT,
                           message=f"Keep the reason under {NOTES_LIMIT:,} characters.")])


# a value the list does not offer (a customer's id, an empty one) is refused by the choice
# check alone, so that it is told once
STAFF_ONLY = "Choose a staff member from the list."


class AssignCsmForm(FlaskForm):
    csm = SelectField("Customer success manager", invalid_choice_message=STAFF_ONLY)


class SupportPersonForm(FlaskForm):
    person = SelectField("Support person", invalid_choice_message=STAFF_ONLY)


class ExclusionForm(FlaskForm):
    product = SelectField("Product", validators=[DataRequired(message="Choose a product.")],
                          invalid_choice_message="Choose a product from the list.")
    reason = StringField("Why it is not available",
                         validators=[Optional(), length("the reason", max=300)])


class MeetingRequestForm(FlaskForm):
    kind = SelectField("What kind of meeting",
                       validators=[required("what kind of meeting", "Choose")],
                       invalid_choice_message="Choose what kind of meeting from the list.")
    subject = StringField("Subject", validators=[
        DataRequired(message="Give the meeting a subject."), length("the subject", max=200)])
    product = SelectField("Product to update (update planning)", validators=[Optional()],
                          invalid_choice_message="Choose a product from the list.")
    target_version = StringField("Version you update to (update planning)",
                                 validators=[Optional(), length("the version", max=60)])
    details = TextAreaField("What you would like to discuss",
                            validators=[Optional(),
                                        length("what you would like to discuss", max=5000)])
    preferred_times = StringField("Times that suit you",
                                  validators=[Optional(), length("the times", max=500)],
                                  description="For example: Tuesday or Thursday mornings, CET")


class ScheduleForm(FlaskForm):
    starts_at = DateTimeLocalField("Starts (your time zone)", format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired(message="Choose the start.")],
                                   invalid_value_message="Give the start as a date and time, "
                                                         "such as 2030-01-31T14:00.")
    duration_minutes = IntegerField("Minutes", default=60, validators=[
        InputRequired(message="How many minutes?"), readable,
        NumberRange(15, 480, message="From 15 to 480 minutes.")],
        invalid_value_message="Give whole minutes, from 15 to 480.")
    location = StringField("Meeting link or room",
                           validators=[Optional(), length("the link or room", max=500)])
    attendees = StringField("Senior staff taking part",
                            validators=[Optional(),
                                        length("the names of the staff taking part", max=500)])


class DeclineForm(FlaskForm):
    answer = TextAreaField("Why it is declined", validators=[
        DataRequired(message="Say why."), length("the answer", max=5000)])
