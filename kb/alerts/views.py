"""The one-click unsubscribe page (no sign-in: the signed link is the credential), a user's
notification settings and feeds pages, and the staff view of e-mail that could not be
delivered."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from kb import policy
from kb.alerts import feeds, forms, outbox, preferences
from kb.alerts import unsubscribe as service
from kb.links import absolute_url

blueprint = Blueprint("alerts", __name__)

# shown in the addresses once the plain token is gone (only its hash is kept)
FEED_TOKEN_PLACEHOLDER = "YOUR-FEED-TOKEN"


@blueprint.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    return render_template("alerts/unsubscribe.html", token=token, done=False,
                           unsubscription=service.read_token(token))


@blueprint.post("/unsubscribe/<token>")
def unsubscribe_now(token: str):
    # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without any CSRF token
    return render_template("alerts/unsubscribe.html", token=token, done=True,
                           unsubscription=service.unsubscribe(token))


@blueprint.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def notification_settings():
    products = feeds.offered_products(current_user)
    form = forms.preferences_form(products, preferences.effective_all_products(current_user),
                                  preferences.settings_of(current_user))
    if form.validate_on_submit():
        preferences.save(current_user, forms.all_products_choices(form),
                         forms.override_choices(form, products),
                         [product.id for product in products])
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("alerts.notification_settings"))
    overridden = {product_id for product_id, _, _ in preferences.settings_of(current_user)
                  if product_id is not None}
    return render_template(
        "alerts/settings.html", form=form, rows=forms.all_products_rows(form),
        products=[(product, forms.product_rows(form, product), product.id in overridden)
                  for product in products],
        digest_hour=current_app.config["DIGEST_HOUR"]), 422 if form.errors else 200


@blueprint.get("/staff/outbox")
@login_required
def staff_outbox():
    return render_template("alerts/outbox.html",
                           messages=outbox.troubled_messages(current_user),
                           counts=outbox.counts_by_status())


@blueprint.post("/staff/outbox/<int:message_id>/resend")
@login_required
def resend(message_id: int):
    outbox.resend(current_user, message_id)
    flash("The message is queued again.", "success")
    return redirect(url_for("alerts.staff_outbox"))


@blueprint.get("/account/feeds")
@login_required
def feeds_page():
    return _render_feeds()


@blueprint.post("/account/feeds/token")
@login_required
def create_feed_token():
    return _render_feeds(feeds.create_token(current_user), status=201)


@blueprint.post("/account/feeds/token/revoke")
@login_required
def revoke_feed_token():
    feeds.revoke_token(current_user)
    flash("Your feed token has been revoked: its feed addresses no longer answer.", "info")
    return redirect(url_for("alerts.feeds_page"))


def _render_feeds(new_token: str | None = None, status: int = 200):
    shown_token = new_token or FEED_TOKEN_PLACEHOLDER
    return render_template(
        "alerts/feeds.html", token=feeds.active_token(current_user), new_token=new_token,
        product_feeds=feeds.product_feed_addresses(current_user, shown_token),
        calendar_url=absolute_url(feeds.calendar_path(shown_token)),
        calendar_allowed=policy.can(current_user, feeds.CALENDAR_FEATURE)), status

