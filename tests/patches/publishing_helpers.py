"""What the patch publishing tests share: counting patches, the publishing form's fields and
posting it, a lower request limit, the patches search finds."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from kb import db
from kb.patches.models import Patch
from tests.conftest import csrf_token


def patch_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Patch.id)))


def form_fields(**overrides) -> dict:
    return {"product": "Orbit ERP", "versions": "12.0", "title": "Browser patch",
            "kind": "patch", "min_plan": "xtreme", "publish": "y", **overrides}


def _post_form(client, **fields):
    return client.post("/patches/new", content_type="multipart/form-data", data={
        **form_fields(**fields), "csrf_token": csrf_token(client, "/patches/new"),
        "files": [(io.BytesIO(b"fix"), "fix.zip")]})


def _limit_requests_to(app, size: int) -> None:
    """What ``KB_MAX_UPLOAD_BYTES`` sets when the application is created."""
    app.config.update(MAX_UPLOAD_BYTES=size, MAX_CONTENT_LENGTH=size)


def patch_titles_found(client, words: str) -> set[str]:
    """The titles of the patches the search API finds for ``words`` as typed (no corrected
    search), as ``client`` asks."""
    response = client.get("/api/v1/search", query_string={"q": words, "type": "patch",
                                                          "as_typed": "1"})
    assert response.status_code == 200, response.json
    return {result["title"] for result in response.json["results"]}
