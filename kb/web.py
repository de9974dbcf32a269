"""What every page shares: CSRF, error pages, navigation and template helpers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from kb import gating, markdown, plans, policy, time_zones
from kb.accounts.auth import asks_for_json, bearer_token, json_401
from kb.errors import DomainError, NotFound
from kb.forms import DatabaseIdConverter, Request
from kb.policy import AccessDenied
from kb.safe_redirect import safe_next_url
from kb.storage import human_size

csrf = CSRFProtect()
log = logging.getLogger(__name__)


# The header's menus, in this order; "Account" entries go in the account menu on the right.
NAV_GROUPS = ("Knowledge", "Learning", "Support", "Staff", "Account")


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    feature: str | None = None  # shown only to users who may use this feature
    staff_only: bool = False
    group: str = "Knowledge"  # one of NAV_GROUPS; staff-only entries belong under "Staff"

    def __post_init__(self):
        if self.group not in NAV_GROUPS:
            raise ValueError(f"navigation group {self.group!r} is not one of {NAV_GROUPS}")


@dataclass(frozen=True)
class NavGroup:
    name: str
    entries: list[NavEntry]


def add_nav_entry(app: Flask, entry: NavEntry) -> None:
    app.extensions.setdefault("kb.nav", []).append(entry)


def set_site_search(app: Flask, endpoint: str, feature: str) -> None:
    """The search box every page's header holds, for users who may use `feature`."""
    app.extensions["kb.site_search"] = (endpoint, feature)


def nav_entries_for(app: Flask, user) -> list[NavEntry]:
    visible = []
    for entry in app.extensions.get("kb.nav", []):
        if entry.staff_only and not policy.acts_as_staff(user):
            continue
        if entry.feature and not policy.may_open_list(user, entry.feature):
            continue
        visible.append(entry)
    return visible


def nav_groups_of(entries: list[NavEntry]) -> list[NavGroup]:
    """The header's menus that hold something, in NAV_GROUPS order (without "Account")."""
    groups = [NavGroup(name, [entry for entry in entries if entry.group == name])
              for name in NAV_GROUPS if name != "Account"]
    return [group for group in groups if group.entries]


def site_search_url(app: Flask, user) -> str | None:
    endpoint, feature = app.extensions.get("kb.site_search", (None, None))
    if endpoint is None or not policy.is_signed_in(user) or not policy.can(user, feature):
        return None
    return url_for(endpoint)


def wants_json() -> bool:
    """The API, /healthz, any request sent with a token (a script fetching a patch file's
    `url` from the API) and any asking for JSON get errors as JSON, never a page."""
    return _sent_by_a_script() or asks_for_json()


def _sent_by_a_script() -> bool:
    return (request.path.startswith("/api/") or request.path == "/healthz"
            or bearer_token() is not None)


