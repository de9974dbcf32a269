"""Who is asking: session sign-in (Flask-Login) and personal API tokens (Bearer)."""

from __future__ import annotations

from flask import Flask, g, request, session
from flask_login import LoginManager, current_user

from kb.accounts import service
from kb.errors import NotAuthenticated

login_manager = LoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.session_protection = "basic"

VIEW_AS_KEY = "view_as_plan"


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or ""


@login_manager.user_loader
def _load_from_session(session_id: str):
    if request and bearer_token() is not None:
        return None  # an explicit token wins over an ambient session cookie
    return service.load_session_user(session_id)


@login_manager.request_loader
def _load_from_bearer(_request):
    token = bearer_token()
    if token is None:
        return None
    try:
        return service.user_for_token(token)
    except NotAuthenticated as refusal:
        g.authentication_error = refusal.message
        return None


def authenticated_by_token() -> bool:
    return bearer_token() is not None


def _apply_view_as() -> None:
    """Staff may view pages as a customer on some plan; the policy then treats them so."""
    if current_user.is_authenticated and current_user.is_staff and not authenticated_by_token():
        current_user.viewing_as_plan = session.get(VIEW_AS_KEY)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_apply_view_as)
