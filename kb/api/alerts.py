"""/api/v1/alerts: the user's alert subscriptions, and the alerts of their products."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from kb import policy
from kb.alerts import queries as alert_queries
from kb.alerts import subscriptions
from kb.api import blueprint
from kb.api.idempotency import idempotent
from kb.api.lists import list_answer
from kb.api.openapi import ON_REQUEST, documented
from kb.api.responses import created, respond
from kb.api.responses.alerts import Alert, AlertWithHistory, Subscription
from kb.api.schemas import SubscriptionBody, read_body


def subscription_json(subscription) -> dict:
    return {"id": subscription.id, "product": subscription.product.name,
            "product_slug": subscription.product.slug,
            "version": subscription.version.name if subscription.version else None,
            "created": subscription.created_at}


def alert_json(alert) -> dict:
    article = alert.article if alert.article and policy.can_read(current_user, alert.article) \
        else None
    return {"id": alert.id, "title": alert.title, "state": alert.state,
            "products": [product.name for product in alert.products],
            "versions": [version.name for version in alert.versions],
            "updated": alert.updated_at,
            "url": url_for("alerts.alert", alert_id=alert.id),
            "article_url": url_for("articles.show", slug=article.slug) if article else None,
            "patch_url": (url_for("patches.show", patch_id=alert.patch.id)
                          if alert.patch and policy.can_read(current_user, alert.patch)
                          else None)}


@blueprint.get("/alerts/subscriptions")
@documented("Your alert subscriptions: id, product, product_slug, version (null: every "
            "version), created", response_model=list[Subscription], paged=ON_REQUEST)
def api_alert_subscriptions():
    return list_answer(list[Subscription], subscriptions.subscription_listing(current_user),
                       subscription_json)


@blueprint.post("/alerts/subscriptions")
@documented("Subscribe to a product's critical-issue alerts (and new patches), of one version "
            "or every version",
            responses={"201": "Subscribed", "200": "Already subscribed (the existing one)",
                       "422": "Unknown product or version"},
            request_body=SubscriptionBody, response_model=Subscription)
@idempotent
def api_subscribe():
    policy.require(current_user, subscriptions.FEATURE)  # a lapsed term first, then the body
    body = read_body(SubscriptionBody)
    product, version = body.product, body.version
    outcome = subscriptions.subscribe(current_user, product, version)
    if not outcome.created:
        return respond(Subscription, subscription_json(outcome.subscription))
    return created(Subscription, subscription_json(outcome.subscription),
                   url_for("api.api_unsubscribe", subscription_id=outcome.subscription.id))


@blueprint.delete("/alerts/subscriptions/<int:subscription_id>")
@documented("End one of your subscriptions", responses={"204": "Ended", "404": "Not yours"})
def api_unsubscribe(subscription_id: int):
    subscriptions.unsubscribe(current_user, subscription_id)
    return "", 204


@blueprint.get("/alerts")
@documented("The open critical-issue alerts of the products you subscribed to or your "
            "organisation runs, latest change first", response_model=list[Alert],
            paged=ON_REQUEST)
def api_open_alerts():
    policy.require(current_user, subscriptions.FEATURE)
    # which alerts concern the user's versions is decided in Python (alert_queries), after the
    # read filter in SQL, so this list is sliced in Python
    return list_answer(list[Alert], alert_queries.open_alerts_for(current_user), alert_json)


@blueprint.get("/alerts/<int:alert_id>")
@documented("One alert with its history (each step: number, kind, state, note, created)",
            responses={"200": "OK", "404": "No such alert"}, response_model=AlertWithHistory)
def api_alert(alert_id: int):
    alert = alert_queries.get_alert(current_user, alert_id)
    body = alert_json(alert)
    body["summary"] = alert.summary
    body["history"] = [{"number": event.number, "kind": event.kind, "state": event.state,
                        "note": event.note, "created": event.created_at}
                       for event in alert.events]
    return respond(AlertWithHistory, body)
