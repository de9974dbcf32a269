"""Who may move an incident to which status. Customers close theirs or reopen it; staff set
any status, but finish (resolve or close) an incident support has not answered since its
latest response clock started only with a resolution message: a public reply the customer
receives, which is then the response (met or missed by its time, ``kb.support.response_clocks``).
Finishing it silently would hide a missed response target."""

from __future__ import annotations

from kb import policy
from kb.errors import Conflict, Invalid
from kb.support.models import INCIDENT_STATUSES, OPEN_STATUSES, STATUS_NAMES, Incident
from kb.support.response_clocks import FINISHED, awaits_response

# what a customer may set: close an incident, or reopen a resolved or closed one
CUSTOMER_STATUSES = {"closed": (*OPEN_STATUSES, "resolved"), "reopened": ("resolved", "closed")}
RESOLUTION_NEEDED = ("Support has not answered this incident yet: write the resolution to the "
                     "customer. It is sent to them and is the response to their incident.")


def check_change(user, incident: Incident, status: str, message: str) -> None:
    """Refuse a status the user may not set (``Invalid`` with field "message" when a
    resolution message is missing)."""
    if status not in INCIDENT_STATUSES:
        raise Invalid(f"Status must be one of {', '.join(INCIDENT_STATUSES)}.")
    if not policy.acts_as_staff(user):
        if incident.status not in CUSTOMER_STATUSES.get(status, ()):
            raise Conflict(f"You cannot set an incident that is {incident.status_name.lower()} "
                           f"to {STATUS_NAMES[status].lower()}.")
    elif (status in FINISHED and incident.is_open and not message.strip()
          and awaits_response(incident)):
        raise Invalid(RESOLUTION_NEEDED, "message")
