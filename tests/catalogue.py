"""What the filter tests write, as ``staff`` inside an app context: an Orbit ERP 12.0 item of
every list, and products and versions that only drafts name (Orbit Nova, Orbit ERP 13.0)."""

from __future__ import annotations

import io
from datetime import date

from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.patches import service as patches
from kb.sessions.recordings import service as recordings
from kb.storage import file_store
from tests.videos import webm_like

RELEASED = date(2030, 1, 15)


def write_catalogue(staff) -> None:
    """One article (how-to, tagged Year-End), release note, patch and recording (topic
    Finance) of Orbit ERP 12.0."""
    articles.create_article(staff, ArticleFields(
        title="Closing the year", body="Body", kind="how-to", products=["Orbit ERP"],
        versions=["12.0"], tags=["Year-End"]))
    articles.create_article(staff, ArticleFields(
        title="ERP 12.0", body="Body", type="release-note", product="Orbit ERP",
        version="12.0", released_on=RELEASED))
    staged = file_store().stage(filename="fix.zip")
    staged.write(b"patch bytes")
    patches.publish_patch(None, patches.PatchDetails(
        product="Orbit ERP", title="Ledger fix", versions=["12.0"]),
        [patches.Upload("fix.zip", staged)])
    recordings.publish_recording(staff, recordings.RecordingFields(
        title="Year-end walkthrough", recorded_on=RELEASED, product="Orbit ERP",
        topic="Finance"), recordings.Upload("a.webm", io.BytesIO(webm_like(bytes(256)))), None)


def write_hidden_drafts(staff) -> None:
    """Orbit Nova, and Orbit ERP 13.0, named only by drafts."""
    articles.create_article(staff, ArticleFields(
        title="Nova ledger", body="The ledger.", status="draft", products=["Orbit Nova"]))
    articles.create_article(staff, ArticleFields(
        title="ERP 13 ledger", body="The ledger.", status="draft", products=["Orbit ERP"],
        versions=["13.0"]))


def write_drafts(staff) -> None:
    """Orbit ERP 12.0 in a published article; Orbit Nova, and Orbit ERP 13.0, only in drafts."""
    articles.create_article(staff, ArticleFields(
        title="Ledger basics", body="The ledger.", products=["Orbit ERP"], versions=["12.0"]))
    write_hidden_drafts(staff)
