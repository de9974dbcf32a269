"""Changing an incident's severity or product after it is logged, always with a reason. Staff
change either on any incident; the customer raises or lowers the severity of their own open
incident (severity 1 as their plan allows, ``kb.policy.require_incident``). The change is a
public line of the thread, an audit record and a notice to the other side; raising an incident
to severity 1 is told to every staff member, as logging one is. The response target follows
(``kb.support.response_clocks.retarget``)."""

from __future__ import annotations

from kb import db, policy
from kb.accounts.audit import record_audit
from kb.db import utcnow
from kb.errors import Conflict, Invalid, NotFound
from kb.products.models import Product
from kb.products.names import slugify
from kb.support import incidents, notices, response_clocks, service
from kb.support.models import SEVERITIES, SEVERITY_DEFINITIONS, Incident

MAX_REASON = 2000


def reclassify(user, incident: Incident, severity: int, product_name: str | None,
               reason: str) -> Incident:
    """Set the severity (and, staff only, the product: ``product_name`` None keeps it)."""
    if severity not in SEVERITIES:
        raise Invalid("Severity must be 1, 2, 3 or 4.", "severity")
    policy.require_incident(user, incident, severity=severity)
    product = incident.product
    if product_name and not _names(product, product_name):
        policy.require_staff(user)  # first: a customer learns nothing of the name they sent
        product = _product(product_name)
    if not incident.is_open and not policy.acts_as_staff(user):
        raise Conflict("This incident is finished: reopen it to change its severity.")
    reason = _checked_reason(reason)
    changes = _changes(incident, severity, product)
    if not changes:
        raise Invalid("Choose another severity or product than the incident has.", "severity")
    _apply(user, incident, severity, product, f"{'; '.join(changes)}. Reason: {reason}")
    return incident


def _product(name: str) -> Product:
    try:
        return service.find_product(name)
    except NotFound:
        raise Invalid(f"There is no product called {name.strip()!r}.", "product") from None


def _names(product: Product, name: str) -> bool:
    """Whether ``name`` is ``product``'s name (any case) or slug."""
    return name.strip().lower() == product.name.lower() or slugify(name) == product.slug


def _checked_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise Invalid("Say why the incident changes.", "reason")
    if len(reason) > MAX_REASON:
        raise Invalid(f"Say why in at most {MAX_REASON:,} characters.", "reason")
    return reason


def severity_text(severity: int) -> str:
    return f"{severity} {SEVERITY_DEFINITIONS[severity][0]}"


def _changes(incident: Incident, severity: int, product: Product) -> list[str]:
    changes = []
    if severity != incident.severity:
        changes.append(f"Severity: {severity_text(incident.severity)} → "
                       f"{severity_text(severity)}")
    if product.id != incident.product_id:
        changes.append(f"Product: {incident.product.name} → {product.name}")
    return changes


def _fields(incident: Incident) -> dict:
    due = incident.response_due
    return {"severity": incident.severity, "product": incident.product.name,
            "response_due": due and due.isoformat()}


def _apply(user, incident: Incident, severity: int, product: Product, text: str) -> None:
    before, raised_to_critical = _fields(incident), severity == 1 != incident.severity
    incident.severity, incident.product = severity, product
    db.session.flush()
    response_clocks.retarget(incident, utcnow())
    incidents.add_event(user, incident, text)
    record_audit(user, "incident.reclassify", "incident", incident.id, before,
                 {**_fields(incident), "reason": text.rpartition("Reason: ")[2]})
    notices.reclassified(incident, user, text, raised_to_critical)
    db.session.commit()
