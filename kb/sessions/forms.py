"""Forms of the learning-session pages; validation only, the services write."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kb.accounts.forms import time_zone_field
from kb.forms import choices
from kb.products import service as products

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def product_choices(named=None):
    """The product select's choices: ``named`` products, or every product (staff forms)."""
    listed = products.all_products() if named is None else named
    return choices([("", "(no product)")] + [(p.name, p.name) for p in listed])


class RecordingForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    summary = TextAreaField("Summary (Markdown)", validators=[Optional()])
    presenter = StringField("Presenter", validators=[Optional(), Length(max=200)])
    product = SelectField("Product", validators=[Optional()])
    topic = StringField("Topic", validators=[Optional(), Length(max=120)],
                        description="A theme to group recordings, e.g. Integration")
    recorded_on = DateField("Recorded on", validators=[DataRequired()])
    duration_minutes = IntegerField("Duration (minutes)",
                                    validators=[Optional(), NumberRange(min=0, max=24 * 60)])
    video = FileField("Video file (MP4, WebM, Ogg)",
                      description="An empty duration is read from the file.",
                      render_kw={"data-duration-field": "duration_minutes",
                                 "accept": "video/mp4,video/webm,video/ogg"})
    external_url = URLField("…or the video's https:// address", validators=[Optional(),
                                                                           Length(max=1000)])
    transcript = FileField("Transcript (WebVTT or SRT)")
    status = SelectField("Status", choices=choices([("published", "Published"),
                                                    ("draft", "Draft")]))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product.choices = product_choices()


class TranscriptForm(FlaskForm):
    transcript = FileField("Transcript (WebVTT or SRT)", validators=[DataRequired()])


class AttachmentForm(FlaskForm):
    attachment = FileField("Slides or another file", validators=[DataRequired()])


class TopicForm(FlaskForm):
    title = StringField("Topic", validators=[DataRequired(), Length(max=300)])
    details = TextAreaField("What would you like to learn? (Markdown)",
                            validators=[Optional(), Length(max=10000)])
    product = SelectField("Product", validators=[Optional()])

    def __init__(self, *args, products_named, **kwargs):
        super().__init__(*args, **kwargs)
        self.product.choices = product_choices(products_named)


class TopicStatusForm(FlaskForm):
    status = SelectField("New status", choices=choices(
        [("planned", "Planned"), ("scheduled", "Scheduled"), ("recorded", "Recorded"),
         ("declined", "Declined")]))
    live_session_id = SelectField("Live session (for scheduled)", validators=[Optional()])
    recording_id = SelectField("Recording (for recorded)", validators=[Optional()])
    reason = TextAreaField("Reason (for declined)", validators=[Optional(), Length(max=2000)])


class MergeForm(FlaskForm):
    target_id = SelectField("Merge into", validators=[DataRequired()])


class LiveSessionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    description = TextAreaField("Description (Markdown)", validators=[Optional()])
    presenter = StringField("Presenter", validators=[Optional(), Length(max=200)])
    local_start = DateTimeLocalField("Starts at", format=DATETIME_FORMATS,
                                     validators=[DataRequired()])
    time_zone = time_zone_field("Time zone of the start")
    duration_minutes = IntegerField("Duration (minutes)", default=60,
                                    validators=[DataRequired(), NumberRange(min=1, max=24 * 60)])
    capacity = IntegerField("Seats", default=50,
                            validators=[DataRequired(), NumberRange(min=1, max=100000)])
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


class CampusOfferForm(FlaskForm):
    percentage = IntegerField("Discount (%)", validators=[DataRequired(),
                                                          NumberRange(min=1, max=100)])
    terms = TextAreaField("Terms (Markdown)", validators=[Optional()])
    how_to_redeem = TextAreaField("How to redeem (Markdown)", validators=[Optional()])
    redeem_url = URLField("Where the code is used (https:// address of the shop's checkout)",
                          validators=[Optional(), Length(max=1000)])
    valid_until = DateField("Valid until", validators=[DataRequired()])
