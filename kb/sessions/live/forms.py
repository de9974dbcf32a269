"""Forms of the live-session staff pages. Validation only; the service writes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from kb.accounts.forms import time_zone_field

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class LiveSessionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description (Markdown)", validators=[Optional()])
    presenter = StringField("Presenter", validators=[Optional(), Length(max=200)])
    local_start = DateTimeLocalField("Starts at", format=DATETIME_FORMATS,
                                     validators=[InputRequired()])
    time_zone = time_zone_field("Time zone of the start")
    duration_minutes = IntegerField("Duration (minutes)", default=60,
                                    validators=[InputRequired(), NumberRange(min=1, max=24 * 60)])
    capacity = IntegerField("Seats", default=50,
                            validators=[InputRequired(), NumberRange(min=1, max=100000)])
    registration_opens = DateTimeLocalField("Registration opens (optional)",
                                            format=DATETIME_FORMATS, validators=[Optional()])
    registration_closes = DateTimeLocalField("Registration closes (default: at the start)",
                                             format=DATETIME_FORMATS, validators=[Optional()])
    meeting_url = URLField("Meeting URL", validators=[Optional(), Length(max=1000)])
    meeting_number = StringField("Meeting number", validators=[Optional(), Length(max=100)])
    meeting_password = StringField("Meeting password", validators=[Optional(), Length(max=100)])
    join_details_minutes = IntegerField(
        "Show join details this many minutes before the start", default=15,
        validators=[Optional(), NumberRange(min=0, max=7 * 24 * 60)])


class AttachRecordingForm(FlaskForm):
    recording_id = SelectField("Recording", validators=[DataRequired()])


class CancelLiveSessionForm(FlaskForm):
    reason = TextAreaField("Reason",
                           validators=[DataRequired("Give the reason: registrants are told it."),
                                       Length(max=2000)],
                           description="Customers read it on the schedule and the session's "
                                       "page; registrants get it by e-mail.")
