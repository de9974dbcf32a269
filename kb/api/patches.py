"""/api/v1/patches: list, one patch with its files, and publishing (staff)."""

from __future__ import annotations

from datetime import date

from flask import current_app, request, url_for
from flask_login import current_user

from kb import gating, policy
from kb.api import blueprint
from kb.api.multipart import PATCH_FORM
from kb.api.openapi import LIST_RESPONSES, PAGE, PRODUCT, documented, query_parameter
from kb.api.responses import created, respond
from kb.api.responses.patches import Patch as PatchAnswer
from kb.api.responses.patches import PatchPage
from kb.errors import Invalid
from kb.links import absolute_url
from kb.paging import page_number, page_size
from kb.patches import list_filters, queries, service, uploads
from kb.patches.details import PatchDetails, details_from_text
from kb.patches.models import Patch
from kb.patches.withdrawn import withdrawal_json

MAX_PER_PAGE = 100


def file_json(patch_file) -> dict:
    return {
        "id": patch_file.id,
        "name": patch_file.name,
        "size": patch_file.size,
        "sha256": patch_file.sha256,
        "content_type": patch_file.content_type,
        "url": absolute_url(url_for("patches.download", patch_id=patch_file.patch_id,
                                    file_id=patch_file.id, name=patch_file.name)),
    }


def patch_json(patch: Patch) -> dict:
    named = queries.neighbours(current_user, patch)
    return {
        "id": patch.id,
        "kind": patch.kind,
        "title": patch.title,
        "summary": patch.summary,
        "product": patch.product.name,
        "versions": [version.name for version in patch.versions],
        "version_range": ({"from": patch.range_from, "to": patch.range_to}
                          if patch.range_from or patch.range_to else None),
        "applies_to": patch.applies_to_text,
        "released": patch.released_on,
        "min_plan": patch.min_plan,
        "status": patch.status,
        "fixed_issues": [{"id": issue.identifier, "text": issue.text}
                         for issue in patch.fixed_issues],
        "supersedes": [older.id for older in named.supersedes],
        "superseded_by": [newer.id for newer in named.superseded_by],
        "release_notes": [note.slug for note in named.release_notes],
        "page_url": absolute_url(url_for("patches.show", patch_id=patch.id)),
        "checksums_url": absolute_url(url_for("patches.checksums", patch_id=patch.id)),
        # a withdrawn patch's files too, so that a script can match what it downloaded to the
        # withdrawal; their urls answer 410 with the reason (and a replacement it may download)
        "files": [file_json(patch_file) for patch_file in patch.files],
        "withdrawn": (withdrawal_json(patch, gating.offered(current_user, patch.replacement))
                      if patch.is_retired else None),
    }


@blueprint.get("/patches")
@documented("Patches you may download, newest first", parameters=[
    PRODUCT,
    query_parameter("version", description="only patches that apply to this version (e.g. "
                    "12.0 or product@version); one no product has is refused (422)"),
    query_parameter("kind", description="patch, service-pack, regulatory or release; another "
                    "is refused (422)"),
    query_parameter("mine", description="1: only patches for your organisation's products"),
    query_parameter("withdrawn", description="1: the withdrawn patches your plan read too, "
                    "as the patches page lists them on request (\"withdrawn\" says when, why "
                    "and what instead)"),
    PAGE, query_parameter("per_page", "integer"),
], responses=LIST_RESPONSES, response_model=PatchPage)
def list_patches():
    per_page = page_size(request.args, current_app.config["PAGE_SIZE"], MAX_PER_PAGE)
    arguments = request.args
    result = queries.find_patches(
        current_user, **list_filters.checked(current_user, arguments),
        for_my_organization=arguments.get("mine") == "1",
        with_withdrawn=arguments.get("withdrawn") == "1",
        page=page_number(request.args), per_page=per_page)
    return respond(PatchPage, {"total": result.total, "page": result.page, "per_page": per_page,
                               "patches": [patch_json(patch) for patch in result.patches]})


@blueprint.get("/patches/<int:patch_id>")
@documented("One patch with its files (name, size, sha256, url); 403 names the required plan. "
            "A withdrawn patch lists its files still (their urls answer 410 with the reason "
            "and the replacement, if any, that the caller may download)",
            responses={"200": "OK", "404": "No such patch"}, response_model=PatchAnswer)
def get_patch(patch_id: int):
    return respond(PatchAnswer, patch_json(service.get_patch(current_user, patch_id)))


@blueprint.post("/patches")
@documented("Publish a patch (staff): multipart form with product, version (repeatable, or a "
            "range 11.0..12.0), title, kind, summary, description, min_plan, released, "
            "fixed_issues, supersedes, release_notes, publish=false for a draft, and files",
            responses={"201": "Created", "413": "A file is over the size limit",
                       "422": "Invalid metadata or files"},
            form_body=PATCH_FORM, response_model=PatchAnswer)
def create_patch():
    policy.require_staff(current_user)
    received = uploads.receive_patch_upload()
    try:
        patch = service.publish_patch(current_user, _details(received.form), received.uploads,
                                      publish=received.form.get("publish", "true") != "false")
    finally:
        received.discard()
    return created(PatchAnswer, patch_json(patch), url_for("api.get_patch", patch_id=patch.id))


def _details(form) -> PatchDetails:
    try:
        released = date.fromisoformat(form["released"]) if form.get("released") else None
    except ValueError as error:
        raise Invalid(f"Bad value: {error}") from None
    return details_from_text(form, form.getlist("version"), released)
