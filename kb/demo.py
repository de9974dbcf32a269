"""``kb demo``: organisations on each plan, one whose term ended, their users, and every area's
demo content. Idempotent: what exists is left as it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from kb import db, policy, search
from kb.accounts.audit import record_audit
from kb.accounts.models import Organization, User
from kb.accounts.organizations import create_organization
from kb.accounts.passwords import set_password
from kb.accounts.queries import user_by_email

DEMO_PASSWORD = "demo-password"

ORGANIZATIONS = [
    # name, plan, lapsed, products it runs
    ("Northwind Traders", "xtreme", False, [("Orbit ERP", "11.1")]),
    ("Contoso Manufacturing", "premium", False,
     [("Orbit ERP", "12.0"), ("Orbit Integration Hub", "4.0")]),
    ("Fabrikam Logistics", "elite", False,
     [("Orbit ERP", "12.0"), ("Orbit Integration Hub", "4.0"), ("Orbit Analytics", "2026.1")]),
    ("Litware Retail", "premium", True, [("Orbit ERP", "11.0")]),
]
CUSTOMERS = [
    ("xtreme@demo.test", "Xavier Xtreme", "Northwind Traders"),
    ("premium@demo.test", "Paula Premium", "Contoso Manufacturing"),
    ("elite@demo.test", "Elena Elite", "Fabrikam Logistics"),
    ("lapsed@demo.test", "Luis Lapsed", "Litware Retail"),
]
# each organisation's customer administrator (invites and deactivates its users)
CUSTOMER_ADMINISTRATORS = [
    ("xtreme-admin@demo.test", "Nora Northwind", "Northwind Traders"),
    ("premium-admin@demo.test", "Carl Contoso", "Contoso Manufacturing"),
    ("elite-admin@demo.test", "Fiona Fabrikam", "Fabrikam Logistics"),
    ("lapsed-admin@demo.test", "Lena Litware", "Litware Retail"),
]
STAFF = [
    ("staff@demo.test", "Sam Staff", "staff"),
    ("admin@demo.test", "Ada Admin", "admin"),
]

DemoLoader = Callable[[Callable[[str], None]], None]


def register_loader(app, loader: DemoLoader) -> None:
    """Areas add their demo content (articles, patches, recordings, ...) through this."""
    app.extensions.setdefault("kb.demo_loaders", []).append(loader)


def _ensure_organization(name, plan, lapsed, installed) -> Organization:
    organization = db.session.scalar(select(Organization).where(Organization.name == name))
    if organization is not None:
        return organization
    today = policy.today()
    start = today - timedelta(days=500 if lapsed else 120)
    organization = create_organization(
        staff_actor(), name, plan, start, start + timedelta(days=364), installed
    )
    return organization


def staff_actor() -> User:
    """The demo's staff member, who creates the demo data (so that the audit log says so)."""
    user = user_by_email("staff@demo.test")
    if user is None:
        user = User(email="staff@demo.test", name="Sam Staff", role="staff")
        set_password(user, DEMO_PASSWORD)
        db.session.add(user)
        db.session.commit()
    return user


def _ensure_user(email: str, name: str, role: str, organization: Organization | None) -> User:
    user = user_by_email(email)
    if user is None:
        user = User(email=email, name=name, role=role, organization=organization)
        set_password(user, DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
        record_audit(None, "user.create", "user", user.id, None,
                              {"email": email, "role": role, "source": "kb demo"})
        db.session.commit()
    return user


def load(echo: Callable[[str], None] = print) -> None:
    """Create what is missing of the demo data, then run every area's demo loader. The index
    is written once at the end, in one commit, instead of once for each of the loaders' some
    forty commits."""
    with search.deferred():
        organizations = load_accounts()
        for loader in current_app.extensions.get("kb.demo_loaders", []):
            loader(echo)
    _print_sign_ins(organizations, echo)


def load_accounts() -> dict[str, Organization]:
    """The demo organisations and their users (what tests and every area's demo build on)."""
    staff_actor()
    for email, name, role in STAFF:
        _ensure_user(email, name, role, None)
    organizations = {name: _ensure_organization(name, plan, lapsed, installed)
                     for name, plan, lapsed, installed in ORGANIZATIONS}
    for email, name, organization_name in CUSTOMERS:
        _ensure_user(email, name, "customer", organizations[organization_name])
    for email, name, organization_name in CUSTOMER_ADMINISTRATORS:
        organization = organizations[organization_name]
        administrator = _ensure_user(email, name, "customer_admin", organization)
        if organization.administrator_id is None:
            organization.administrator = administrator
            db.session.commit()
    return organizations


def _print_sign_ins(organizations: dict[str, Organization], echo) -> None:
    echo("Demo sign-ins (password: demo-password):")
    for email, _, organization_name in CUSTOMERS:
        organization = organizations[organization_name]
        state = "term ended" if not organization.term_active_on(policy.today()) else "active"
        echo(f"  {email:<24} {organization.plan:<8} {organization_name} ({state})")
    for email, _, organization_name in CUSTOMER_ADMINISTRATORS:
        echo(f"  {email:<24} customer administrator of {organization_name}")
    for email, _, role in STAFF:
        echo(f"  {email:<24} {role}")
