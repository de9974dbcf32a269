"""Staff at work: the queue (ordered by ``kb.support.priority``, refreshing itself), bulk
assignment, and the staff side of an incident page: assignment, linked articles, canned
replies from articles, remote access requests, the customer beside the incident."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.accounts.queries import get_user, staff_members
from kb.articles.views import item_url
from kb.db import utcnow
from kb.errors import Conflict, Invalid
from kb.forms import choices, optional_database_id
from kb.products.service import all_products
from kb.safe_redirect import safe_next_url
from kb.support import incident_articles, incidents, queries, remote_access
from kb.support.display import target_view
from kb.support.forms import AssignForm, LinkArticleForm, RemoteAccessRequestForm
from kb.support.models import Incident
from kb.support.queries import QueueFilters, about_to_breach
from kb.support.views import incident_page

blueprint = Blueprint("incident_staff", __name__, url_prefix="/staff/incidents")
REFRESH_SECONDS = 60


@blueprint.before_request
@login_required
def _staff_only():
    policy.require_staff(current_user)


def _id_arg(args: MultiDict, name: str) -> int | None:
    try:
        return optional_database_id(args.get(name, ""))
    except ValueError:
        return None


def _filters(args: MultiDict) -> QueueFilters:
    return QueueFilters(mine=args.get("mine") == "1", unassigned=args.get("unassigned") == "1",
                        breaching=args.get("breaching") == "1",
                        product_id=_id_arg(args, "product"),
                        organization_id=_id_arg(args, "organization"),
                        text=args.get("q", "")[:200])


def _queue_args() -> MultiDict:
    """The queue's filters as the address gives them; after a refused bulk assignment, those of
    the queue it was sent from (its ``back`` address), so that the list is the one in view."""
    if request.method != "POST":
        return request.args
    back = urlsplit(request.form.get("back", ""))
    if back.path != url_for("incident_staff.queue") or back.netloc or back.scheme:
        return MultiDict()
    return MultiDict(parse_qsl(back.query))


def _ticked() -> set[int]:
    """The incidents ticked in a refused bulk assignment, to show them ticked again."""
    ticked = set()
    for raw in request.form.getlist("incident"):
        try:
            ticked.add(optional_database_id(raw))
        except ValueError:
            continue
    return ticked


@blueprint.get("")
def queue():
    return _queue_page(_assign_form())


def _queue_page(assign_form: AssignForm, problem: str | None = None):
    """The queue; after a refused bulk assignment (``problem``), the whole queue again (422),
    the choice kept, and no self-refresh, which would send the form again."""
    now, args = utcnow(), _queue_args()
    filters = _filters(args)
    found = queries.queue(current_user, filters, now)
    return render_template(
        "support/queue.html", incidents=found, filters=filters, filter_args=args, now=now,
        ticked=_ticked() if problem else set(),
        target_view=target_view, about_to_breach=about_to_breach,
        products=all_products(), organizations=queries.organizations_with_incidents(),
        assign_form=assign_form, problem=problem, back=request.form.get("back"),
        refresh_seconds=None if problem else REFRESH_SECONDS), 422 if problem else 200


def _assign_form() -> AssignForm:
    form = AssignForm()
    form.assignee.choices = choices([("", "(nobody)")] + [
        (str(user.id), user.display_name) for user in staff_members()])
    return form


def _assignee(form: AssignForm):
    try:
        assignee_id = optional_database_id(form.assignee.data)
    except ValueError:
        raise Invalid("Choose a staff member.") from None
    return get_user(assignee_id) if assignee_id else None


@blueprint.post("/assign")
def bulk_assign():
    form = _assign_form()
    try:
        if not form.validate_on_submit():
            raise Invalid("Choose a staff member.")
        assignee = _assignee(form)
    except Invalid as refusal:
        form.assignee.errors = [refusal.message]
        return _queue_page(form, "The incidents are not assigned yet:")
    try:
        ids = [optional_database_id(raw) for raw in request.form.getlist("incident")]
    except ValueError:
        raise Invalid("Pick incidents from the queue.") from None
    chosen = [queries.get_incident(current_user, incident_id) for incident_id in ids
              if incident_id]
    if not chosen:
        return _queue_page(form, "Tick the incidents to assign first.")
    changed = incidents.assign(current_user, chosen, assignee)
    flash(f"{changed} incident(s) assigned.", "success")
    return redirect(_queue_address(request.form.get("back")))


def _queue_address(back: str | None) -> str:
    """``back``, the queue's address the form was sent from (its filters kept), when it is
    the queue's, else the queue's own: never another page, nor a line break that would end
    the Location header (a server error once the assignment is saved)."""
    queue_path = url_for("incident_staff.queue")
    target = safe_next_url(back)
    return target if target and urlsplit(target).path == queue_path else queue_path


@blueprint.post("/<int:incident_id>/assign")
def assign(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    form = _assign_form()
    try:
        if not form.validate_on_submit():
            raise Invalid("Choose a staff member.")
        assignee = _assignee(form)
    except Invalid as refusal:  # the page again, the reason beside the list
        form.assignee.errors = [refusal.message]
        return incident_page(incident, status=422, staff_forms={"assign_form": form})
    incidents.assign(current_user, [incident], assignee)
    flash(f"{incident.staff_reference} is assigned to {assignee.display_name}." if assignee
          else f"{incident.staff_reference} is assigned to nobody now.", "success")
    return redirect(url_for("incidents.show", incident_id=incident.id))


@blueprint.post("/<int:incident_id>/articles")
def link_article(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    form = LinkArticleForm()
    try:
        article_id = optional_database_id(form.article_id.data)
    except ValueError:
        article_id = None
    if not form.validate_on_submit() or article_id is None:  # the page again, the reason
        form.article_id.errors = ["Choose an article to link."]  # beside the list
        return incident_page(incident, status=422, staff_forms={"link_form": form})
    incident_articles.link_article(current_user, incident, queries.get_article(article_id))
    flash("The article is linked; the customer sees it on the incident.", "success")
    return redirect(url_for("incidents.show", incident_id=incident.id))


@blueprint.post("/<int:incident_id>/articles/<int:article_id>/unlink")
def unlink_article(incident_id: int, article_id: int):
    incident = queries.get_incident(current_user, incident_id)
    incident_articles.unlink_article(current_user, incident, queries.get_article(article_id))
    return redirect(url_for("incidents.show", incident_id=incident.id))


@blueprint.post("/<int:incident_id>/remote-access")
def request_remote_access(incident_id: int):
    incident = queries.get_incident(current_user, incident_id)
    form = RemoteAccessRequestForm()
    if not form.validate_on_submit():
        return incident_page(incident, status=422, staff_forms={"request_form": form})
    try:
        remote_access.request_access(current_user, incident, form.reason.data)
    except (Invalid, Conflict) as refusal:  # the reason as typed stays, the refusal beside it
        form.reason.errors = [*form.reason.errors, refusal.message]
        return incident_page(incident, status=refusal.status,
                             staff_forms={"request_form": form})
    flash("The customer is asked to grant remote access.", "success")
    return redirect(url_for("incidents.show", incident_id=incident.id) + "#remote-access")


def staff_panels(incident: Incident, request_form: RemoteAccessRequestForm | None = None,
                 assign_form: AssignForm | None = None,
                 link_form: LinkArticleForm | None = None) -> dict:
    """What the incident page shows staff besides the thread (a form given: refused, as
    sent)."""
    if assign_form is None:
        assign_form = _assign_form()
        assign_form.assignee.data = str(incident.assignee_id or "")
    articles = queries.articles_for_replies(current_user, incident)
    link_form = link_form or LinkArticleForm()
    pairs = [("", "Choose an article")] + [(str(article.id), article.title)
                                           for article in articles]
    link_form.article_id.choices = choices(pairs)
    return {"assign_form": assign_form, "link_form": link_form,
            "canned_choices": pairs, "canned": _canned_article(articles),
            "canned_texts": {str(article.id): canned_text(article) for article in articles},
            "request_form": request_form or RemoteAccessRequestForm(formdata=None),
            "organization": incident.organization,
            "other_open": queries.open_incidents_of(incident.organization, incident),
            "may_connect": remote_access.may_connect(incident, utcnow())}


def _canned_article(articles):
    try:
        wanted = optional_database_id(request.args.get("canned", ""))
    except ValueError:
        return None
    return next((article for article in articles if article.id == wanted), None)


def canned_text(article) -> str:
    summary = article.summary.strip() or f"This article covers it: {article.title}."
    return (f"{summary}\n\nSee [{article.title}]({item_url(article)}) for the steps.\n\n"
            "Does this solve the problem? If not, reply here and we continue.")
