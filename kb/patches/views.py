"""Patch pages: browse, one patch, downloads, SHA256SUMS, publishing and download counts."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from kb import filter_pages, policy
from kb.accounts.auth import authenticated_by_token, file_login_required
from kb.errors import Conflict, Invalid
from kb.filter_values import UnknownFilter
from kb.links import base_url
from kb.paging import page_number
from kb.patches import changes, delivery, list_filters, queries, service, uploads
from kb.patches.file_names import FIELD as FILES_FIELD
from kb.patches.forms import PatchEditForm, PatchForm, WithdrawForm, edit_form_data
from kb.patches.models import KIND_NAMES
from kb.patches.withdrawn import PatchWithdrawn, replacement_for
from kb.products.known import versions_to_name
from kb.storage.conditional import gated_headers
from kb.storage.names import requested_name
from kb.web import csrf, json_error

blueprint = Blueprint("patches", __name__)


@blueprint.get("/patches/")
@login_required
def index():
    """The patches, or (422) the page saying which filter value no patch can have, its
    filters still shown."""
    try:
        filters, refused = list_filters.checked(current_user, request.args), None
    except UnknownFilter as problem:
        filters, refused = filter_pages.as_read(
            lambda kept: list_filters.checked(current_user, kept), request.args,
            problem.field), problem
    mine = request.args.get("mine") == "1"
    withdrawn = request.args.get("withdrawn") == "1"
    per_page = current_app.config["PAGE_SIZE"]
    result = queries.PatchPage([], 0, 1, per_page) if refused else queries.find_patches(
        current_user, **filters, for_my_organization=mine, readable_only=False,
        with_withdrawn=withdrawn, page=page_number(request.args), per_page=per_page)
    return render_template(
        "patches/index.html", result=result, filters=filters, mine=mine, withdrawn=withdrawn,
        kinds=KIND_NAMES,
        successors={patch.id: queries.successors(current_user, patch) for patch in result.patches},
        products=_with_versions(queries.products_with_patches(current_user)),
        **(filter_pages.refusal(refused) if refused else {}),
    ), filter_pages.STATUS if refused else 200


def _with_versions(products) -> list:
    """(product, the versions the reader may be offered) for the version filter."""
    named = versions_to_name(current_user, products)
    return [(product, named[product.id]) for product in products]


@blueprint.get("/patches/<int:patch_id>")
@login_required
def show(patch_id: int):
    patch = service.get_patch(current_user, patch_id)
    return render_template(
        "patches/show.html", patch=patch, sections=service.rendered_sections(patch),
        neighbours=queries.neighbours(current_user, patch),
        replacement=replacement_for(current_user, patch), base_url=base_url())


@blueprint.route("/patches/<int:patch_id>/files/<int:file_id>/<name>", methods=["GET", "HEAD"])
@file_login_required
def download(patch_id: int, file_id: int, name: str):
    try:
        patch_file = service.file_for_download(current_user, patch_id, file_id,
                                               requested_name(name))
    except PatchWithdrawn as withdrawn:
        return _gone(withdrawn)
    return delivery.send_patch_file(current_user, patch_file)


@blueprint.get("/patches/<int:patch_id>/SHA256SUMS")
@file_login_required
def checksums(patch_id: int):
    patch = service.get_patch(current_user, patch_id)
    try:
        text = service.checksums_text(current_user, patch)
    except PatchWithdrawn as withdrawn:
        return _gone(withdrawn)
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": "attachment; filename=SHA256SUMS", **gated_headers()})


def _gone(withdrawn: PatchWithdrawn):
    """410: JSON for scripts (a token, or asking for JSON), a page that explains otherwise."""
    if authenticated_by_token() or request.accept_mimetypes.best == "application/json":
        return json_error(withdrawn.message, withdrawn.status, **withdrawn.json_fields())
    return render_template("patches/gone.html", patch=withdrawn.patch,
                           replacement=withdrawn.replacement), withdrawn.status


@blueprint.route("/patches/new", methods=["GET", "POST"])
@csrf.exempt  # the multipart body is parsed by our streaming parser; PatchForm checks CSRF
@login_required
def new():
    policy.require_staff(current_user)
    if request.method == "GET":
        return _new_page(PatchForm(), None)
    received = uploads.receive_patch_upload()
    try:
        form = PatchForm(formdata=received.form)
        problem = files_error = None
        if form.validate():
            try:
                patch = service.publish_patch(current_user, form.details(), received.uploads,
                                              publish=form.publish.data)
            except Invalid as refusal:
                problem, files_error = _refusal_shown(refusal)
            else:
                flash(f"{patch.title} is {patch.status}.", "success")
                return redirect(url_for("patches.show", patch_id=patch.id))
    finally:
        received.discard()
    return _new_page(form, problem, files_error), 422


def _refusal_shown(refusal: Invalid) -> tuple[str, str | None]:
    """The summary's text, and the refusal beside the file input when it is about the files."""
    if refusal.field == FILES_FIELD:
        return "The patch is not published yet: see Files below.", refusal.message
    return refusal.message, None


