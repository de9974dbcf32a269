"""What surrounds a patch download: the download record and its counts (staff only),
SHA256SUMS, the patch page's sizes, checksums and curl command, the API's addresses, bearer
tokens, 401 for the anonymous; on the local and the S3 store."""

from __future__ import annotations

from tests.conftest import bearer
from tests.patches.conftest import sha256_of
from tests.patches.download_helpers import SIZE, downloads
from tests.stores import both_stores

pytestmark = both_stores


def test_each_download_is_recorded_with_bytes_and_outcome(app, client, elite_file):
    client.get(elite_file["url"], buffered=True)
    client.get(elite_file["url"], headers={"Range": "bytes=100-"}, buffered=True)
    partial = client.get(elite_file["url"], buffered=False)  # reads one block and hangs up
    next(partial.response)
    partial.close()
    whole, resumed, cut = downloads(app)
    assert (whole.outcome, whole.bytes_sent, whole.range_start) == ("completed", SIZE, 0)
    assert (resumed.outcome, resumed.bytes_sent, resumed.range_start) == (
        "completed", SIZE - 100, 100)
    assert cut.outcome == "interrupted" and 0 < cut.bytes_sent < SIZE
    with app.app_context():
        assert whole.organization_id is not None
        assert {d.user_id for d in downloads(app)} == {whole.user_id}


def test_staff_see_download_counts_per_patch_and_organisation(client, auth, elite_file):
    client.get(elite_file["url"], buffered=True)
    client.get(elite_file["url"], buffered=True)
    auth.logout()
    auth.login("staff@demo.test")
    page = client.get("/staff/patch-downloads").get_data(as_text=True)
    assert "Rounding fix" in page and "Fabrikam Logistics" in page
    assert f"<td>2</td>\n      <td>2</td>\n      <td>{2 * SIZE:,}</td>" in page


def test_customers_cannot_see_download_counts(client, elite_file):
    assert client.get("/staff/patch-downloads").status_code == 403


def test_sha256sums_lists_every_file(client, elite_file):
    response = client.get(f"/patches/{elite_file['patch_id']}/SHA256SUMS")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).splitlines()
    assert lines == [f"{elite_file['sha256']}  erp-fix.zip",
                     f"{sha256_of(b'read me' + bytes([10]))}  readme.txt"]
    # gated as the files are, so cached as they are: never by a shared cache
    file_answer = client.get(elite_file["url"], buffered=True)
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["Cache-Control"] == file_answer.headers["Cache-Control"]


def test_patch_page_shows_sizes_checksums_and_a_curl_command(client, elite_file):
    page = client.get(f"/patches/{elite_file['patch_id']}").get_data(as_text=True)
    assert elite_file["sha256"] in page
    assert f"{SIZE:,} bytes" in page
    assert (f'curl -fLO -H "Authorization: Bearer $KB_TOKEN" http://kb.test{elite_file["url"]}'
            in page)


def test_without_kb_base_url_the_curl_command_names_the_address_the_page_was_asked_at(
        app, client, elite_file):
    app.config["BASE_URL"] = ""
    page = client.get(f"/patches/{elite_file['patch_id']}",
                      base_url="http://localhost:8123").get_data(as_text=True)
    assert (f'curl -fLO -H "Authorization: Bearer $KB_TOKEN" '
            f'http://localhost:8123{elite_file["url"]}') in page


def test_the_api_names_file_and_page_addresses_from_kb_base_url(client, elite_file):
    patch = client.get(f"/api/v1/patches/{elite_file['patch_id']}").get_json()
    assert patch["page_url"] == f"http://kb.test/patches/{elite_file['patch_id']}"
    assert patch["files"][0]["url"] == f"http://kb.test{elite_file['url']}"


def test_a_bearer_token_downloads_without_a_session(app, api_token, demo_accounts, publish,
                                                   patch_file):
    url, fields, _ = patch_file(publish())
    response = app.test_client().get(url, headers=bearer(api_token("premium@demo.test")),
                                     buffered=True)
    assert response.status_code == 200
    assert sha256_of(response.data) == fields["sha256"]


def test_anonymous_and_bad_tokens_get_401_never_a_sign_in_page(app, publish, patch_file):
    url, _, _ = patch_file(publish())
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    bad = app.test_client().get(url, headers=bearer("kb_not-a-token"))
    assert bad.status_code == 401


def test_a_script_with_a_token_gets_errors_as_json_not_a_page(app, api_token, demo_accounts,
                                                               publish, patch_file):
    """A patch file's `url` from the API is fetched with the token: its errors are JSON, as
    the API's are (a 404 here; a store that does not answer gives its 503 the same way)."""
    url, _, _ = patch_file(publish())
    headers = bearer(api_token("premium@demo.test"))
    missing = app.test_client().get(url.replace("/files/", "/files/9999"), headers=headers)
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json()["error"]
    unknown_patch = app.test_client().get("/patches/99999/SHA256SUMS", headers=headers)
    assert unknown_patch.status_code == 404 and unknown_patch.is_json
    in_a_browser = app.test_client().get("/patches/99999/SHA256SUMS")
    assert in_a_browser.status_code == 401  # a browser without a session still signs in first
