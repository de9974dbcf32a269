"""The support activity review as a page, a CSV and a PDF: /elite/review for the Elite
organisation's own users, /staff/elite/organizations/<id>/review for staff."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required

from kb import policy
from kb.elite import activity_review, csm
from kb.elite.review_export import outcomes_text, to_csv, to_pdf
from kb.elite.views import to_the_staff_side
from kb.products.names import slugify

blueprint = Blueprint("elite_review", __name__)


@blueprint.get("/elite/review")
@blueprint.get("/staff/elite/organizations/<int:organization_id>/review")
@login_required
def page(organization_id: int | None = None):
    if organization_id is None and policy.acts_as_staff(current_user):
        return to_the_staff_side()  # each organisation's review is linked from its page
    review = _review(organization_id)
    return render_template("elite/review.html", review=review, outcomes_text=outcomes_text,
                           manager=csm.csm_of(review.organization),
                           organization_id=organization_id)


@blueprint.get("/elite/review.csv")
@blueprint.get("/staff/elite/organizations/<int:organization_id>/review.csv")
@login_required
def as_csv(organization_id: int | None = None):
    review = _review(organization_id)
    return _download(to_csv(review).encode("utf-8-sig"), "text/csv; charset=utf-8",
                     _filename(review, "csv"))


@blueprint.get("/elite/review.pdf")
@blueprint.get("/staff/elite/organizations/<int:organization_id>/review.pdf")
@login_required
def as_pdf(organization_id: int | None = None):
    review = _review(organization_id)
    return _download(to_pdf(review), "application/pdf", _filename(review, "pdf"))


def _review(organization_id: int | None) -> activity_review.ActivityReview:
    organization = activity_review.organization_for(current_user, organization_id)
    start, end = activity_review.period(request.args.get("start"), request.args.get("end"))
    return activity_review.review(current_user, organization, start, end)


def _filename(review: activity_review.ActivityReview, extension: str) -> str:
    return (f"activity-review-{slugify(review.organization.name)}-"
            f"{review.start.isoformat()}-{review.end.isoformat()}.{extension}")


def _download(body: bytes, content_type: str, filename: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
