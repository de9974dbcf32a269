"""A draft recording's captions, media and page answer a customer as a recording that does not
exist would, and carry no validator of the file; staff get them."""

from __future__ import annotations

import pytest

from tests.conftest import bearer

PATHS = ["/sessions/recordings/{id}/captions.vtt", "/sessions/recordings/{id}/media",
         "/api/v1/recordings/{id}"]


@pytest.mark.parametrize("path", PATHS)
def test_a_drafts_captions_answer_as_a_missing_recordings(client, api_token, publish, path):
    draft = publish(title="Unannounced flows", status="draft")
    customer = bearer(api_token("elite@demo.test"))
    hidden = client.get(path.format(id=draft), headers=customer, buffered=True)
    made_up = client.get(path.format(id=draft + 1000), headers=customer, buffered=True)
    assert hidden.status_code == made_up.status_code == 404
    assert hidden.get_data() == made_up.get_data()
    assert "ETag" not in hidden.headers and "Last-Modified" not in hidden.headers
    staff = client.get(path.format(id=draft), headers=bearer(api_token("staff@demo.test")),
                       buffered=True)
    assert staff.status_code == 200
    assert "private" in staff.headers.get("Cache-Control", "private")
