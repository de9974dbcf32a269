"""Forms of the live-session staff pages. Validation only; the service writes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from kb.accounts.forms import time_zone_field
from kb.forms import length, readable, required

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
# what a browser without a date picker is told to type
DATETIME_EXAMPLE = "Give {} as a date and time, such as 2030-01-31T14:00."


class LiveSessionForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired(message="Give the session a title."), length("the title", max=300)])
    description = TextAreaField("Description (Markdown)", validators=[Optional()])
    presenter = StringField("Presenter",
                            validators=[Optional(), length("the presenter's name", max=200)])
    local_start = DateTimeLocalField(
        "Starts at", format=DATETIME_FORMATS,
        validators=[InputRequired(message="Give the day and time the session starts.")],
        invalid_value_message=DATETIME_EXAMPLE.format("when the session starts"))
    time_zone = time_zone_field("Time zone of the start")
    duration_minutes = IntegerField(
        "Duration (minutes)", default=60,
        validators=[InputRequired(message="Give the length in minutes, such as 60."), readable,
                    NumberRange(min=1, max=24 * 60,
                                message="Give the length in minutes, from 1 to 1440.")],
        invalid_value_message="Give the length in whole minutes, such as 60.")
    capacity = IntegerField(
        "Seats", default=50,
        validators=[InputRequired(message="Give the number of seats, such as 50."), readable,
                    NumberRange(min=1, max=100000,
                                message="Give the number of seats, from 1 to 100000.")],
        invalid_value_message="Give the number of seats as a whole number, such as 50.")
    registration_opens = DateTimeLocalField(
        "Registration opens (optional)", format=DATETIME_FORMATS, validators=[Optional()],
        invalid_value_message=DATETIME_EXAMPLE.format("when registration opens"))
    registration_closes = DateTimeLocalField(
        "Registration closes (default: at the start)", format=DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=DATETIME_EXAMPLE.format("when registration closes"))
    meeting_url = URLField("Meeting URL",
                           validators=[Optional(), length("the meeting URL", max=1000)])
    meeting_number = StringField("Meeting number",
                                 validators=[Optional(), length("the meeting number", max=100)])
    meeting_password = StringField("Meeting password",
                                   validators=[Optional(), length("the meeting password", max=100)])
    join_details_minutes = IntegerField(
        "Show join details this many minutes before the start", default=15,
        validators=[Optional(), readable, NumberRange(
            min=0, max=7 * 24 * 60, message="Give from 0 to 10080 minutes (a week).")],
        invalid_value_message="Give whole minutes, such as 15.")


class AttachRecordingForm(FlaskForm):
    recording_id = SelectField("Recording", validators=[required("a recording", "Choose")],
                               invalid_choice_message="Choose a recording from the list.")


class AttendanceForm(FlaskForm):
    """The ticks of who attended, one a confirmed registration (its id); the view reads them,
    a tick for no registration of the session counting as none. The field carries the
    service's refusal to the page."""

    attended = SelectMultipleField("Attended", choices=[], validate_choice=False)


class CancelLiveSessionForm(FlaskForm):
    reason = TextAreaField("Reason",
                           validators=[DataRequired("Give the reason: registrants are told it."),
                                       length("the reason", max=2000)],
                           description="Customers read it on the schedule and the session's "
                                       "page; registrants get it by e-mail.")
