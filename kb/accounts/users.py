"""Users: looked up, created or invited, given roles, deactivated; their own profile."""

from __future__ import annotations

from kb import db, policy, time_zones
from kb.accounts import throttle
from kb.accounts.audit import record_audit
from kb.accounts.browser_sessions import end_every_session
from kb.accounts.credentials import normalize_email
from kb.accounts.models import ROLE_NAMES, ROLES, Organization, User
from kb.accounts.passwords import (
    issue_reset_link,
    link_lifetime,
    set_password,
    void_reset_links,
)
from kb.accounts.queries import user_by_email
from kb.alerts import addresses
from kb.errors import Conflict, Invalid
from kb.forms import one_line
from kb.mail import queue_email
from kb.sessions.live import service as live_sessions

# per invited user: two resends at once, then 10 minutes between them, doubling to a day
RESEND_RULE = throttle.Rule("invitation-resend", 2, 600, 86400)
# per organisation, for its administrators (each invitation mails an address they typed): a
# department's hundred at once, then 5 s before the next, doubling to 5 minutes (a dozen an
# hour: onboarding goes on, mailing thousands does not)
INVITE_RULE = throttle.Rule("invitation", 100, 5, 300)


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
        policy.require_manage_users_of(actor, organization)
        if not policy.may_assign_role(actor, role):
            raise _role_refused(role)
    _check_role_fits(role, organization)
    email = normalize_email(email)
    if user_by_email(email) is not None:
        raise Conflict(f"A user with the address {email} exists already.")
    user = User(email=email, name=one_line(name), role=role, organization=organization)
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
        raise _role_refused(role)
    _count_invitation(actor, organization)
    existing = user_by_email(email)
    if existing is None:
        create_user(actor, email, role=role, organization=organization, name=name,
                    send_invitation=True)
        return
    if existing.organization_id == organization.id:
        raise Conflict(f"{existing.email} is already a user of your organisation.")
    record_audit(actor, "user.invite_elsewhere", "user", existing.id, None,
                 {"organization": organization.name})
    queue_email(existing.email, "An invitation to the support portal",
                f"{actor.display_name} asked to add you to the support portal of "
                f"{organization.name}, but {_why_nothing_changed(existing)}\n")
    db.session.commit()


def _count_invitation(actor: User, organization: Organization) -> None:
    """Count one invitation by a customer administrator (``Throttled`` while they must wait);
    the invitation's commit keeps the count, a refused one (a colleague already) is not
    counted. Staff are not limited."""
    if policy.acts_as_staff(actor):
        return
    throttle.count_attempt([(INVITE_RULE, f"organization:{organization.id}")],
                           "You have invited many people just now. Please wait {wait} before "
                           "inviting the next.", commit=False)


def _why_nothing_changed(existing: User) -> str:
    """Told only to the address's owner, who knows their own account."""
    if existing.is_staff:
        return ("your address is a staff account of the portal, and a customer organisation "
                "cannot add staff, so nothing has changed.")
    return ("your address already has an account with another organisation, so nothing has "
            "changed. If you should move, ask your contact at the vendor.")


def resend_invitation(actor: User, user: User) -> None:
    """Send ``user`` a new invitation link; the one sent before stops working. A user who has
    accepted (chosen a password) or was deactivated is not invited again; a few resends pass
    at once, then each waits longer (``Throttled``), so nobody's inbox is flooded."""
    policy.require_manage_users_of(actor, user.organization)
    if user.password_hash is not None:
        raise Invalid(f"{user.email} has accepted the invitation already.")
    if not user.is_enabled:
        raise Invalid(f"{user.email} is deactivated: reactivate them first.")
    throttle.count_attempt([(RESEND_RULE, str(user.id))],
                           "The invitation was sent again just now. Try again in {wait}.",
                           commit=False)
    record_audit(actor, "user.invite_again", "user", user.id, None, None)
    _queue_invitation(user, actor)
    db.session.commit()


def _queue_invitation(user: User, actor: User | None) -> None:
    link = issue_reset_link(user, purpose="invitation")
    days = link_lifetime("invitation").days
    inviter = actor.display_name if actor else addresses.portal_name()
    queue_email(
        user.email,
        "You are invited to the support portal",
        f"{inviter} invited you to the support portal of "
        f"{user.organization.name if user.organization else 'the vendor'}.\n\n"
        f"Choose your password here within {days} days:\n{link}\n\n"
        f"If the link has expired, ask {inviter} to send you a new invitation.\n",
    )


def _role_refused(role: str) -> Invalid:
    return Invalid(f"You may not give the role {ROLE_NAMES.get(role, role)}.", field="role")


def _check_role_fits(role: str, organization: Organization | None) -> None:
    if role not in ROLES:
        raise Invalid(f"Unknown role: {role}", field="role")
    if role in ("customer", "customer_admin") and organization is None:
        raise Invalid("A customer belongs to an organisation.")
    if role in ("staff", "admin") and organization is not None:
        raise Invalid("Staff do not belong to a customer organisation.")


def change_role(actor: User, user: User, role: str, *, commit: bool = True) -> None:
    """Give ``user`` another role (audited)."""
    policy.require_manage_users_of(actor, user.organization)
    if not policy.may_assign_role(actor, role):
        raise _role_refused(role)
    _check_role_fits(role, user.organization)
    if user.role != role:
        record_audit(actor, "user.role", "user", user.id, {"role": user.role}, {"role": role})
        user.role = role
    if commit:
        db.session.commit()


def set_user_enabled(actor: User, user: User, enabled: bool) -> None:
    """Deactivate or reactivate ``user``; a deactivated user's sessions and tokens stop, their
    places in live sessions yet to start are given up (those waiting move up), and either
    change ends their unused reset or invitation links (reactivated, one who never accepted
    needs the invitation sent again)."""
    policy.require_manage_users_of(actor, user.organization)
    if user.id == actor.id:
        raise Invalid("You cannot deactivate yourself.")
    if user.is_enabled != enabled:
        record_audit(actor, "user.enabled", "user", user.id,
                     {"enabled": user.is_enabled}, {"enabled": enabled})
        user.is_enabled = enabled
        end_every_session(user)
        void_reset_links(user)  # reactivated too: none issued meanwhile works
        if not enabled:  # their seats go to those waiting; reactivated, they register again
            live_sessions.release_places_of(user)
    db.session.commit()


def update_profile(user: User, name: str, time_zone: str) -> None:
    if not time_zones.is_known(time_zone):
        raise Invalid(f"Unknown time zone: {time_zone}")
    user.name = one_line(name)
    user.time_zone = time_zone
    db.session.commit()
