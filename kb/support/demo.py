"""The demo's support desk: the target table with one product without Severity 1 targets (the
seed's "not available for some products"), each organisation's time zone and holidays, and
incidents of several severities with replies, a note, an assignment and a remote access
request waiting for the Elite customer's answer."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from kb import db, plans, policy
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.articles.models import Article, article_products
from kb.demo import staff_actor
from kb.products.service import ensure_product
from kb.support import defaults, incident_articles, incidents, remote_access, service
from kb.support.models import Incident

PRODUCT_WITHOUT_CRITICAL_SUPPORT = "Orbit Analytics"
# made-up numbers (555 and the like): only a demo portal shows them
DEMO_PHONE_LINES = ("International: +1 800 555 0199; Europe: +49 30 5550 1990; "
                    "Asia-Pacific: +65 6555 0199")
CLOCKS = {"Northwind Traders": ("America/New_York", "US"),
          "Contoso Manufacturing": ("Europe/Berlin", "DE"),
          "Fabrikam Logistics": ("Europe/London", "GB")}
# customer, severity, product, version, title, description
INCIDENTS = [
    ("elite@demo.test", 1, "Orbit ERP", "12.0", "Invoice posting stops with error E-4711",
     "Since 08:10 no invoice posts; every attempt ends with **E-4711 ledger locked**. All "
     "240 users of the finance department are blocked."),
    ("elite@demo.test", 3, "Orbit Integration Hub", "4.0", "Retry queue grows overnight",
     "The retry queue holds some 3,000 messages every morning; they drain by noon."),
    ("premium@demo.test", 1, "Orbit ERP", "12.0", "Warehouse terminals cannot sign in",
     "Since the 12.0 upgrade the hand-held terminals answer *session refused*."),
    ("premium@demo.test", 2, "Orbit Integration Hub", "4.0", "Partner orders arrive twice",
     "Orders from one EDI partner are created twice since Monday."),
    ("xtreme@demo.test", 2, "Orbit ERP", "11.1", "Month-end close takes six hours",
     "The close used to take one hour; it now runs for six."),
    ("xtreme@demo.test", 4, "Orbit ERP", "11.1", "Typo in the German payment reminder",
     "The reminder letter says *Zahlungserinerung*."),
]


def load(echo) -> None:
    _keep_demo_phone_lines(echo)
    added = service.ensure_default_table()
    product = ensure_product(PRODUCT_WITHOUT_CRITICAL_SUPPORT)
    actor = staff_actor()
    for plan in plans.PLANS:
        if service.product_target(plan, 1, product) is None:
            default_clock = defaults.TARGETS[(plan, 1)][1]
            service.set_target(actor, plan, 1, product, None, default_clock)
            added += 1
    if added:
        echo(f"Support: {added} response-target row(s) added.")
    _set_clocks()
    if db.session.scalar(select(Incident.id).limit(1)) is None:
        echo(f"Support: {_log_incidents(actor)} demo incidents logged.")


def _keep_demo_phone_lines(echo) -> None:
    """The demo's example phone lines, written into DATA_DIR/config.py so that the portal
    (``kb serve``, run later) shows them; a deployment never given numbers shows none. A
    config.py that names the setting already, or an environment that sets it, keeps its own."""
    if "KB_SUPPORT_PHONE_LINES" in os.environ:
        return
    path = Path(current_app.config["DATA_DIR"]) / "config.py"
    written = path.read_text(encoding="utf-8") if path.exists() else ""
    if "SUPPORT_PHONE_LINES" in written:
        return
    separator = "\n" if written and not written.endswith("\n") else ""
    with path.open("a", encoding="utf-8") as config:
        config.write(f"{separator}# the demo's made-up support phone numbers, by `kb demo`\n"
                     f"SUPPORT_PHONE_LINES = {DEMO_PHONE_LINES!r}\n")
    if not current_app.config["SUPPORT_PHONE_LINES"]:
        current_app.config["SUPPORT_PHONE_LINES"] = DEMO_PHONE_LINES  # as the next start will
    echo(f"Support: the demo's example phone lines are set in {path}.")


def _set_clocks() -> None:
    for name, (zone, country) in CLOCKS.items():
        organization = db.session.scalar(select(Organization).where(Organization.name == name))
        if organization is not None and organization.time_zone is None:
            organization.time_zone, organization.holiday_country = zone, country
    db.session.commit()


def _log_incidents(staff) -> int:
    logged = []
    for email, severity, product, version, title, description in INCIDENTS:
        customer = user_by_email(email)
        if customer is None:
            continue
        logged.append(incidents.log_incident(customer, incidents.IncidentDetails(
            product=product, severity=severity, title=title, description=description,
            version=version, contact=f"{customer.display_name}, {customer.email}")))
    if len(logged) == len(INCIDENTS):
        _work_on(staff, logged)
    return len(logged)


def _work_on(staff, logged: list[Incident]) -> None:
    elite_down, elite_queue, _, premium_twice, xtreme_close, xtreme_typo = logged
    incidents.assign(staff, [elite_down, premium_twice], staff)
    incidents.change_status(staff, elite_down, "in_progress")
    incidents.add_note(staff, elite_down, "Ledger lock held by the nightly revaluation job; "
                                          "check whether it hung.")
    incidents.reply(staff, elite_down, "We are on it: the nightly revaluation job seems to "
                                       "hold the ledger lock. Can we connect to check it?")
    remote_access.request_access(staff, elite_down,
                                 "Inspect the revaluation job and release the ledger lock.")
    incidents.reply(staff, premium_twice, "Please attach one duplicated order's EDI file.")
    incidents.change_status(staff, premium_twice, "waiting_for_customer")
    incidents.reply(staff, xtreme_typo, "Fixed in the next service pack; thank you.")
    incidents.change_status(staff, xtreme_typo, "resolved")
    article = _article_about(elite_queue)
    if article is not None:
        incident_articles.link_article(staff, elite_queue, article)
    del xtreme_close  # left new: it waits in the queue


def _article_about(incident: Incident) -> Article | None:
    """A published article on the incident's own product that its organisation may be shown
    (not one kept to an early-adopter programme it is not in)."""
    candidates = db.session.scalars(
        select(Article).join(article_products, article_products.c.article_id == Article.id)
        .where(article_products.c.product_id == incident.product_id,
               Article.type == "article", Article.status == "published")
        .order_by(Article.id))
    return next((article for article in candidates
                 if policy.programme_admits_organization(incident.organization, article)), None)
