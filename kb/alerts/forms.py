"""Forms of the alert pages: the notification settings (a checkbox per family and channel for
all products, and a choice, as for all products, on or off, per product, family and channel),
a customer's subscription, and staff opening and advancing alerts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from kb import plans
from kb.alerts.alert_models import ALERT_STATE_NAMES
from kb.alerts.preferences import CHANNEL_NAMES, CHANNELS, FAMILIES
from kb.forms import choices, length, required
from kb.products.models import Product

INHERIT, ON, OFF = "", "on", "off"
OVERRIDE_VALUES = {ON: True, OFF: False, INHERIT: None}


def all_products_field(family: str, channel: str) -> str:
    return f"all-{family}-{channel}"


def product_field(product_id: int, family: str, channel: str) -> str:
    return f"product{product_id}-{family}-{channel}"


class PreferencesForm(FlaskForm):
    """Fields are added per user by ``preferences_form``, for its ``families``."""

    families: Mapping[str, str] = FAMILIES


@dataclass(frozen=True)
class Row:
    family: str
    name: str
    cells: list[tuple[str, Field]]  # (channel name, field)


def preferences_form(families: Mapping[str, str], products: Sequence[Product],
                     all_products: Mapping[tuple[str, str], bool],
                     stored: Mapping[tuple[int | None, str, str], bool]) -> PreferencesForm:
    """The form for these families and products, its defaults the user's current settings."""

    class Form(PreferencesForm):
        pass

    Form.families = families
    for family, family_name in families.items():
        for channel in CHANNELS:
            label = f"{family_name}: {CHANNEL_NAMES[channel].lower()}, all products"
            setattr(Form, all_products_field(family, channel),
                    BooleanField(label, default=all_products[(family, channel)]))
            for product in products:
                inherited = "on" if all_products[(family, channel)] else "off"
                override = stored.get((product.id, family, channel))
                setattr(Form, product_field(product.id, family, channel), SelectField(
                    f"{family_name}: {CHANNEL_NAMES[channel].lower()}, {product.name}",
                    choices=choices([(INHERIT, f"As all ({inherited})"), (ON, "On"),
                                     (OFF, "Off")]),
                    default=INHERIT if override is None else (ON if override else OFF),
                    invalid_choice_message="Choose as all products, on or off."))
    return Form()


def all_products_rows(form: PreferencesForm) -> list[Row]:
    return [Row(family, name, [(CHANNEL_NAMES[channel],
                                form[all_products_field(family, channel)])
                               for channel in CHANNELS])
            for family, name in form.families.items()]


def product_rows(form: PreferencesForm, product: Product) -> list[Row]:
    return [Row(family, name, [(CHANNEL_NAMES[channel],
                                form[product_field(product.id, family, channel)])
                               for channel in CHANNELS])
            for family, name in form.families.items()]


def all_products_choices(form: PreferencesForm) -> dict[tuple[str, str], bool]:
    return {(family, channel): bool(form[all_products_field(family, channel)].data)
            for family in form.families for channel in CHANNELS}


def override_choices(form: PreferencesForm, products: Sequence[Product]
                     ) -> dict[tuple[int, str, str], bool | None]:
    return {(product.id, family, channel):
            OVERRIDE_VALUES[form[product_field(product.id, family, channel)].data]
            for product in products for family in form.families for channel in CHANNELS}


PLAN_PAIRS = [(plan, f"{plans.plan_name(plan)} and above") for plan in plans.PLANS]
STEP_PAIRS = [(state, ALERT_STATE_NAMES[state]) for state in ("workaround", "fixed", "closed")]


class SubscribeForm(FlaskForm):
    """One select of "product" (every version) and "product version" entries; its value is
    ``PRODUCT_ID`` or ``PRODUCT_ID:VERSION_ID``."""

    target = SelectField("Product and version",
                         validators=[required("a product and version", "Choose")], choices=[],
                         invalid_choice_message="Choose a product and version from the list.")


class OpenAlertForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired(message="Give the alert a title."), length("the title", max=500)])
    summary = TextAreaField("What customers see",
                            validators=[Optional(), length("what customers see", max=5000)])
    products = StringField("Products", validators=[
        DataRequired(message="Name the products it affects, such as Orbit ERP."),
        length("the products", max=1000)],
                           description="Comma-separated product names.")
    versions = StringField("Versions", validators=[Optional(), length("the versions", max=500)],
                           description="Comma-separated; empty means every version.")
    min_plan = SelectField("Told to", choices=choices(PLAN_PAIRS), default=plans.LOWEST_PLAN,
                           invalid_choice_message="Choose the plans told from the list.")


class AdvanceForm(FlaskForm):
    state = SelectField("Move to", choices=choices(STEP_PAIRS),
                        invalid_choice_message="Choose the next step from the list.")
    article_slug = SelectField("Workaround article", choices=[], validate_choice=False)
    patch_id = SelectField("Fixed in", choices=[], validate_choice=False)
    fewer_reached = BooleanField(
        "Name it anyway, although not every plan the alert is told to may download it")
    note = TextAreaField("Note to subscribers",
                         validators=[Optional(), length("the note", max=5000)])


class ReviseAlertForm(FlaskForm):
    title = StringField("Title", validators=[
        DataRequired(message="Give the alert a title."), length("the title", max=500)])
    summary = TextAreaField("What customers see",
                            validators=[Optional(), length("what customers see", max=5000)],
                            render_kw={"rows": 6})
    tell = BooleanField("Tell subscribers of this update")
    update_note = TextAreaField("Note to subscribers",
                                validators=[Optional(), length("the note", max=5000)],
                                description="Sent with the update; shown in the alert's history.")
