"""Customer organisations: plan, term, installed products and administrator (staff only,
audited)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from kb import db, plans, policy
from kb.accounts.audit import changed_fields, record_audit
from kb.accounts.models import Organization, OrganizationProduct, User
from kb.accounts.users import change_role
from kb.errors import Conflict, Invalid
from kb.products import service as products
from kb.sessions.campus import service as campus
from kb.support import clock as support_clock


class PlanLoweringUnconfirmed(Invalid):
    """Lowering the plan of an organisation whose term runs, or ending its term early, takes
    features from its users at once (the brochure promises none are substantially reduced
    during the term): staff say they mean it, for this very change (``change``: the new plan,
    or the plan and the new end of a term that would end)."""

    def __init__(self, message: str, change: str, lost: tuple[plans.Feature, ...]):
        super().__init__(message)
        self.change, self.lost = change, lost


def _check_plan_lowering(organization: Organization, plan: str, term_start: date,
                         term_end: date, lowering_confirmed_to: str | None) -> None:
    today = policy.today()
    if not organization.term_active_on(today):
        return
    if not term_start <= today <= term_end:
        change = f"{plan} until {term_end.isoformat()}"
        lost = plans.features_lost(organization.plan, "")
        message = (f"{organization.name} is in its term: these dates end it today, which takes "
                   "every feature from its users at once. Confirm that you mean it.")
    else:
        change, lost = plan, plans.features_lost(organization.plan, plan)
        message = (f"{organization.name} is in its term: moving it to {plans.plan_name(plan)} "
                   "takes features from its users at once. Confirm that you mean it.")
    if lost and lowering_confirmed_to != change:
        raise PlanLoweringUnconfirmed(message, change, lost)


def _organization_state(organization: Organization) -> dict[str, Any]:
    return {
        "name": organization.name,
        "plan": organization.plan,
        "term_start": organization.term_start.isoformat(),
        "term_end": organization.term_end.isoformat(),
        "administrator": organization.administrator.email if organization.administrator else None,
        "products": sorted(str(item) for item in organization.installed),
        "time_zone": organization.time_zone,
        "holiday_country": organization.holiday_country,
    }


def _check_organization_fields(plan: str, term_start: date, term_end: date) -> None:
    if plan not in plans.PLANS:
        raise Invalid(f"Unknown plan: {plan}", field="plan")
    if term_end < term_start:
        raise Invalid("The term cannot end before it starts: give a later end.",
                      field="term_end")


def _set_support_clock(organization: Organization, time_zone: str | None,
                       holiday_country: str | None) -> None:
    """Where the organisation's support clock runs: an IANA zone and a holidays country
    ("DE", "DE-BY"); empty keeps the SUPPORT_* settings' defaults."""
    time_zone = (time_zone or "").strip() or None
    holiday_country = (holiday_country or "").strip().upper() or None
    try:
        if time_zone is not None:
            support_clock.zone_named(time_zone)
    except Invalid as refusal:  # for a form to show beside its field
        raise Invalid(refusal.message, field="time_zone") from None
    try:
        support_clock.check_holiday_country(holiday_country, policy.today().year)
    except Invalid as refusal:
        raise Invalid(refusal.message, field="holiday_country") from None
    organization.time_zone, organization.holiday_country = time_zone, holiday_country


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
    time_zone: str | None = None,
    holiday_country: str | None = None,
) -> Organization:
    """A new customer organisation (staff only), recorded in the audit log."""
    policy.require_staff(actor)
    _check_organization_fields(plan, term_start, term_end)
    if db.session.scalar(select(Organization).where(Organization.name == name.strip())):
        raise Conflict(f"An organisation named {name!r} exists already.")
    organization = Organization(
        name=name.strip(), plan=plan, term_start=term_start, term_end=term_end
    )
    _set_support_clock(organization, time_zone, holiday_country)
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
    time_zone: str | None = None,
    holiday_country: str | None = None,
    lowering_confirmed_to: str | None = None,
) -> None:
    """Change an organisation's plan, term, products or administrator (staff only, audited).
    Lowering the plan while the term runs, or ending the term early, needs
    ``lowering_confirmed_to`` naming that change (``PlanLoweringUnconfirmed`` otherwise). A
    plan without the Campus discount revokes the organisation's Campus codes."""
    policy.require_staff(actor)
    _check_organization_fields(plan, term_start, term_end)
    _check_plan_lowering(organization, plan, term_start, term_end,
                         lowering_confirmed_to)
    if administrator is not None and administrator.organization_id != organization.id:
        raise Invalid("The administrator must be a user of this organisation.")
    before = _organization_state(organization)
    previous_plan = organization.plan
    organization.name, organization.plan = name.strip(), plan
    organization.term_start, organization.term_end = term_start, term_end
    organization.administrator = administrator
    _set_support_clock(organization, time_zone, holiday_country)
    _set_installed_products(organization, installed)
    campus.revoke_codes_if_campus_lost(organization, previous_plan)
    if administrator is not None and administrator.role == "customer":
        change_role(actor, administrator, "customer_admin", commit=False)
    db.session.flush()
    old, new = changed_fields(before, _organization_state(organization))
    if new:
        record_audit(actor, "organization.update", "organization", organization.id, old, new)
    db.session.commit()
