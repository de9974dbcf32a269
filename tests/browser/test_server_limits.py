"""What the production server (`kb serve`, gunicorn) lets through to kb: a search as long as kb
accepts, in Korean, reaches kb and is answered by it (JSON for the API), not refused by the
server in front with its own HTML page."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from kb.search.params import MAX_QUERY_CHARACTERS


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers["Content-Type"], refused.read().decode()


def test_a_longest_korean_search_reaches_kb_and_is_answered_in_json(live_server):
    query = ("패치적용후송장번호가중복됩니다 " * 40)[:MAX_QUERY_CHARACTERS]
    address = live_server.url + "/api/v1/search?" + urllib.parse.urlencode({"q": query})
    assert len(address) > 4094  # past gunicorn's default request line
    status, content_type, body = _get(address)
    assert status == 401 and content_type.startswith("application/json")  # kb's own answer
    assert "error" in json.loads(body)
    status, content_type, body = _get(
        live_server.url + "/search?" + urllib.parse.urlencode({"q": query}))
    assert status != 414 and "Orbitec Support" in body
