"""Forms of the recording staff pages (publish, edit, transcript, attachments); validation
only, the service writes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from kb.forms import choices, length, readable, required
from kb.products.forms import product_choices
from kb.sessions.recordings.captions import DEFAULT_LANGUAGE, LANGUAGES


class RecordingForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired(message="Give the recording a title."), length("the title", max=300)])
    summary = TextAreaField("Summary (Markdown)", validators=[Optional()])
    presenter = StringField("Presenter",
                            validators=[Optional(), length("the presenter's name", max=200)])
    product = SelectField("Product", validators=[Optional()],
                          invalid_choice_message="Choose a product from the list, or none.")
    topic = StringField("Topic", validators=[Optional(), length("the topic", max=120)],
                        description="A theme to group recordings, e.g. Integration")
    recorded_on = DateField(
        "Recorded on", validators=[InputRequired(message="Give the day it was recorded.")],
        invalid_value_message="Give the day it was recorded as a date, such as 2030-01-31.")
    duration_minutes = IntegerField(
        "Duration (minutes)", validators=[Optional(), readable, NumberRange(
            min=0, max=24 * 60, message="Give the length in minutes, from 0 to 1440.")],
        invalid_value_message="Give the length in whole minutes, such as 45.")
    video = FileField("Video file (MP4, WebM, Ogg)",
                      description="An empty duration is read from the file.",
                      render_kw={"data-duration-field": "duration_minutes",
                                 "accept": "video/mp4,video/webm,video/ogg"})
    external_url = URLField("…or the video's https:// address",
                            validators=[Optional(), length("the address", max=1000)])
    transcript = FileField("Transcript (WebVTT or SRT)")
    language = SelectField("Transcript language", default=DEFAULT_LANGUAGE,
                           choices=choices(LANGUAGES.items()),
                           invalid_choice_message="Choose a language from the list.",
                           description="What the transcript says, and so its captions")
    status = SelectField("Status", choices=choices([("published", "Published"),
                                                    ("draft", "Draft")]),
                         invalid_choice_message="Choose Published or Draft.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.product.choices = product_choices()


class TranscriptForm(FlaskForm):
    # its own id: the recording page's transcript list is #transcript
    transcript = FileField("Transcript (WebVTT or SRT)",
                           validators=[required("a transcript file", "Choose")],
                           id="transcript-file")
    # left out (a script's upload): the recording's language stays
    language = SelectField("Transcript language", choices=choices(LANGUAGES.items()),
                           validators=[Optional()], id="transcript-language",
                           invalid_choice_message="Choose a language from the list.")


class AttachmentForm(FlaskForm):
    attachment = FileField("Slides or another file",
                           validators=[required("a file to attach", "Choose")])
