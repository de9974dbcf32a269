"""Staff edit the response-target table and the plans' calendars in the browser: each plan's
target per severity (minutes and clock, or not available), a product's own rows, and each
plan's business days and hours. The service (``kb.support.service``) checks and audits."""

from __future__ import annotations

from datetime import time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from kb import db, plans, policy
from kb.errors import DomainError, Invalid
from kb.forms import database_id
from kb.products.models import Product
from kb.products.service import all_products
from kb.support import service
from kb.support.models import CLOCKS, SEVERITIES, CoverageCalendar, ResponseTarget

blueprint = Blueprint("support_targets", __name__, url_prefix="/staff/support")
LONGEST_TARGET_MINUTES = 366 * 24 * 60
# a calendar's fields: their ids on the page (before "-<plan>") and their labels
CALENDAR_FIELDS = {"business_days": ("days", "Business days"), "opens": ("opens", "Opens"),
                   "closes": ("closes", "Closes")}
# a target form's fields (their ids on the page after "<form id>-") and their labels
TARGET_LABELS = {"product": "Product", "plan": "Plan", "severity": "Severity",
                 "minutes": "Minutes", "clock": "Clock"}
CLOCK_NAMES = {"around_the_clock": "Around the clock", "weekdays": "Whole business days",
               "business_hours": "Business hours"}


@blueprint.before_request
@login_required
def _staff_only():
    policy.require_staff(current_user)


@blueprint.get("/targets")
def index():
    return _page()


def _page(refused: dict | None = None):
    """The table; ``refused`` holds a refused form's values as typed (``form``: its id on the
    page), the reason (``problem``) and the field it is about (``field``: its id on the page,
    ``label``: its name), to show them again beside that form and atop the page (422)."""
    rows = list(db.session.scalars(select(ResponseTarget)))
    general = {(row.plan, row.severity): row for row in rows if row.product_id is None}
    products = sorted((row for row in rows if row.product_id is not None),
                      key=lambda row: (row.product.name, plans.plan_rank(row.plan),
                                       row.severity))
    calendars = {row.plan: row for row in db.session.scalars(select(CoverageCalendar))}
    return render_template("support/targets.html", general=general, product_rows=products,
                           calendars=calendars, severities=SEVERITIES, clocks=CLOCK_NAMES,
                           products=all_products(), refused=refused or {}), \
        422 if refused else 200


def _refused(form_id: str, field: tuple[str, str], refusal: DomainError, **typed):
    field_id, label = field
    return _page({"form": form_id, "field": field_id, "label": label,
                  "problem": refusal.message, **typed})


def _minutes(raw: str) -> int | None:
    """Empty: not available; otherwise whole minutes, or hours written "4h"."""
    text = (raw or "").strip().lower()
    if not text:
        return None
    try:
        minutes = int(float(text[:-1]) * 60) if text.endswith("h") else int(text[:12])
    except (ValueError, OverflowError):
        raise Invalid(f"{raw[:40]!r} is no number of minutes (or hours, such as 4h).") from None
    if minutes > LONGEST_TARGET_MINUTES:
        raise Invalid("A response target is at most a year.")
    return minutes


def _plan_and_severity() -> tuple[str, int]:
    plan, severity = request.form.get("plan", ""), request.form.get("severity", "")
    if plan not in plans.PLANS:
        raise Invalid("Choose a plan from the list.", field="plan")
    if severity not in {str(level) for level in SEVERITIES}:
        raise Invalid("Choose a severity from 1 to 4.", field="severity")
    return plan, int(severity)


def _clock() -> str:
    clock = request.form.get("clock", "")
    if clock not in CLOCKS:
        raise Invalid("Choose how the target's clock runs from the list.", field="clock")
    return clock


def _product() -> Product | None:
    raw = request.form.get("product", "")
    if not raw:
        return None
    try:
        product = db.session.get(Product, database_id(raw))
    except ValueError:
        product = None
    if product is None:
        raise Invalid("Choose a product from the list.", field="product")
    return product


