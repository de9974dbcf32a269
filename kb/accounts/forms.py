from __future__ import annotations

import email_validator
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Optional,
    ValidationError,
)

from kb import plans, time_zones
from kb.accounts.credentials import MIN_PASSWORD_LENGTH
from kb.accounts.models import ROLE_NAMES
from kb.forms import choices, length, optional_database_id, required

# The demo accounts use the reserved .test domain; email-validator refuses it by default and
# documents this list as the switch.
email_validator.SPECIAL_USE_DOMAIN_NAMES = [
    name for name in email_validator.SPECIAL_USE_DOMAIN_NAMES if name != "test"
]

PLAN_PAIRS = [(plan, plans.plan_name(plan)) for plan in plans.PLANS]
CUSTOMER_ROLE_PAIRS = [(r, ROLE_NAMES[r]) for r in ("customer", "customer_admin")]
ALL_ROLE_PAIRS = list(ROLE_NAMES.items())


def time_zone_field(label: str = "Time zone") -> StringField:
    """A time zone typed with suggestions (the page's ``time-zones`` list: the common ones
    first, found by any part of their name), checked against the known zones."""
    return StringField(label, validators=[
        DataRequired(message="Choose a time zone from the list, such as Europe/Berlin."),
        known_time_zone],
                       description="Start typing a city, e.g. Berlin or New York.",
                       render_kw={"list": "time-zones", "autocomplete": "off",
                                  "spellcheck": "false"})


def known_time_zone(form, field) -> None:
    """A zone from the list, or the city of one ("Berlin" is Europe/Berlin)."""
    typed = (field.data or "").strip()
    field.data = time_zones.resolved(typed) or typed
    if not time_zones.is_known(field.data):
        raise ValidationError("Choose a time zone from the list, such as Europe/Berlin.")


class SignInForm(FlaskForm):
    email = EmailField("E-mail address",
                       validators=[required("your e-mail address"),
                                   length("the e-mail address", max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password",
                             validators=[required("your password"),
                                         length("the password", max=500)],
                             render_kw={"autocomplete": "current-password"})
    next = HiddenField()


class PasswordResetRequestForm(FlaskForm):
    email = EmailField("E-mail address", validators=[
        DataRequired(message="Give the e-mail address you sign in with."),
        Email(message="Give an e-mail address such as name@example.com."),
        length("the e-mail address", max=254)], render_kw={"autocomplete": "username"})


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(message="Choose a new password."),
                    length("the new password", min=MIN_PASSWORD_LENGTH, max=500)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(message="Type the new password again."),
                    EqualTo("password", message="The passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password",
                                     validators=[required("your current password")],
                                     render_kw={"autocomplete": "current-password"})


class ProfileForm(FlaskForm):
    name = StringField("Name", validators=[Optional(), length("the name", max=200)],
                       render_kw={"autocomplete": "name"})
    time_zone = time_zone_field()


class TokenForm(FlaskForm):
    # its own id: the profile form on the same page has a "name" too
    name = StringField(
        "Token name", id="token-name",
        validators=[required("a name for the token"), length("the token's name", max=100)],
        description="For example the script or machine that will use it.",
    )
    expires = SelectField(
        "Expires", id="token-expires", default="90",
        choices=choices([("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"),
                         ("never", "Never")]),
        invalid_choice_message="Choose when the token expires from the list.",
        description="An expired token stops working; scripts then get 401 saying so.",
    )

    def expires_in_days(self) -> int | None:
        return None if self.expires.data == "never" else int(self.expires.data)


class InviteUserForm(FlaskForm):
    email = EmailField("E-mail address", validators=[
        DataRequired(message="Give the e-mail address of the person to invite."),
        Email(message="Give an e-mail address such as name@example.com."),
        length("the e-mail address", max=254)])
    name = StringField("Name", validators=[Optional(), length("the name", max=200)])
    role = SelectField("Role", choices=choices(CUSTOMER_ROLE_PAIRS), default="customer",
                       invalid_choice_message="Choose a role from the list.")


class OrganizationForm(FlaskForm):
    name = StringField("Name", validators=[
        DataRequired(message="Give the organisation's name."),
        length("the organisation's name", max=200)])
    plan = SelectField("Support plan", choices=choices(PLAN_PAIRS),
                       invalid_choice_message="Choose a support plan from the list.")
    term_start = DateField(
        "Term starts", validators=[InputRequired(message="Give the day the term starts.")],
        invalid_value_message="Give the day the term starts as a date, such as 2030-01-31.")
    term_end = DateField(
        "Term ends", validators=[InputRequired(message="Give the day the term ends.")],
        invalid_value_message="Give the day the term ends as a date, such as 2030-12-31.")
    products = TextAreaField(
        "Products and versions it runs",
        validators=[Optional(), length("the products and versions", max=5000)],
        description="One product per line, versions after a colon: 'Ledger Server: 9.2, 10.0'.",
    )
    administrator = SelectField("Customer administrator", choices=[], validate_choice=False,
                                coerce=optional_database_id,
                                invalid_value_message="Choose the administrator from the list.")
    time_zone = StringField(
        "Support time zone", validators=[Optional(), length("the time zone", max=64)],
        description="Where its support clock runs (business hours, weekdays); empty: the "
                    "portal's default.",
        render_kw={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"})
    holiday_country = StringField(
        "Public holidays of", validators=[Optional(), length("the country code", max=12)],
        description='A country code, optionally with a region: "US", "DE-BY"; empty: the '
                    "portal's default.")
    # shown once a save would lower the plan mid-term: the plan the confirmation was asked for
    lowering_plan = HiddenField()
    confirm_lowering = BooleanField("I understand")


class StaffUserForm(FlaskForm):
    email = EmailField("E-mail address",
                       validators=[required("the e-mail address"), Email(),
                                   length("the e-mail address", max=254)])
    name = StringField("Name", validators=[Optional(), length("the name", max=200)])
    role = SelectField("Role", choices=choices(ALL_ROLE_PAIRS), default="customer",
                       invalid_choice_message="Choose a role from the list.")
    # the listed ids as text: a value the list does not offer is told plainly, not coerced
    organization = SelectField("Organisation", choices=[],
                               invalid_choice_message="Choose an organisation from the list.")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=choices(ALL_ROLE_PAIRS),
                       invalid_choice_message="Choose a role from the list.")


class ViewAsForm(FlaskForm):
    plan = SelectField(
        "View pages as a customer on",
        choices=choices([("", "(my own staff view)")] + PLAN_PAIRS),
        invalid_choice_message="Choose a plan from the list.",
    )


def _code_field(label: str, field_id: str, description: str = "") -> StringField:
    return StringField(
        label, id=field_id,
        validators=[required("the code"), length("the code", max=40)], description=description,
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "autocapitalize": "off", "spellcheck": "false"})


class EnrolmentCodeForm(FlaskForm):
    code = _code_field("Code from the app", "enrolment-code",
                       "The 6 digits the app shows for this portal now.")


class SecondStepForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app", id="second-step-code",
        validators=[required("the code"), length("the code", max=40)],
        description="6 digits. No phone at hand? Type one of your recovery codes instead.",
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off",
                   "spellcheck": "false"})


class RenewRecoveryCodesForm(FlaskForm):
    code = _code_field("Current code from the app", "renew-code")


class TwoStepOffForm(FlaskForm):
    password_or_code = PasswordField(
        "Your password, or a current code from the app", id="two-step-off",
        validators=[required("your password or a current code"),
                    length("the password or code", max=500)])
