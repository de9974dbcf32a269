"""If-Modified-Since on patch files (``curl -z``, ``wget -N``): 304 while the file is not newer
than the client's date, If-None-Match deciding whenever it is sent (RFC 9110, 13.2.2); on
the local and the S3 store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from werkzeug.http import http_date

from kb import db
from kb.db import utcnow
from kb.patches.models import PatchFile
from tests.patches.download_helpers import SIZE, downloads
from tests.stores import both_stores

pytestmark = both_stores

MADE = utcnow().replace(microsecond=0) - timedelta(days=3)


@pytest.fixture
def dated_file(app, elite_file):
    """The Elite file, published three days ago (so dates between then and now exist)."""
    with app.app_context():
        db.session.get(PatchFile, elite_file["id"]).created_at = MADE
        db.session.commit()
    return elite_file


def get(client, url, **headers):
    return client.get(url, headers=headers, buffered=True)


def test_last_modified_is_the_publication_moment(client, dated_file):
    assert get(client, dated_file["url"]).headers["Last-Modified"] == http_date(MADE)


@pytest.mark.parametrize("after", [timedelta(0), timedelta(days=1)], ids=["same", "later"])
def test_not_modified_since_a_date_at_or_after_it_is_304(app, client, dated_file, after):
    since = http_date(MADE + after)
    response = get(client, dated_file["url"], **{"If-Modified-Since": since})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == f'"{dated_file["sha256"]}"'
    assert "private" in response.headers["Cache-Control"]
    head = client.head(dated_file["url"], headers={"If-Modified-Since": since})
    assert head.status_code == 304
    assert downloads(app) == []  # nothing was sent, nothing is recorded


SINCE = {
    "older": lambda: http_date(MADE - timedelta(seconds=1)),  # the client's copy is older
    "future": lambda: http_date(utcnow() + timedelta(days=1)),  # no valid date
    "unparseable": lambda: "yesterday",  # nor is this
}


@pytest.mark.parametrize("since", SINCE)
def test_an_older_or_invalid_date_gets_the_file(client, dated_file, since):
    response = get(client, dated_file["url"], **{"If-Modified-Since": SINCE[since]()})
    assert response.status_code == 200 and len(response.data) == SIZE


def test_if_none_match_takes_precedence_over_if_modified_since(client, dated_file):
    etag = f'"{dated_file["sha256"]}"'
    other = get(client, dated_file["url"], **{
        "If-None-Match": '"another-file"', "If-Modified-Since": http_date(MADE)})
    assert other.status_code == 200 and len(other.data) == SIZE
    same = get(client, dated_file["url"], **{
        "If-None-Match": etag, "If-Modified-Since": http_date(MADE - timedelta(days=1))})
    assert same.status_code == 304


def test_a_range_of_a_file_not_modified_is_304_too(client, dated_file):
    response = get(client, dated_file["url"], **{
        "If-Modified-Since": http_date(MADE), "Range": "bytes=0-9"})
    assert response.status_code == 304
