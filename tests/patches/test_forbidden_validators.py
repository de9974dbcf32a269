"""A reader who may not have a file learns nothing of it from a conditional or HEAD request:
an If-None-Match or If-Modified-Since that matches the file never turns a refusal into 304,
and the refusal carries none of the file's validators (ETag, Last-Modified, checksum, size)."""

from __future__ import annotations

import pytest

from tests.conftest import bearer
from tests.patches.conftest import payload

VALIDATORS = ("ETag", "Last-Modified", "X-Checksum-SHA256", "Content-Range",
              "Content-Disposition")


@pytest.fixture
def gated(publish, patch_file, client, api_token):
    """An Elite-only patch's file and a draft's, with their validators as Elite and staff
    got them."""
    elite = publish(files={"erp-fix.zip": payload(5000)}, title="Elite fix", min_plan="elite")
    draft = publish(files={"next.zip": payload(5000)}, title="Next fix", publish=False)
    files = {}
    for patch_id, reader in ((elite, "elite@demo.test"), (draft, "staff@demo.test")):
        url = patch_file(patch_id)[0]
        got = client.get(url, headers=bearer(api_token(reader)), buffered=True)
        assert got.status_code == 200
        files[patch_id] = (url, got.headers["ETag"], got.headers["Last-Modified"])
    return files


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("conditional", ["If-None-Match", "If-Modified-Since", None])
def test_a_refused_reader_gets_no_304_and_no_validator(client, api_token, gated, method,
                                                       conditional):
    headers = bearer(api_token("xtreme@demo.test"))
    for url, etag, modified in gated.values():
        sent = {**headers, **({conditional: etag if conditional == "If-None-Match"
                               else modified} if conditional else {}), "Range": "bytes=0-9"}
        answer = client.open(url, method=method, headers=sent, buffered=True)
        assert answer.status_code in (403, 404), (url, answer.status_code)
        assert not [name for name in VALIDATORS if name in answer.headers], answer.headers
        assert int(answer.headers.get("Content-Length", 0)) < 1000


def test_a_draft_file_answers_as_a_missing_one(client, api_token, gated):
    headers = bearer(api_token("elite@demo.test"))
    (draft_url, _, _) = list(gated.values())[1]
    patch_id, file_id = draft_url.split("/")[2], draft_url.split("/")[4]
    missing = f"/patches/{int(patch_id) + 100}/files/{int(file_id) + 100}/next.zip"
    hidden, made_up = (client.get(url, headers=headers) for url in (draft_url, missing))
    assert hidden.status_code == made_up.status_code == 404
    assert hidden.json == made_up.json
