"""The alert pages: a customer's subscriptions and the open alerts of their products
(/alerts), one alert with its history, and the staff pages that open and advance alerts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import db, policy
from kb.alerts import alert_queries, critical, subscriptions
from kb.alerts.forms import AdvanceForm, OpenAlertForm, SubscribeForm
from kb.errors import Invalid
from kb.forms import choices, database_id, optional_database_id
from kb.patches.details import split_list
from kb.products.models import Product, ProductVersion

blueprint = Blueprint("alert_pages", __name__)


# --- customers -------------------------------------------------------------------------------

@blueprint.get("/alerts")
@login_required
def index():
    return _render_index(SubscribeForm())


@blueprint.post("/alerts/subscriptions")
@login_required
def subscribe():
    form = SubscribeForm()
    form.target.choices = _target_choices()
    if not form.validate_on_submit():
        return _render_index(form, status=422)
    product, version = _target(form.target.data)
    outcome = subscriptions.subscribe(current_user, product.name,
                                      version.name if version else None)
    label = str(outcome.subscription)
    flash(f"You will be told of critical issues and new patches of {label}." if outcome.created
          else f"You were already subscribed to {label}.", "success")
    return redirect(url_for("alert_pages.index"))


@blueprint.post("/alerts/subscriptions/<int:subscription_id>/delete")
@login_required
def unsubscribe(subscription_id: int):
    subscriptions.unsubscribe(current_user, subscription_id)
    flash("Subscription ended.", "info")
    return redirect(url_for("alert_pages.index"))


@blueprint.get("/alerts/<int:alert_id>")
@login_required
def alert(alert_id: int):
    shown = alert_queries.get_alert(current_user, alert_id)
    return render_template("alerts/alert.html", alert=shown)


def _render_index(form: SubscribeForm, status: int = 200):
    policy.require(current_user, subscriptions.FEATURE)
    form.target.choices = _target_choices()
    return render_template(
        "alerts/index.html", form=form,
        subscriptions=subscriptions.subscriptions_of(current_user),
        suggestions=subscriptions.suggestions_for(current_user),
        open_alerts=alert_queries.open_alerts_for(current_user)), status


def _target_choices():
    pairs = []
    for product in subscriptions.choosable_products(current_user):
        pairs.append((str(product.id), f"{product.name} (every version)"))
        pairs.extend((f"{product.id}:{version.id}", f"{product.name} {version.name}")
                     for version in product.versions)
    return choices(pairs)


def _target(value: str) -> tuple[Product, ProductVersion | None]:
    product_id, _, version_id = value.partition(":")
    product = db.session.get(Product, database_id(product_id))
    version = db.session.get(ProductVersion, database_id(version_id)) if version_id else None
    return product, version


# --- staff -----------------------------------------------------------------------------------

@blueprint.route("/staff/alerts", methods=["GET", "POST"])
@login_required
def staff_index():
    policy.require_staff(current_user)
    form = OpenAlertForm()
    if form.validate_on_submit():
        try:
            opened = critical.open_alert(
                current_user, form.title.data, form.summary.data or "",
                split_list(form.products.data), split_list(form.versions.data or ""),
                form.min_plan.data)
        except Invalid as refusal:
            form.products.errors.append(refusal.message)
        else:
            flash(f"Alert #{opened.id} is open; its subscribers have been told.", "success")
            return redirect(url_for("alert_pages.staff_alert", alert_id=opened.id))
    status = 422 if form.errors else 200
    return render_template("alerts/staff_index.html", form=form,
                           alerts=alert_queries.all_alerts(current_user)), status


@blueprint.route("/staff/alerts/<int:alert_id>", methods=["GET", "POST"])
@login_required
def staff_alert(alert_id: int):
    alert = alert_queries.get_alert_for_staff(current_user, alert_id)
    form = AdvanceForm()
    form.article_slug.choices = choices(
        [("", "(none)")] + [(a.slug, a.title) for a in alert_queries.workaround_candidates()])
    form.patch_id.choices = choices(
        [("", "(none)")] + [(str(p.id), f"{p.kind_name} #{p.id}: {p.title}")
                            for p in alert_queries.fixing_candidates(alert)])
    if form.validate_on_submit():
        try:
            critical.advance(current_user, alert.id, form.state.data,
                             article_slug=form.article_slug.data or "",
                             patch_id=_optional_id(form.patch_id.data),
                             note=form.note.data or "")
        except Invalid as refusal:
            form.state.errors.append(refusal.message)
        else:
            flash(_advanced_message(alert, form.state.data), "success")
            return redirect(url_for("alert_pages.staff_alert", alert_id=alert.id))
    status = 422 if form.errors else 200
    return render_template("alerts/staff_alert.html", alert=alert, form=form), status


def _advanced_message(alert, wanted: str) -> str:
    if alert.state != wanted:  # a draft workaround: linked, told once published
        return ("The workaround article is linked: the alert becomes \"workaround available\" "
                "and its subscribers are told when the article is published.")
    return f"The alert is now {alert.state_name.lower()}; its subscribers have been told."


def _optional_id(raw: str | None) -> int | None:
    try:
        return optional_database_id(raw)
    except ValueError:
        raise Invalid("Choose a patch from the list.") from None