def json_error(message: str, status: int, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response


def access_denied_response(denial: AccessDenied):
    if wants_json():
        if denial.reason == "anonymous":  # a token's refusal, as the API words it
            return json_401("Authentication required.")
        if denial.reason == "not_found":
            return _domain_error_response(NotFound(denial.message))
        extra = {"reason": denial.reason}
        if denial.feature:
            extra["feature"] = denial.feature
        if denial.required_plan:
            extra["required_plan"] = denial.required_plan
        return json_error(denial.message, 403, **extra)
    if denial.reason == "anonymous":
        flash("Sign in to continue.", "info")
        return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
    if denial.reason == "not_found":  # exactly as an item that does not exist
        return _domain_error_response(NotFound(denial.message))
    return render_template("errors/403.html", denial=denial), 403


def _domain_error_response(error: DomainError):
    if error.status == 404:
        _ask_what_a_found_item_asks()
    if wants_json():
        response = json_error(error.message, error.status, **error.json_fields())
    else:
        response = make_response(
            render_template("errors/error.html", status=error.status, message=error.message),
            error.status,
        )
    retry_after = getattr(error, "retry_after_seconds", None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _ask_what_a_found_item_asks() -> None:
    """Before answering "no such item": ask the reader's programmes, as reading an item kept
    to a programme the reader is not in asks them (``policy.programmes_of``, once a request),
    so that a missing item's answer runs the statements, and takes the time, of one that
    exists but is kept from them."""
    policy.programmes_of(current_user)


def _http_error_response(error: HTTPException):
    if error.code == 404:
        _ask_what_a_found_item_asks()
    if wants_json():
        return json_error(error.description or error.name, error.code or 500)
    template = f"errors/{error.code}.html" if error.code in (403, 404, 500) else "errors/error.html"
    return render_template(
        template, status=error.code, message=error.description, title=error.name
    ), error.code


def _csrf_error_response(error: CSRFError):
    if _sent_by_a_script():
        return json_error(f"CSRF check failed: {error.description}", 400)
    message = "The form expired or came from another site. Reload the page and try again."
    if asks_for_json():  # a page's script shows it
        return json_error(message, 400)
    typed = _typed_on_our_own_page()
    if typed:
        message = ("The form expired (you may have been signed out meanwhile), so nothing was "
                   "saved. What you typed is below: copy it, reload the form and send it again.")
    back = safe_next_url(urlsplit(request.referrer or "")._replace(scheme="", netloc="")
                         .geturl()) or "/"
    return render_template("errors/error.html", status=400, message=message, typed=typed,
                           back=back), 400


# fields never shown back: the token itself, and what is secret
_NOT_SHOWN_BACK = ("csrf_token", "password", "token", "secret")


def _typed_on_our_own_page() -> list[tuple[str, str]]:
    """The texts of a refused form, to show back so that nothing typed is lost; only for a
    form posted from one of our own pages (its Referer is ours), never to show a page of ours
    holding what another site posted."""
    referrer = urlsplit(request.referrer or "")
    if request.method != "POST" or referrer.netloc != request.host:
        return []
    return [(name, value) for name, value in request.form.items(multi=True)
            if value.strip() and not any(word in name.lower() for word in _NOT_SHOWN_BACK)]


def _unexpected_error_response(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    if wants_json():
        return json_error("Internal server error.", 500)
    return render_template("errors/500.html"), 500


def _template_context() -> dict:
    entries = nav_entries_for(current_app, current_user)
    return {
        "policy": policy,
        "gating": gating,
        "plans": plans,
        "nav_entries": entries,
        "nav_groups": nav_groups_of(entries),
        "account_entries": [entry for entry in entries if entry.group == "Account"],
        "site_search_url": site_search_url(current_app, current_user),
        "current_plan": policy.effective_plan(current_user),
        "term_lapsed": policy.term_has_lapsed(current_user),
    }


def current_of(addresses: list[str]) -> str | None:
    """Which of a sub-navigation's addresses the page is on or under: the longest that the
    request's path starts with (an organisation's page is under Organisations' /staff/)."""
    under = [address for address in addresses
             if request.path == address or request.path.startswith(address.rstrip("/") + "/")]
    return max(under, key=len, default=None)


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        # blob: media is a file staff chose, read in the page for its length before upload
        "default-src 'self'; img-src 'self' data:; media-src 'self' https: blob:; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
    )
    return response


def _kept_from_caches_when_signed_in(response):
    """What a signed-in reader is answered (their incidents, plan, locked titles) is theirs:
    no cache keeps it, so a shared computer's Back button after signing out shows nothing of
    it, and no proxy hands it to another. An answer that says how it may be cached (a file
    download, an image) keeps its own say. Only a request that loaded its user counts: a
    static file's never does."""
    user = g.get("_login_user")
    if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter  # before any route is added
    app.request_class = Request
    csrf.init_app(app)
    app.register_error_handler(AccessDenied, access_denied_response)
    app.register_error_handler(DomainError, _domain_error_response)
    app.register_error_handler(CSRFError, _csrf_error_response)
    app.register_error_handler(HTTPException, _http_error_response)
    app.register_error_handler(Exception, _unexpected_error_response)
    app.context_processor(_template_context)
    app.after_request(_security_headers)
    app.after_request(_kept_from_caches_when_signed_in)
    app.jinja_env.globals["safe_next_url"] = safe_next_url
    app.jinja_env.globals["current_of"] = current_of
    app.jinja_env.globals["time_zone_names"] = time_zones.offered
    app.jinja_env.filters["filesize"] = human_size
    app.jinja_env.filters["scrolling_tables"] = markdown.scrolling_tables
