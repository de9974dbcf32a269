"""What the e-mails of incidents say, as text and HTML (``MailBody``): who wrote a reply, the
reply as the portal shows it and the names of its files; what a status means for the reader
and what they may do next; what a remote access step asks of them. The link to the incident
follows each (``kb.alerts.dispatch``); files are downloaded there, after signing in."""

from __future__ import annotations

from sqlalchemy import select

from kb import db, policy
from kb.accounts.models import User
from kb.alerts.mail_body import MailBody, readable_text
from kb.support.models import Incident, IncidentAttachment, IncidentEntry

QUOTED_LINES = 6  # of the latest reply, in a "waiting for you" e-mail


def named(incident: Incident, staff_side: bool) -> str:
    reference = incident.staff_reference if staff_side else incident.reference
    return f"incident {reference}, “{incident.title}”"


def _name(user: User | None) -> str:
    return user.display_name if user is not None else "Someone"


def reply_body(incident: Incident, entry: IncidentEntry, staff_side: bool,
               status_changed: bool = False) -> MailBody:
    """The reply as the portal shows it, its files, and the status it left when it changed
    one (set by support with the reply, or by the portal on the customer's reply)."""
    did = "wrote on" if entry.body.strip() else "sent files on"
    body = MailBody().paragraph(f"{_name(entry.author)} {did} {named(incident, staff_side)}:")
    body.rendered(entry.body_html, quoted=True)
    body.items("Attached files (download them from the incident page, signed in):",
               _file_names(entry))
    if status_changed:
        body.paragraph(_status_after_reply(incident, entry, staff_side))
    return body


def _status_after_reply(incident: Incident, entry: IncidentEntry, staff_side: bool) -> str:
    if policy.acts_as_staff(entry.author):
        return _capitalised(CUSTOMER_STATUS_TEXTS[incident.status].format(
            incident=named(incident, False)))
    moved = {"reopened": "reopened it", "in_progress": "put it back in progress"}
    return f"The reply {moved.get(incident.status, 'changed its status')}: it is now " \
           f"“{incident.status_name}”."


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _file_names(entry: IncidentEntry) -> list[str]:
    return list(db.session.scalars(select(IncidentAttachment.name).where(
        IncidentAttachment.entry_id == entry.id).order_by(IncidentAttachment.id)))


def watching_body(incident: Incident, by: User | None) -> MailBody:
    return MailBody().paragraph(
        f"{_name(by)} added you as a watcher of {named(incident, False)}. You will hear of "
        "support's replies and status changes as they do, and may read and reply on the "
        "incident page.")


CUSTOMER_STATUS_TEXTS = {
    "resolved": ("Support marked {incident} as resolved. If your problem is not solved, reply "
                 "on the incident page: your reply reopens it. You may also reopen or close it "
                 "there."),
    "closed": ("Support closed {incident}. If you still need help with it, reopen it on the "
               "incident page, or log a new incident."),
    "waiting_for_customer": ("Support is waiting for your answer on {incident}: reply on the "
                             "incident page. Your reply puts it back in progress."),
    "in_progress": "Support is working on {incident}.",
    "reopened": "{incident} is open again.",
    "new": "{incident} is new again: support will take it up.",
}
SUPPORT_STATUS_TEXTS = {
    "closed": "{by} closed {incident}. Nothing more is needed unless they reopen it.",
    "reopened": "{by} reopened {incident}: the problem is not solved.",
}


def status_body(incident: Incident, by: User, staff_side: bool,
                entry: IncidentEntry | None = None) -> MailBody:
    texts = SUPPORT_STATUS_TEXTS if staff_side else CUSTOMER_STATUS_TEXTS
    text = texts.get(incident.status, "{by} set {incident} to “{status}”.")
    said = text.format(incident=named(incident, staff_side), by=_name(by),
                       status=incident.status_name)
    body = MailBody().paragraph(_capitalised(said))
    if entry is not None:  # the resolution (or reason) written with the change
        body.paragraph(f"{_name(entry.author)} wrote:").rendered(entry.body_html, quoted=True)
    if incident.status == "waiting_for_customer" and not staff_side and entry is None:
        _quote_latest_reply(body, incident)
    return body


def _quote_latest_reply(body: MailBody, incident: Incident) -> None:
    latest = db.session.scalar(select(IncidentEntry).where(
        IncidentEntry.incident_id == incident.id, IncidentEntry.kind == "reply")
        .order_by(IncidentEntry.created_at.desc(), IncidentEntry.id.desc()).limit(1))
    if latest is None:
        return
    lines = readable_text(latest.body_html).split("\n")
    shown = "\n".join(lines[:QUOTED_LINES]) + ("\n…" if len(lines) > QUOTED_LINES else "")
    body.paragraph(f"The latest reply, from {_name(latest.author)}:")
    body.quote(shown)


def remote_access_body(incident: Incident, event: str, staff_side: bool, by: User | None,
                       detail: str) -> MailBody:
    incident_named = named(incident, staff_side)
    if event == "requested":
        return (MailBody().paragraph(f"{_name(by)} of support asks for remote access to your "
                                     f"system, for {incident_named}. Their reason:")
                .quote(detail)
                .paragraph("Grant it for a time window you choose, or refuse it, on the "
                           "incident page. Support cannot connect until you grant it."))
    who = _name(by) if by is not None and not policy.acts_as_staff(by) else "The customer"
    texts = {
        "granted": f"{who} granted remote access for {incident_named}, from {detail}.",
        "refused": f"{who} refused remote access for {incident_named}. Ask again on the "
                   f"incident page if it is still needed, saying why.",
        "revoked": (f"Support gave back the remote access to your system for {incident_named}."
                    if not staff_side else
                    f"{who} revoked the remote access for {incident_named}: do not connect."),
    }
    return MailBody().paragraph(texts.get(event, detail))
