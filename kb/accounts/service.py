"""Every change to organisations, users, tokens and passwords; each operation commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from kb import db, plans, policy, time_zones
from kb.accounts import throttle
from kb.accounts.models import (
    ROLES,
    ApiToken,
    AuditEntry,
    Organization,
    OrganizationProduct,
    PasswordResetRequest,
    PasswordResetToken,
    Throttle,
    User,
    UserSession,
)
from kb.accounts.throttle import Rule
from kb.alerts import addresses
from kb.alerts.schedule import due_job
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotAuthenticated, NotFound, Throttled
from kb.links import absolute_url, path_for
from kb.mail import queue_email
from kb.products import service as products

TOKEN_PREFIX = "kb_"
MIN_PASSWORD_LENGTH = 10


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"Use at least {MIN_PASSWORD_LENGTH} characters.")


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def get_organization(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    return organization


# --- audit -----------------------------------------------------------------------------------

def record_audit(
    actor: User | None,
    action: str,
    target_type: str,
    target_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    remote_addr: str | None = None,
) -> None:
    """Add an audit entry to the current transaction (committed with the change it records)."""
    db.session.add(
        AuditEntry(
            actor_id=actor.id if policy.is_signed_in(actor) else None,
            action=action,
            target_type=target_type,
            target_id=target_id,
            before=before,
            after=after,
            remote_addr=remote_addr,
        )
    )


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    keys = [key for key in after if before.get(key) != after[key]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


# --- sign-in and sessions --------------------------------------------------------------------

def _sign_in_rules() -> tuple[Rule, Rule, Rule]:
    """Per account and client address, per account from anywhere, per client address for any
    account (see "Sign-in throttling" in README.md)."""
    config = current_app.config
    first, longest = config["SIGN_IN_FIRST_WAIT_SECONDS"], config["SIGN_IN_MAX_WAIT_SECONDS"]
    account_longest = config["SIGN_IN_ACCOUNT_MAX_WAIT_SECONDS"]
    return (
        Rule("sign-in", config["SIGN_IN_FREE_FAILURES"], first, longest),
        Rule("sign-in-account", config["SIGN_IN_ACCOUNT_FREE_FAILURES"],
             account_longest / 4, account_longest),
        Rule("sign-in-address", config["SIGN_IN_ADDRESS_FREE_FAILURES"], first, longest),
    )


def _sign_in_checks(email: str, remote_addr: str, known_device: bool) -> list[tuple[Rule, str]]:
    pair, account, address = _sign_in_rules()
    # in the order counters are locked in (by scope), also when a success takes them back
    checks = [(pair, f"{email} {remote_addr}"), (account, email), (address, remote_addr)]
    return [check for check in checks if not (known_device and check[0] is account)]


# a valid hash to check against when the e-mail is unknown, so timing does not reveal accounts
_UNKNOWN_USER_HASH: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _UNKNOWN_USER_HASH:
        _UNKNOWN_USER_HASH[method] = generate_password_hash(secrets.token_hex(8), method=method)
    return _UNKNOWN_USER_HASH[method]


def authenticate(email: str, password: str, remote_addr: str, *,
                 known_device: bool = False) -> User:
    """Sign in: the user with these credentials, with a new session (``session_secret``).

    The attempt is counted before the password is checked; ``Throttled`` says how long to wait.
    A ``known_device`` (a browser that signed in to this account before) is exempt from the
    account-wide ceiling. Wrong credentials or a deactivated account raise ``Invalid``."""
    email = normalize_email(email)
    checks = _sign_in_checks(email, remote_addr, known_device)
    throttle.count_attempt(
        checks, "Too many failed sign-ins. Try again in {wait}, or reset your password.")
    user = user_by_email(email)
    password_hash = user.password_hash if user and user.password_hash else _dummy_hash()
    if not check_password_hash(password_hash, password) or user is None:
        raise Invalid("Wrong e-mail address or password.")
    if not user.is_enabled:
        raise Invalid("This account has been deactivated. Ask your administrator.")
    for rule, key in checks:
        throttle.forgive_attempt(rule, key, start_over=rule.scope == "sign-in")
    user.last_sign_in_at = utcnow()
    return start_session(user)


def start_session(user: User) -> User:
    """Open a browser session for ``user``; its secret (``user.session_secret``) goes into the
    session cookie, and only its hash is kept."""
    secret = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, secret_hash=hash_secret(secret)))
    db.session.execute(delete(UserSession).where(UserSession.created_at < _oldest_session_start()))
    db.session.commit()
    user.session_secret = secret
    return user


def _oldest_session_start():
    return utcnow() - current_app.permanent_session_lifetime


def end_session(user: User) -> None:
    """Sign out: the session ``user`` came with ends, whoever holds a copy of its cookie."""
    if user.session_secret:
        db.session.execute(
            delete(UserSession).where(UserSession.secret_hash == hash_secret(user.session_secret)))
        db.session.commit()


def _end_every_session(user: User) -> None:
    if user.id is not None:
        db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def sign_out_everywhere(user: User) -> None:
    """End every session of ``user`` (each browser must sign in again)."""
    _end_every_session(user)
    db.session.commit()


def load_session_user(session_secret: str) -> User | None:
    """The user of the session a cookie names, if that session is still open."""
    user = db.session.scalar(
        select(User).join(UserSession, UserSession.user_id == User.id).where(
            UserSession.secret_hash == hash_secret(session_secret),
            UserSession.created_at >= _oldest_session_start(),
        ).options(joinedload(User.organization))
    )
    if user is None or not user.is_enabled:
        return None
    user.session_secret = session_secret
    return user


# --- passwords -------------------------------------------------------------------------------

def set_password(user: User, password: str) -> None:
    """Set a new password (the caller commits): every session and unused reset link of the
    user ends."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    _end_every_session(user)
    _void_reset_links(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password; every session ends, the caller's too (it may start a new one)."""
    if not user.password_hash or not check_password_hash(user.password_hash, current_password):
        raise Invalid("Your current password is not right.")
    set_password(user, new_password)
    db.session.commit()


def _void_reset_links(user: User) -> None:
    if user.id is not None:
        db.session.execute(delete(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)))