def _new_page(form: PatchForm, problem: str | None, files_error: str | None = None):
    return render_template("patches/new.html", form=form, problem=problem,
                           files_error=files_error,
                           picklists=queries.staff_picklists(current_user))


@blueprint.post("/patches/<int:patch_id>/publish")
@login_required
def publish(patch_id: int):
    patch = service.publish_draft(current_user, patch_id)
    flash(f"{patch.title} is published.", "success")
    return redirect(url_for("patches.show", patch_id=patch.id))


@blueprint.route("/patches/<int:patch_id>/edit", methods=["GET", "POST"])
@login_required
def edit(patch_id: int):
    policy.require_staff(current_user)
    patch = service.get_patch(current_user, patch_id)
    if request.method == "GET":
        return _edit_page(patch, PatchEditForm(data=edit_form_data(patch)), None)
    form, problem = PatchEditForm(), None
    form.edited = patch
    if form.validate():
        try:
            patch = changes.edit_patch(current_user, patch_id, form.details())
        except Invalid as refusal:
            problem = refusal.message
        else:
            flash(f"Your changes to {patch.title} are saved.", "success")
            return redirect(url_for("patches.show", patch_id=patch.id))
    return _edit_page(patch, form, problem), 422


def _edit_page(patch, form: PatchEditForm, problem: str | None):
    return render_template("patches/edit.html", patch=patch, form=form, problem=problem,
                           picklists=queries.staff_picklists(current_user, patch))


@blueprint.route("/patches/<int:patch_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(patch_id: int):
    policy.require_staff(current_user)
    patch = service.get_patch(current_user, patch_id)
    form, problem, status = WithdrawForm(), None, 200
    form.offer(changes.replacement_candidates(current_user, patch))
    if request.method == "POST":
        try:
            warning = None if not form.validate() or form.fewer_reached.data else \
                changes.replacement_warning(current_user, patch, form.replacement_id)
            if warning is not None:
                form.fewer_reached.errors = [warning]
            elif not form.errors:
                patch, told = changes.withdraw_patch(current_user, patch_id, form.reason.data,
                                                     form.replacement_id)
                flash(_withdrawn_message(patch, told), "success")
                return redirect(url_for("patches.show", patch_id=patch.id))
            status = 422
        except (Invalid, Conflict) as refusal:
            problem, status = refusal.message, refusal.status
    return render_template("patches/withdraw.html", patch=patch, form=form,
                           problem=problem), status


def _withdrawn_message(patch, told: int) -> str:
    if not told:
        return (f"{patch.title} is withdrawn. Nobody who may still read it had downloaded it, "
                "so nobody was told.")
    who = "the 1 person who downloaded it was" if told == 1 else \
        f"the {told} people who downloaded it were"
    what = "why and what to install instead" if patch.replacement_id else "why"
    return f"{patch.title} is withdrawn; {who} told {what}."


@blueprint.get("/staff/patch-downloads")
@login_required
def download_counts():
    return render_template("patches/downloads.html",
                           counts=queries.download_counts(current_user))
