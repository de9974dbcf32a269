"""Topic request pages: the list, asking for a topic (with suggestions while typing), one
request with its votes."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from kb import policy
from kb.errors import Invalid
from kb.forms import choices, optional_database_id
from kb.products.known import products_to_name
from kb.sessions.live import queries as live_queries
from kb.sessions.models import TopicRequest
from kb.sessions.recordings import queries as recording_queries
from kb.sessions.topics import queries as topic_queries
from kb.sessions.topics import service as topics
from kb.sessions.topics.forms import MergeForm, TopicForm, TopicStatusForm

blueprint = Blueprint("topics", __name__, url_prefix="/sessions/topics")


@blueprint.get("")
def index():
    items = topic_queries.list_topics(current_user)
    return render_template("sessions/topics.html", topics=items,
                           votes={t.id: topic_queries.vote_count(t) for t in items})


@blueprint.route("/new", methods=["GET", "POST"])
def new():
    policy.require(current_user, TopicRequest.access_feature)
    form = TopicForm(title=request.args.get("title", ""),
                     products_named=products_to_name(current_user))
    if form.validate_on_submit():
        try:
            topic = topics.request_topic(current_user, form.title.data,
                                         form.details.data or "", form.product.data or "")
        except topics.AlreadyRequested as refusal:  # what was typed stays, beside the request
            return _already_requested_page(form, refusal.topic), refusal.status
        flash("Your request is in. Others can now vote for it.", "success")
        return redirect(url_for("topics.show", topic_id=topic.id))
    return render_template("sessions/topic_form.html", form=form), 422 if form.errors else 200


def _already_requested_page(form: TopicForm, existing: TopicRequest) -> str:
    return render_template("sessions/topic_form.html", form=form, existing=existing,
                           existing_votes=topic_queries.vote_count(existing),
                           voted=topic_queries.has_voted(current_user, existing))


@blueprint.get("/suggest")
def suggest():
    return jsonify(topic_queries.suggest_related(current_user, request.args.get("q", "")[:200]))


@blueprint.get("/<int:topic_id>")
def show(topic_id: int):
    return _topic_page(topic_queries.get_topic(current_user, topic_id))


def _topic_page(topic, status_form: TopicStatusForm | None = None,
                merge_form: MergeForm | None = None) -> str:
    staff = policy.acts_as_staff(current_user)
    return render_template(
        "sessions/topic.html", topic=topic, details=topic.details_html,
        merged=topic_queries.merged_requests(topic),
        votes=topic_queries.vote_count(topic), voted=topic_queries.has_voted(current_user, topic),
        recording=topic_queries.recording_of(current_user, topic),
        status_form=(status_form or _status_form()) if staff else None,
        merge_form=(merge_form or _merge_form(topic)) if staff else None)


@blueprint.post("/<int:topic_id>/vote/withdraw")
def withdraw_vote(topic_id: int):
    topics.withdraw_vote(current_user, topic_queries.get_topic(current_user, topic_id))
    flash("Your vote is withdrawn; you will no longer hear about this request.", "success")
    return redirect(url_for("topics.show", topic_id=topic_id))


@blueprint.post("/<int:topic_id>/vote")
def vote(topic_id: int):
    topics.upvote(current_user, topic_queries.get_topic(current_user, topic_id))
    flash("Your vote counts.", "success")
    return redirect(url_for("topics.show", topic_id=topic_id))


def _status_form() -> TopicStatusForm:
    form = TopicStatusForm()
    sessions = (live_queries.sessions_for(current_user)
                + live_queries.sessions_for(current_user, past=True))
    form.live_session_id.choices = choices([("", "—")] + [
        (str(s.id), f"{s.title} ({s.starts_at:%Y-%m-%d})") for s in sessions
        if not s.is_cancelled])
    form.recording_id.choices = choices([("", "—")] + [
        (str(r.id), r.title) for r in recording_queries.list_recordings(current_user)])
    return form


def _merge_form(topic) -> MergeForm:
    form = MergeForm()
    form.target_id.choices = choices(
        (str(t.id), t.title) for t in topic_queries.list_topics(current_user, include_closed=False)
        if t.id != topic.id)
    return form


@blueprint.post("/<int:topic_id>/status")
def change_status(topic_id: int):
    policy.require_staff(current_user)
    topic = topic_queries.get_topic(current_user, topic_id)
    form = _status_form()
    if not form.validate_on_submit():  # the page again, what staff chose, each reason beside
        return _topic_page(topic, form), 422
    try:
        topics.change_status(
            current_user, topic, form.status.data, reason=form.reason.data or "",
            live_session=_picked(live_queries.get_session, form.live_session_id.data),
            recording=_picked(recording_queries.get_recording, form.recording_id.data))
    except Invalid as refusal:  # the page again, with what staff chose and why it failed
        form.status.errors = [*form.status.errors, refusal.message]
        return _topic_page(topic, form), refusal.status
    flash(f"The request is now {topic.status}; its requester and voters were told.", "success")
    return redirect(url_for("topics.show", topic_id=topic.id))


def _picked(getter, raw_id: str | None):
    try:
        picked = optional_database_id(raw_id)
    except ValueError:
        raise Invalid("Choose an item from the list.") from None
    return getter(current_user, picked) if picked else None


@blueprint.post("/<int:topic_id>/merge")
def merge(topic_id: int):
    policy.require_staff(current_user)
    duplicate = topic_queries.get_topic(current_user, topic_id)
    form = _merge_form(duplicate)
    if not form.validate_on_submit():  # the page again, the reason beside the list
        return _topic_page(duplicate, merge_form=form), 422
    target = topic_queries.get_topic(current_user, int(form.target_id.data))
    topics.merge(current_user, duplicate, target)
    flash(f"Merged into “{target.title}”; votes carried over.", "success")
    return redirect(url_for("topics.show", topic_id=target.id))
