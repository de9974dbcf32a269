"""Who is asking: session sign-in (Flask-Login) and personal API tokens (Bearer)."""

from __future__ import annotations

from functools import wraps

from flask import Flask, current_app, g, jsonify, request, session
from flask_login import LoginManager, current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug import Response

from kb.accounts.browser_sessions import load_session_user
from kb.accounts.credentials import normalize_email
from kb.accounts.tokens import token_for
from kb.errors import NotAuthenticated


class TokenAwareLoginManager(LoginManager):
    """A page needing a sign-in redirects a browser to the sign-in page; a request sent with a
    token that does not authenticate, or one asking for JSON, gets 401 JSON, as the API answers
    it (a script following the redirect would take the sign-in page for the page it asked for)."""

    def unauthorized(self):
        if bearer_token() is None and not asks_for_json():
            return super().unauthorized()
        return json_401("Authentication required: send a valid personal API token.")


BEARER_CHALLENGE = 'Bearer realm="kb"'


def json_401(default_message: str) -> Response:
    """The 401 JSON answer to a request without a working credential, as the API and every
    page asked for JSON word it: why the credential sent failed (a bad, expired or revoked
    token), else ``default_message``, with the ``WWW-Authenticate: Bearer`` challenge."""
    response = jsonify({"error": g.get("authentication_error") or default_message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
    return response


FILE_SIGN_IN_MESSAGE = ("Sign in, or send 'Authorization: Bearer TOKEN' with a personal API "
                        "token.")


def file_authentication_required() -> Response:
    """A file's URL asked for without a working credential. A browser (it names HTML first) is
    sent to sign in and comes back; a script is never redirected (``curl -fLO`` would save the
    sign-in page as the file and exit 0): 401 with ``WWW-Authenticate: Bearer``, its error in
    JSON as the API words it when a token was sent (a bad or revoked one) or JSON is asked
    for, else as a line of text for a tokenless curl or wget."""
    if bearer_token() is None and request.accept_mimetypes.best == "text/html":
        return login_manager.unauthorized()
    if bearer_token() is not None or asks_for_json():
        return json_401(FILE_SIGN_IN_MESSAGE)
    response = Response(FILE_SIGN_IN_MESSAGE + "\n", status=401, mimetype="text/plain")
    response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
    return response


def file_login_required(view):
    """``login_required`` for a file's URL: a missing or bad credential is answered by
    ``file_authentication_required``."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not current_user.is_authenticated:
            return file_authentication_required()
        return view(*args, **kwargs)

    return checked


login_manager = TokenAwareLoginManager()
login_manager.login_view = "accounts.sign_in"
login_manager.login_message = "Sign in to continue."
login_manager.session_protection = "basic"

VIEW_AS_KEY = "view_as_plan"
# set in a browser that signed in to an account: its attempts for that account pass the
# account-wide sign-in ceiling, so guessing from elsewhere cannot slow its owner down
DEVICE_COOKIE = "kb_device"
DEVICE_COOKIE_SECONDS = 365 * 24 * 3600


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or ""


def asks_for_json() -> bool:
    """A script's request (or a page's own script's): JSON is what it takes best, where a
    browser names HTML and curl takes anything."""
    return request.accept_mimetypes.best == "application/json"


@login_manager.user_loader
def _load_from_session(session_id: str):
    if request and bearer_token() is not None:
        return None  # an explicit token wins over an ambient session cookie
    return load_session_user(session_id)


# a page's form (any method but these) outside the API never takes a token: its CSRF token
# is bound to a session, not to a user, so a script holding a token could fetch one and
# create a token that never expires, invite colleagues or sign its owner out everywhere
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_BLUEPRINT = "api"
FORM_REFUSAL = ("A personal API token works with the API (/api/v1), file downloads and reading "
                "pages; a page's form needs a browser sign-in.")


@login_manager.request_loader
def _load_from_bearer(_request):
    token = bearer_token()
    if token is None:
        return None
    if request.method not in READING_METHODS and request.blueprint != API_BLUEPRINT:
        g.authentication_error = FORM_REFUSAL
        return None
    try:
        api_token = token_for(token)
        g.api_token_id = api_token.id
        return api_token.user
    except NotAuthenticated as refusal:
        g.authentication_error = refusal.message
        return None


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="kb-device")


def signed_in_here_before(email: str) -> bool:
    """Whether this browser carries the device cookie of a sign-in to ``email``."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    try:
        known = _device_serializer().loads(value, max_age=DEVICE_COOKIE_SECONDS)
    except BadSignature:
        return False
    return known == normalize_email(email)


def remember_device(response: Response, email: str) -> Response:
    """Give the browser the device cookie of ``email`` (after a sign-in or a reset)."""
    response.set_cookie(
        DEVICE_COOKIE, _device_serializer().dumps(normalize_email(email)),
        max_age=DEVICE_COOKIE_SECONDS, httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def authenticated_by_token() -> bool:
    return bearer_token() is not None


def _apply_view_as() -> None:
    """Staff may view pages as a customer on some plan; the policy then treats them so."""
    if request.endpoint == "static" or authenticated_by_token():
        return  # no user to load: a static file is the same for all, a token never views as
    if current_user.is_authenticated and current_user.is_staff:
        current_user.viewing_as_plan = session.get(VIEW_AS_KEY)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_apply_view_as)
