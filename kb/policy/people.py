"""Staff-only work, administrators, and who manages an organisation's users and their roles."""

from __future__ import annotations

from kb.policy.features import AccessDenied, acts_as_staff, is_admin, is_signed_in


def require_staff(user) -> None:
    if not is_signed_in(user):
        raise AccessDenied("Sign in to continue.", reason="anonymous")
    if not acts_as_staff(user):
        raise AccessDenied("Only support staff may do this.", reason="staff_only")


def require_staff_member(user) -> None:
    """Staff, whether or not they are viewing pages as a customer right now."""
    if not is_signed_in(user):
        raise AccessDenied("Sign in to continue.", reason="anonymous")
    if not user.is_staff:
        raise AccessDenied("Only support staff may do this.", reason="staff_only")


def require_admin(user) -> None:
    require_staff(user)
    if not is_admin(user):
        raise AccessDenied("Only administrators may do this.", reason="staff_only")


def can_manage_users_of(user, organization) -> bool:
    """Staff manage every organisation's users; a customer administrator manages their own."""
    return acts_as_staff(user) or (is_signed_in(user) and user.role == "customer_admin"
                                   and getattr(organization, "id", None) == user.organization_id)


def require_manage_users_of(user, organization) -> None:
    if not is_signed_in(user):  # organization None: staff accounts, for administrators alone
        raise AccessDenied("Sign in to continue.", reason="anonymous")
    if not acts_as_staff(user) and getattr(organization, "id", None) != user.organization_id:
        raise AccessDenied("No such user.", reason="not_found")  # as if it did not exist
    if organization is None:
        require_admin(user)
    elif not can_manage_users_of(user, organization):
        raise AccessDenied("Only your organisation's customer administrator manages its users.",
                           reason="staff_only")


def is_serving_staff(user) -> bool:
    """An enabled staff member: whom incidents are assigned to and who is an organisation's
    customer success manager (whose notices then go to them alone). A deactivated one left:
    their incidents are all staff's again, their organisations have no manager until staff
    assign one."""
    return user is not None and user.is_staff and user.is_enabled


def may_be_told(user) -> bool:
    """Whether notices (in the portal, by e-mail, in the digest) still reach ``user``: an
    enabled account; a deactivated one, whose owner may have left, hears nothing more."""
    return user is not None and user.is_enabled


def may_assign_role(user, role: str) -> bool:
    """Admins assign any role, staff assign customer roles, customer admins only 'customer'."""
    if is_admin(user):
        return True
    if acts_as_staff(user):
        return role in ("customer", "customer_admin")
    return role == "customer" and can_manage_users_of(user, user.organization)
