"""Forms of the topic-request pages. Validation only; the service writes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from kb.forms import choices, length, required
from kb.products.forms import product_choices


class TopicForm(FlaskForm):
    title = StringField("Topic", validators=[
        DataRequired(message="Say in a few words what the session should be about."),
        length("the topic", max=300)])
    details = TextAreaField("What would you like to learn? (Markdown)",
                            validators=[Optional(), length("the details", max=10000)])
    product = SelectField("Product", validators=[Optional()],
                          invalid_choice_message="Choose a product from the list, or none.")

    def __init__(self, *args, products_named, **kwargs):
        super().__init__(*args, **kwargs)
        self.product.choices = product_choices(products_named)


class TopicStatusForm(FlaskForm):
    status = SelectField("New status", choices=choices(
        [("planned", "Planned"), ("scheduled", "Scheduled"), ("recorded", "Recorded"),
         ("declined", "Declined")]), invalid_choice_message="Choose a status from the list.")
    live_session_id = SelectField("Live session (for scheduled)", validators=[Optional()],
                                  invalid_choice_message="Choose a live session from the list.")
    recording_id = SelectField("Recording (for recorded)", validators=[Optional()],
                               invalid_choice_message="Choose a recording from the list.")
    reason = TextAreaField("Reason (for declined)",
                           validators=[Optional(), length("the reason", max=2000)])


class MergeForm(FlaskForm):
    target_id = SelectField("Merge into",
                            validators=[required("the topic this one repeats", "Choose")],
                            invalid_choice_message="Choose an open request from the list.")