def _issue_reset_link(user: User) -> str:
    """Record a new reset link for ``user`` (only its hash is kept); every older unused link
    of the user stops working."""
    _void_reset_links(user)
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    db.session.add(PasswordResetToken(
        user_id=user.id, token_hash=hash_secret(token),
        expires_at=utcnow() + timedelta(minutes=minutes)))
    return absolute_url(path_for("accounts.reset_password", token=token), for_email=True)


def _reset_rules() -> tuple[Rule, Rule]:
    config = current_app.config
    return (
        Rule("reset-address", config["PASSWORD_RESET_ADDRESS_FREE_REQUESTS"], 60, 3600),
        Rule("reset-account", config["PASSWORD_RESET_FREE_REQUESTS"], 900, 3600),
    )


def request_password_reset(email: str, remote_addr: str) -> None:
    """Ask for a reset link for ``email``: only recorded here, the outbox loop e-mails it
    (``send_requested_reset_links``). Whether the address has an account is not looked at, so
    the answer, the writes and the timing are the same either way. ``Throttled`` when this
    client address asked too often; an address asked for too often is silently not recorded
    for a while."""
    email = normalize_email(email)
    per_address, per_account = _reset_rules()
    throttle.count_attempt(
        [(per_address, remote_addr)], "Too many reset requests. Try again in {wait}.")
    try:
        throttle.count_attempt([(per_account, email)], "", commit=False)
    except Throttled:
        return
    db.session.add(PasswordResetRequest(email=email))
    db.session.commit()