@blueprint.post("/targets")
def save_target():
    """One row of a plan's table (plan and severity hidden), or a product's own row (the
    ``own`` form, which sends a product): refused, the row comes back as typed, the reason
    beside the field it is about."""
    own = "product" in request.form
    typed = {name: request.form.get(name, "") for name in ("minutes", "clock")}
    try:
        plan, severity = _plan_and_severity()
    except Invalid as refusal:
        if not own:  # the hidden fields of a row: no field of the page shows them
            return _refused_row(request.form.get("row", ""), refusal, typed)
        return _refused_target(own, request.form.get("plan"),
                               _severity_kept(request.form.get("severity", "")),
                               request.form.get("product"), refusal, typed)
    try:
        product = _product() if own else None
        clock = _clock()
        service.set_target(current_user, plan, severity, product, _minutes(typed["minutes"]),
                           clock)
    except DomainError as refusal:  # the row as typed again, the reason beside it
        return _refused_target(own, plan, severity, request.form.get("product"), refusal,
                               typed)
    flash(f"Saved: severity {severity} on {plans.plan_name(plan)}"
          f"{' for ' + product.name if product else ''}.", "success")
    return redirect(url_for("support_targets.index"))


def _refused_target(own: bool, plan: str | None, severity: int | None, product: str | None,
                    refusal: DomainError, typed: dict):
    name = getattr(refusal, "field", None) or "minutes"
    if own:
        form_id, label = "own", TARGET_LABELS[name]
    else:
        form_id = f"target-{plan}-{severity}"
        label = f"{TARGET_LABELS[name]}, {plans.plan_name(plan)} severity {severity}"
    return _refused(form_id, (f"{form_id}-{name}", label), refusal, plan=plan,
                    severity=severity, product=_known_id(product), **typed)


def _refused_row(row: str, refusal: Invalid, typed: dict):
    """A plan's row sent with a plan or severity the table has not (its hidden values
    changed): the row it came from (``row``, the id of its form) as typed, the reason beside
    its button, whose next press sends the row's own values; a row no form of the page has
    is told atop the page only."""
    known = {f"target-{plan}-{severity}": (plan, severity)
             for plan in plans.PLANS for severity in SEVERITIES}
    what = getattr(refusal, "field", None) or "plan"
    problem = Invalid(f"The row came back with a {what} the table does not have. "
                      "Save it again.")
    if row not in known:
        return _refused("", ("", "Response targets"), problem, **typed)
    plan, severity = known[row]
    return _refused(row, (f"{row}-save", f"{plans.plan_name(plan)} severity {severity}"),
                    problem, plan=plan, severity=severity, **typed)


def _severity_kept(raw: str) -> int | None:
    return int(raw) if raw in {str(level) for level in SEVERITIES} else None


def _known_id(raw: str | None) -> int | None:
    try:
        return database_id(raw or "")
    except ValueError:
        return None


@blueprint.post("/targets/remove")
def remove_target():
    plan, severity = _plan_and_severity()
    product = _product()
    if product is None:
        raise Invalid("A plan's general target cannot be removed; mark it not available.")
    service.remove_product_target(current_user, plan, severity, product)
    flash(f"{product.name} follows the general target again.", "success")
    return redirect(url_for("support_targets.index"))


def _time(name: str) -> time:
    try:
        return time.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        raise Invalid("Give the hours as HH:MM, such as 09:00.", field=name) from None


@blueprint.post("/calendars")
def save_calendar():
    plan = request.form.get("plan", "")
    typed = {name: request.form.get(name, "") for name in ("business_days", "opens", "closes")}
    try:
        service.set_calendar(current_user, plan, typed["business_days"].strip(),
                             _time("opens"), _time("closes"))
    except DomainError as refusal:  # the calendar as typed again, the reason beside its field
        if plan not in plans.PLANS:  # sent by no form of the page
            raise
        prefix, label = CALENDAR_FIELDS[getattr(refusal, "field", None) or "business_days"]
        return _refused(f"calendar-{plan}", (f"{prefix}-{plan}",
                                             f"{label}, {plans.plan_name(plan)}"),
                        refusal, **typed)
    flash(f"Saved the calendar of {plans.plan_name(plan)}.", "success")
    return redirect(url_for("support_targets.index"))
