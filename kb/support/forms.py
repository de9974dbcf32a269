"""Forms of the support desk pages; validation only, the services write. Files arrive in the
same multipart request (``request.files``) and go to the service as ``Upload``s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from kb.forms import choices, length
from kb.storage import Upload
from kb.support.incidents import MIN_TITLE, IncidentDetails
from kb.support.models import SEVERITY_DEFINITIONS, STATUS_NAMES

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
SEVERITY_PAIRS = [(str(level), f"Severity {level} – {name}")
                  for level, (name, _) in SEVERITY_DEFINITIONS.items()]


def uploads_of(field_name: str = "attachments") -> list[Upload]:
    """The files the browser sent under ``field_name`` (empty file inputs left out)."""
    return [Upload(storage.filename, storage.stream, storage.mimetype or "")
            for storage in request.files.getlist(field_name) if storage.filename]


class ColleaguesField(SelectMultipleField):
    """Colleagues to keep informed, as ticks (choices: user id, name and address)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str = "Keep colleagues informed",
                 invalid_choice_message: str = "Tick colleagues from the list.", **kwargs):
        super().__init__(label, coerce=int, choices=[],
                         invalid_choice_message=invalid_choice_message, **kwargs)


class IncidentForm(FlaskForm):
    product = SelectField("Product", validators=[DataRequired(message="Choose the product.")],
                          invalid_choice_message="Choose a product from the list.")
    version = StringField("Version", validators=[Optional(), length("the version", max=60)],
                          description="The version you run, e.g. 12.0 SP1.")
    severity = RadioField("Severity", choices=choices(SEVERITY_PAIRS),
                          invalid_choice_message="Choose a severity from the list.",
                          validators=[InputRequired(message="Choose a severity.")])
    title = StringField("Title", description="What goes wrong, in one line.", validators=[
        DataRequired(message="Say in one line what goes wrong."), Length(
            min=MIN_TITLE, message=f"Give a title of at least {MIN_TITLE} characters."),
        length("the title", max=300)])
    description = TextAreaField(
        "Description (Markdown)", validators=[
            DataRequired(message="Describe the problem."), length("the description", max=50_000)],
        description="What you did, what happened, what you expected; error messages; since "
                    "when; how many users are affected.")
    contact = StringField("Contact", validators=[Optional(), length("the contact", max=300)],
                          description="Who support should reach, and how (phone, e-mail). "
                                      "Empty: you, by e-mail. E-mails go to you and the "
                                      "colleagues you tick below.")
    watchers = ColleaguesField(description="They get the incident's e-mails as you do, and "
                                           "may read and reply.")

    def details(self) -> IncidentDetails:
        return IncidentDetails(
            product=self.product.data, severity=int(self.severity.data),
            title=self.title.data, description=self.description.data or "",
            version=self.version.data or "", contact=self.contact.data or "",
            uploads=uploads_of(), watchers=list(self.watchers.data or []))


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply (Markdown)",
                         validators=[Optional(), length("your reply", max=50_000)])
    # a reply by default: the customer waits for an answer; a note is chosen on purpose
    kind = RadioField("Who reads it", choices=choices([
        ("reply", "Reply to the customer"), ("note", "Internal note (staff only)")]),
        default="reply", invalid_choice_message="Choose who reads it from the list.")
    # staff: the status a public reply leaves, told in the reply's one message
    status = SelectField("Then set the status", id="reply-status", default="", choices=choices(
        [("", "Leave it as it is"), *STATUS_NAMES.items()]),
        invalid_choice_message="Choose a status from the list.",
        description="With a public reply, the customer gets one e-mail saying both.")


class WatchersForm(FlaskForm):
    watchers = ColleaguesField("Add colleagues")


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=choices(STATUS_NAMES.items()),
                         invalid_choice_message="Choose a status from the list.")
    message = TextAreaField(
        "Message to the customer (Markdown)",
        validators=[Optional(), length("the message", max=50_000)],
        render_kw={"rows": 3},
        description="Sent with the change as a public reply. Needed to resolve or close an "
                    "incident support has not answered yet: it is the response.")


class ConfirmCloseForm(FlaskForm):
    """A customer closing a critical incident says so with a tick (``kb.support.close_views``)."""

    confirm = BooleanField("The critical problem is solved: close the incident", validators=[
        DataRequired(message="Tick the box to close the incident, or keep it open.")])
    message = TextAreaField(
        "A last word to support (optional, Markdown)", render_kw={"rows": 3},
        validators=[Optional(), length("the last word", max=50_000)],
        description="Sent as your reply with the closing, e.g. what solved it.")


class ClassificationForm(FlaskForm):
    """A new severity (and for staff, product) of an incident, with the reason."""

    severity = SelectField("Severity", choices=choices(SEVERITY_PAIRS),
                           invalid_choice_message="Choose a severity from the list.")
    product = SelectField("Product", choices=[], validate_choice=False)
    reason = TextAreaField("Why it changes", render_kw={"rows": 2}, validators=[
        DataRequired(message="Say why the incident changes."),
        Length(max=2000, message="Say it in at most 2,000 characters.")])


class AssignForm(FlaskForm):
    assignee = SelectField("Assign to", choices=[], validate_choice=False)


class LinkArticleForm(FlaskForm):
    article_id = SelectField("Article", choices=[], validate_choice=False)


class RemoteAccessRequestForm(FlaskForm):
    reason = TextAreaField("Why support needs remote access", validators=[
        DataRequired(message="Say why support needs remote access."),
        Length(max=2000, message="Say it in at most 2,000 characters.")])


class GrantForm(FlaskForm):
    starts = DateTimeLocalField("From", format=DATETIME_FORMATS, validators=[
        InputRequired(message="Give the date and time it starts.")],
        invalid_value_message="Give the date and time it starts, such as 2030-01-31T09:00.")
    ends = DateTimeLocalField("Until", format=DATETIME_FORMATS, validators=[
        InputRequired(message="Give the date and time it ends.")],
        invalid_value_message="Give the date and time it ends, such as 2030-01-31T13:00.")

    def prefill(self, zone: ZoneInfo, now: datetime) -> None:
        if not self.is_submitted():
            local = now.astimezone(zone).replace(second=0, microsecond=0, tzinfo=None)
            self.starts.data, self.ends.data = local, local + timedelta(hours=4)

    def window(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The window in UTC, read in the customer's own time zone."""
        return (self.starts.data.replace(tzinfo=zone).astimezone(UTC),
                self.ends.data.replace(tzinfo=zone).astimezone(UTC))