@due_job
def send_requested_reset_links(now: datetime) -> int:
    """Answer the reset requests made by ``now``, oldest first, one transaction each: a link by
    e-mail when the address has an enabled account, nothing otherwise. Returns the number of
    e-mails queued."""
    sent = 0
    while (email := _take_reset_request(now)) is not None:
        # one loop at a time issues a user's link, so the newest one voids every older one
        user = db.session.scalar(select(User).where(User.email == email)
                                 .with_for_update(key_share=True))
        if user is not None and user.is_enabled:
            _queue_reset_email(user)
            sent += 1
        db.session.commit()
    return sent


def _take_reset_request(now: datetime) -> str | None:
    """Delete the oldest request made by ``now`` in the current transaction and return its
    address. Another loop skips the row meanwhile (PostgreSQL: SKIP LOCKED; SQLite has one
    writer at a time); if the transaction rolls back, the request waits for the next round."""
    oldest = (select(PasswordResetRequest.id).where(PasswordResetRequest.requested_at <= now)
              .order_by(PasswordResetRequest.id).limit(1)
              .with_for_update(skip_locked=True).scalar_subquery())
    return db.session.scalar(delete(PasswordResetRequest)
                             .where(PasswordResetRequest.id == oldest)
                             .returning(PasswordResetRequest.email))


def _queue_reset_email(user: User) -> None:
    link = _issue_reset_link(user)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    queue_email(
        user.email,
        "Reset your password",
        f"Someone asked to reset the password of {user.email}.\n\n"
        f"Open this link within {minutes} minutes to choose a new password:\n{link}\n\n"
        "The link works once. If you did not ask for this, ignore this message.",
    )


def _valid_reset_token(token: str) -> PasswordResetToken:
    reset = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_secret(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
        raise Invalid("This reset link is invalid, used or expired. Ask for a new one.")
    return reset


def check_reset_token(token: str) -> None:
    _valid_reset_token(token)


def _claim_reset_token(reset: PasswordResetToken) -> None:
    """Mark the link used, unless a concurrent request did first (then ``Invalid``)."""
    claimed = db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == reset.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Invalid("This reset link is invalid, used or expired. Ask for a new one.")


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset link; the link, every other link and every open session
    stop working."""
    reset = _valid_reset_token(token)
    check_password_strength(new_password)
    _claim_reset_token(reset)
    set_password(reset.user, new_password)
    sign_in_pair = _sign_in_rules()[0]
    db.session.execute(delete(Throttle).where(
        Throttle.scope == sign_in_pair.scope, Throttle.key.startswith(f"{reset.user.email} ")))
    db.session.commit()
    return reset.user


def update_profile(user: User, name: str, time_zone: str) -> None:
    if not time_zones.is_known(time_zone):
        raise Invalid(f"Unknown time zone: {time_zone}")
    user.name = name.strip()
    user.time_zone = time_zone
    db.session.commit()


# --- API tokens ------------------------------------------------------------------------------

def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the plain token is returned once and only its hash is kept."""
    name = name.strip() or "API token"
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name[:100], token_hash=hash_secret(plain), prefix=plain[:10]
    )
    db.session.add(token)
    db.session.commit()
    return token, plain


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc())
        )
    )


def revoke_api_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound("No such token.")
    token.revoked_at = utcnow()
    db.session.commit()


def user_for_token(plain: str) -> User:
    """The user a bearer token authenticates; ``NotAuthenticated`` says why not."""
    # one query: the user and their organisation (plan, term) are what every request asks next
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(plain))
        .options(joinedload(ApiToken.user).joinedload(User.organization)))
    if token is None or token.revoked_at is not None:
        raise NotAuthenticated("Invalid or revoked API token.")
    user = token.user
    if not user.is_enabled:
        raise NotAuthenticated("The token's user has been deactivated.")
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return user


# --- organisations ---------------------------------------------------------------------------

