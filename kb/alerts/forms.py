"""Forms of the alert pages: a customer's subscription, and staff opening and advancing
alerts."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kb import plans
from kb.alerts.models import ALERT_STATE_NAMES
from kb.forms import choices

PLAN_PAIRS = [(plan, f"{plans.plan_name(plan)} and above") for plan in plans.PLANS]
STEP_PAIRS = [(state, ALERT_STATE_NAMES[state]) for state in ("workaround", "fixed", "closed")]


class SubscribeForm(FlaskForm):
    """One select of "product" (every version) and "product version" entries; its value is
    ``PRODUCT_ID`` or ``PRODUCT_ID:VERSION_ID``."""

    target = SelectField("Product and version", validators=[DataRequired()], choices=[])


class OpenAlertForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=500)])
    summary = TextAreaField("What customers see", validators=[Optional(), Length(max=5000)])
    products = StringField("Products", validators=[DataRequired(), Length(max=1000)],
                           description="Comma-separated product names.")
    versions = StringField("Versions", validators=[Optional(), Length(max=500)],
                           description="Comma-separated; empty means every version.")
    min_plan = SelectField("Told to", choices=choices(PLAN_PAIRS), default=plans.LOWEST_PLAN)


class AdvanceForm(FlaskForm):
    state = SelectField("Move to", choices=choices(STEP_PAIRS))
    article_slug = SelectField("Workaround article", choices=[], validate_choice=False)
    patch_id = SelectField("Fixed in", choices=[], validate_choice=False)
    note = TextAreaField("Note to subscribers", validators=[Optional(), Length(max=5000)])
