"""The alerts area's pages for users: their critical-issue alert subscriptions and the open
alerts of their products (/alerts), one alert with its history, the notification settings, the
feeds page and the personal feed addresses themselves, and the one-click unsubscribe page (no
sign-in: the signed link is the credential)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from kb import db, markdown, policy
from kb.alerts import feeds, forms, preferences, queries, subscriptions
from kb.alerts import unsubscribe as unsubscribing
from kb.alerts.forms import SubscribeForm
from kb.articles import follows
from kb.errors import DomainError
from kb.forms import choices, database_id
from kb.links import absolute_url
from kb.policy import AccessDenied
from kb.products.known import versions_to_name
from kb.products.models import Product, ProductVersion

blueprint = Blueprint("alerts", __name__)

# shown in the addresses once the plain token is gone (only its hash is kept)
FEED_TOKEN_PLACEHOLDER = "YOUR-FEED-TOKEN"
ATOM = "application/atom+xml"


# --- critical-issue alerts -------------------------------------------------------------------

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
    from_alert = request.form.get("from_alert", type=database_id)
    if from_alert is not None:  # subscribed on an alert's page: back to it
        return redirect(url_for("alerts.alert", alert_id=from_alert))
    return redirect(url_for("alerts.index"))


@blueprint.post("/alerts/subscriptions/<int:subscription_id>/delete")
@login_required
def end_subscription(subscription_id: int):
    subscriptions.unsubscribe(current_user, subscription_id)
    flash("Subscription ended.", "info")
    return redirect(url_for("alerts.index"))


@blueprint.get("/alerts/<int:alert_id>")
@login_required
def alert(alert_id: int):
    shown = queries.get_alert(current_user, alert_id)
    return render_template("alerts/alert.html", alert=shown,
                           summary_html=markdown.render(shown.summary).html,
                           telling=queries.subscription_telling(current_user, shown),
                           offers=queries.subscription_offers(shown),
                           subscribe_form=SubscribeForm())


def _render_index(form: SubscribeForm, status: int = 200):
    policy.require(current_user, subscriptions.FEATURE)
    form.target.choices = _target_choices()
    held = subscriptions.subscriptions_of(current_user)
    if not form.is_submitted():
        form.target.data = _first_offer(form.target.choices, held)
    return render_template(
        "alerts/index.html", form=form,
        subscriptions=held,
        suggestions=subscriptions.suggestions_for(current_user),
        open_alerts=queries.open_alerts_for(current_user)), status


def _first_offer(offered, held) -> str | None:
    """What the form shows first: a product's "every version" the reader does not follow yet
    (one version is the narrower, later choice), else any choice not followed yet."""
    taken = {f"{item.product_id}:{item.version_id}" if item.version_id
             else str(item.product_id) for item in held}
    free = [choice.value for choice in offered if choice.value not in taken]
    return next((value for value in free if ":" not in value), free[0] if free else None)


def _target_choices():
    pairs = []
    products = subscriptions.choosable_products(current_user)
    named = versions_to_name(current_user, products)
    for product in products:
        pairs.append((str(product.id), f"{product.name} (every version)"))
        pairs.extend((f"{product.id}:{version.id}", f"{product.name} {version.name}")
                     for version in named[product.id])
    return choices(pairs)


def _target(value: str) -> tuple[Product, ProductVersion | None]:
    product_id, _, version_id = value.partition(":")
    product = db.session.get(Product, database_id(product_id))
    version = db.session.get(ProductVersion, database_id(version_id)) if version_id else None
    return product, version


# --- e-mail: unsubscribe links and notification settings --------------------------------------

@blueprint.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    return render_template("alerts/unsubscribe.html", token=token, done=False,
                           unsubscription=unsubscribing.read_token(token))


@blueprint.post("/unsubscribe/<token>")
def unsubscribe_now(token: str):
    # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without any CSRF token
    return render_template("alerts/unsubscribe.html", token=token, done=True,
                           unsubscription=unsubscribing.unsubscribe(token))


@blueprint.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def notification_settings():
    products = feeds.offered_products(current_user)
    form = forms.preferences_form(preferences.families_for(current_user), products,
                                  preferences.effective_all_products(current_user),
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
        digest_hour=current_app.config["DIGEST_HOUR"],
        followed=follows.followed_by(current_user)), 422 if form.errors else 200


# --- feeds -----------------------------------------------------------------------------------

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


def _feed(view: Callable[..., Response]) -> Callable[..., Response]:
    """A feed address: private to its token's user, refusals in plain text (a feed reader
    shows a body, but not a page)."""

    @wraps(view)
    def answer(*args, **kwargs) -> Response:
        try:
            response = view(*args, **kwargs)
        except AccessDenied as denial:
            status = 404 if denial.reason == "not_found" else 403
            return Response(denial.message + "\n", status=status, mimetype="text/plain")
        except DomainError as error:
            return Response(error.message + "\n", status=error.status, mimetype="text/plain")
        response.cache_control.private = True  # a shared cache must not hand it to another
        return response

    return answer


@blueprint.get("/feeds/products/<product_slug>/<kind_slug>.atom")
@_feed
def product_feed(product_slug: str, kind_slug: str):
    token = request.args.get("token")
    user = feeds.user_for_token(token)
    kind = feeds.get_kind(kind_slug)
    product = feeds.product_by_slug(user, product_slug)
    return Response(feeds.product_feed(user, kind, product, token), mimetype=ATOM)


@blueprint.get("/feeds/live-sessions.ics")
@_feed
def sessions_calendar():
    user = feeds.user_for_token(request.args.get("token"))
    return Response(feeds.sessions_calendar(user), mimetype="text/calendar")