def _organization_state(organization: Organization) -> dict[str, Any]:
    return {
        "name": organization.name,
        "plan": organization.plan,
        "term_start": organization.term_start.isoformat(),
        "term_end": organization.term_end.isoformat(),
        "administrator": organization.administrator.email if organization.administrator else None,
        "products": sorted(str(item) for item in organization.installed),
    }


def _check_organization_fields(plan: str, term_start: date, term_end: date) -> None:
    if plan not in plans.PLANS:
        raise Invalid(f"Unknown plan: {plan}")
    if term_end < term_start:
        raise Invalid("The term cannot end before it starts.")


def parse_installed_products(text: str) -> list[tuple[str, str | None]]:
    """'Product: 1.0, 2.0' lines (or a bare product name) into (product, version) pairs."""
    pairs: list[tuple[str, str | None]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        product, _, versions = line.partition(":")
        names = [v.strip() for v in versions.split(",") if v.strip()]
        pairs.extend((product.strip(), v) for v in names or [None])
    return pairs


def _set_installed_products(
    organization: Organization, installed: list[tuple[str, str | None]]
) -> None:
    organization.installed.clear()
    db.session.flush()
    for product_name, version_name in installed:
        product = products.ensure_product(product_name)
        version = products.ensure_version(product, version_name) if version_name else None
        organization.installed.append(OrganizationProduct(product=product, version=version))


def create_organization(
    actor: User,
    name: str,
    plan: str,
    term_start: date,
    term_end: date,
    installed: list[tuple[str, str | None]] | None = None,
) -> Organization:
    """A new customer organisation (staff only), recorded in the audit log."""
    policy.require_staff(actor)
    _check_organization_fields(plan, term_start, term_end)
    if db.session.scalar(select(Organization).where(Organization.name == name.strip())):
        raise Conflict(f"An organisation named {name!r} exists already.")
    organization = Organization(
        name=name.strip(), plan=plan, term_start=term_start, term_end=term_end
    )
    db.session.add(organization)
    _set_installed_products(organization, installed or [])
    db.session.flush()
    record_audit(actor, "organization.create", "organization", organization.id,
                 None, _organization_state(organization))
    db.session.commit()
    return organization


def update_organization(
    actor: User,
    organization: Organization,
    *,
    name: str,
    plan: str,
    term_start: date,
    term_end: date,
    installed: list[tuple[str, str | None]],
    administrator: User | None,
) -> None:
    """Change an organisation's plan, term, products or administrator (staff only, audited)."""
    policy.require_staff(actor)
    _check_organization_fields(plan, term_start, term_end)
    if administrator is not None and administrator.organization_id != organization.id:
        raise Invalid("The administrator must be a user of this organisation.")
    before = _organization_state(organization)
    organization.name, organization.plan = name.strip(), plan
    organization.term_start, organization.term_end = term_start, term_end
    organization.administrator = administrator
    _set_installed_products(organization, installed)
    if administrator is not None and administrator.role == "customer":
        change_role(actor, administrator, "customer_admin", commit=False)
    db.session.flush()
    old, new = _changed(before, _organization_state(organization))
    if new:
        record_audit(actor, "organization.update", "organization", organization.id, old, new)
    db.session.commit()


def all_organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


# --- users -----------------------------------------------------------------------------------

def create_user(
    actor: User | None,
    email: str,
    *,
    role: str = "customer",
    organization: Organization | None = None,
    name: str = "",
    password: str | None = None,
    send_invitation: bool = False,
) -> User:
    """A new user. Staff create any user; a customer administrator invites customers to their
    own organisation. Without a password the user gets an invitation link by e-mail."""
    if actor is not None:
        if organization is not None:
            policy.require_manage_users_of(actor, organization)
        else:
            policy.require_admin(actor)
        if not policy.may_assign_role(actor, role):
            raise Invalid(f"You may not give the role {role}.")
    _check_role_fits(role, organization)
    email = normalize_email(email)
    if user_by_email(email) is not None:
        raise Conflict(f"A user with the address {email} exists already.")
    user = User(email=email, name=name.strip(), role=role, organization=organization)
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    record_audit(actor, "user.create", "user", user.id, None,
                 {"email": email, "role": role,
                  "organization": organization.name if organization else None})
    if send_invitation:
        _queue_invitation(user, actor)
    db.session.commit()
    return user


def invite_user(actor: User, organization: Organization, email: str, *, role: str,
                name: str = "") -> None:
    """A customer administrator adds a user to their organisation, who gets an invitation.

    An address that already has an account elsewhere (another organisation, or staff) gets the
    same answer as a new one, so the administrator learns nothing about other organisations'
    users: its owner is told by e-mail instead, and the attempt is audited."""
    policy.require_manage_users_of(actor, organization)
    if not policy.may_assign_role(actor, role):
        raise Invalid(f"You may not give the role {role}.")
    existing = user_by_email(email)
    if existing is None:
        create_user(actor, email, role=role, organization=organization, name=name,
                    send_invitation=True)
        return
    if existing.organization_id == organization.id:
        raise Conflict(f"{existing.email} is already a user of your organisation.")
    record_audit(actor, "user.invite_elsewhere", "user", existing.id, None,
                 {"organization": organization.name})
    queue_email(
        existing.email,
        "An invitation to the support portal",
        f"{actor.display_name} asked to add you to the support portal of {organization.name}, "
        "but your address already has an account with another organisation, so nothing has "
        "changed. If you should move, ask your contact at the vendor.\n",
    )
    db.session.commit()


def _queue_invitation(user: User, actor: User | None) -> None:
    link = _issue_reset_link(user)
    inviter = actor.display_name if actor else addresses.portal_name()
    queue_email(
        user.email,
        "You are invited to the support portal",
        f"{inviter} invited you to the support portal of "
        f"{user.organization.name if user.organization else 'the vendor'}.\n\n"
        f"Choose your password here:\n{link}\n",
    )


def _check_role_fits(role: str, organization: Organization | None) -> None:
    if role not in ROLES:
        raise Invalid(f"Unknown role: {role}")
    if role in ("customer", "customer_admin") and organization is None:
        raise Invalid("A customer belongs to an organisation.")
    if role in ("staff", "admin") and organization is not None:
        raise Invalid("Staff do not belong to a customer organisation.")


def change_role(actor: User, user: User, role: str, *, commit: bool = True) -> None:
    """Give ``user`` another role (audited)."""
    if user.organization is not None:
        policy.require_manage_users_of(actor, user.organization)
    else:
        policy.require_admin(actor)
    if not policy.may_assign_role(actor, role):
        raise Invalid(f"You may not give the role {role}.")
    _check_role_fits(role, user.organization)
    if user.role != role:
        record_audit(actor, "user.role", "user", user.id, {"role": user.role}, {"role": role})
        user.role = role
    if commit:
        db.session.commit()


def set_user_enabled(actor: User, user: User, enabled: bool) -> None:
    """Deactivate or reactivate ``user``; a deactivated user's sessions and tokens stop."""
    if user.organization is not None:
        policy.require_manage_users_of(actor, user.organization)
    else:
        policy.require_admin(actor)
    if user.id == actor.id:
        raise Invalid("You cannot deactivate yourself.")
    if user.is_enabled != enabled:
        record_audit(actor, "user.enabled", "user", user.id,
                     {"enabled": user.is_enabled}, {"enabled": enabled})
        user.is_enabled = enabled
        _end_every_session(user)
    db.session.commit()


def users_of(organization: Organization | None) -> list[User]:
    query = select(User).order_by(User.email)
    if organization is not None:
        query = query.where(User.organization_id == organization.id)
    return list(db.session.scalars(query))


def audit_entries(limit: int = 200) -> list[AuditEntry]:
    return list(
        db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    )
