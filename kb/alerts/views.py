"""The one-click unsubscribe page: no sign-in, the signed link is the credential."""

from __future__ import annotations

from flask import Blueprint, render_template

from kb.alerts import unsubscribe as service

blueprint = Blueprint("alerts", __name__)


@blueprint.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    return render_template("alerts/unsubscribe.html", token=token, done=False,
                           unsubscription=service.read_token(token))


@blueprint.post("/unsubscribe/<token>")
def unsubscribe_now(token: str):
    # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" here without any CSRF token
    return render_template("alerts/unsubscribe.html", token=token, done=True,
                           unsubscription=service.unsubscribe(token))
