"""Patches in the real server: staff publish a patch with two files in the browser, an Elite
customer finds it by product and version and downloads a file whose checksum matches, a
lapsed customer is refused; and a script resumes an interrupted download with curl -C -."""

from __future__ import annotations

import hashlib
import io
import json
import socket
import subprocess
import sys
import time

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.browser.conftest import menu_link, sign_in

pytestmark = pytest.mark.browser


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def patch_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("upload")
    connector = directory / "hub-connector-4.0.1.zip"
    connector.write_bytes(b"".join(hashlib.sha256(str(i).encode()).digest()
                                   for i in range(40_000)))
    readme = directory / "INSTALL.txt"
    readme.write_text("Stop the hub, copy the connector, start the hub.\n")
    return connector, readme


def test_publish_find_download_and_refuse(page: Page, browser: Browser, base_url, patch_files,
                                          tmp_path):
    connector, readme = patch_files
    sign_in(page, base_url, "staff@demo.test")
    menu_link(page, "Downloads").click()
    page.get_by_role("link", name="Publish a patch").click()
    page.get_by_label("Product", exact=True).fill("Orbit Integration Hub")
    page.get_by_label("Versions it applies to").fill("4.0")
    page.get_by_label("Title").fill("Integration Hub 4.0.1 connector fix")
    page.get_by_label("Files").set_input_files([str(connector), str(readme)])
    page.get_by_label("Fixed issues").fill("HUB-77: Connector drops messages over 1 MB")
    page.get_by_role("button", name="Upload and publish").click()
    expect(page.get_by_role("heading", name="Integration Hub 4.0.1 connector fix")).to_be_visible()
    expect(page.locator(".patch-files tbody tr")).to_have_count(2)

    elite = browser.new_context(accept_downloads=True).new_page()
    sign_in(elite, base_url, "elite@demo.test")
    menu_link(elite, "Downloads").click()
    elite.get_by_label("Product", exact=True).select_option(label="Orbit Integration Hub")
    elite.get_by_label("Version", exact=True).select_option(label="Orbit Integration Hub 4.0")
    elite.get_by_role("button", name="Show patches").click()
    expect(elite.get_by_text("1 patch", exact=True)).to_be_visible()
    elite.get_by_role("link", name="Integration Hub 4.0.1 connector fix").click()
    row = elite.locator(".patch-files tbody tr", has_text=connector.name)
    shown_checksum = row.locator("code.sha256").inner_text()
    assert shown_checksum == sha256_of(connector.read_bytes())
    expect(elite.locator("code.download-command")).to_contain_text(
        'curl -fLO -H "Authorization: Bearer $KB_TOKEN" ' + base_url)
    with elite.expect_download() as download_info:
        row.get_by_role("link", name=connector.name).click()
    download = download_info.value
    assert download.suggested_filename == connector.name
    saved = tmp_path / "downloaded.zip"
    download.save_as(saved)
    assert sha256_of(saved.read_bytes()) == shown_checksum
    file_url = base_url + row.get_by_role("link").get_attribute("href")
    patch_url = elite.url
    elite.context.close()

    lapsed = browser.new_context().new_page()
    sign_in(lapsed, base_url, "lapsed@demo.test")
    lapsed.goto(patch_url)
    expect(lapsed.get_by_role("heading", name="Your support term has ended")).to_be_visible()
    refused = lapsed.request.get(file_url)
    assert refused.status == 403
    assert "support term ended" in refused.text()
    lapsed.context.close()


def test_a_script_resumes_an_interrupted_download_with_curl(live_server, tmp_path):
    source = tmp_path / "big-service-pack.bin"
    source.write_bytes(b"".join(hashlib.sha256(str(i).encode()).digest()
                                for i in range(200_000)))  # 6.4 MB
    added = live_server.kb("patch", "add", "--product", "Orbit ERP", "--version", "12.0",
                           "--title", "Resumable service pack", "--kind", "service-pack",
                           str(source))
    patch_id = added.stdout.strip().splitlines()[-1]
    token = live_server.kb("token", "create", "elite@demo.test").stdout.strip().splitlines()[-1]
    listing = subprocess.run(
        ["curl", "-fsS", "-H", f"Authorization: Bearer {token}",
         f"{live_server.url}/api/v1/patches/{patch_id}"],
        capture_output=True, text=True, check=True)
    file_url = json.loads(listing.stdout)["files"][0]["url"]
    target = tmp_path / "download.bin"
    subprocess.run(["curl", "-fsS", "-r", "0-2499999", "-o", str(target), "-H",
                    f"Authorization: Bearer {token}", file_url], check=True)
    assert target.stat().st_size == 2_500_000  # the first attempt broke off here
    resumed = subprocess.run(["curl", "-fsS", "-C", "-", "-o", str(target), "-H",
                              f"Authorization: Bearer {token}", "-w", "%{http_code}",
                              file_url], capture_output=True, text=True, check=True)
    assert resumed.stdout == "206"
    assert sha256_of(target.read_bytes()) == sha256_of(source.read_bytes())
    # once more on the whole file: 416 (JSON for the token), which curl and wget take for
    # "already complete", keeping the file as it is (no error text appended)
    again = subprocess.run(["curl", "-sS", "-C", "-", "-o", str(target), "-H",
                            f"Authorization: Bearer {token}", "-w", "%{http_code}", file_url],
                           capture_output=True, text=True)
    assert (again.returncode, again.stdout) == (0, "416")
    wget = subprocess.run(["wget", "-q", "-c", "-O", str(target), "--header",
                           f"Authorization: Bearer {token}", file_url], capture_output=True)
    assert wget.returncode == 0
    assert sha256_of(target.read_bytes()) == sha256_of(source.read_bytes())


def test_a_script_skips_a_file_it_has_with_curl_z_and_wget_n(live_server, tmp_path):
    """Last-Modified is sent and If-Modified-Since honoured: a scheduled `curl -z` or
    `wget -N` fetches the file once, then gets 304 and keeps its copy."""
    source = tmp_path / "nightly.bin"
    source.write_bytes(b"nightly build\n" * 1000)
    patch_id = live_server.kb("patch", "add", "--product", "Orbit ERP", "--title",
                              "Fetched nightly", str(source)).stdout.splitlines()[-1]
    token = live_server.kb("token", "create", "elite@demo.test").stdout.strip().splitlines()[-1]
    listing = subprocess.run(
        ["curl", "-fsS", "-H", f"Authorization: Bearer {token}",
         f"{live_server.url}/api/v1/patches/{patch_id}"],
        capture_output=True, text=True, check=True)
    file_url = json.loads(listing.stdout)["files"][0]["url"]
    target = tmp_path / "copy.bin"
    curl = ["curl", "-fsS", "-R", "-z", str(target), "-o", str(target), "-w", "%{http_code}",
            "-H", f"Authorization: Bearer {token}", file_url]
    assert subprocess.run(curl, capture_output=True, text=True, check=True).stdout == "200"
    assert subprocess.run(curl, capture_output=True, text=True, check=True).stdout == "304"
    assert target.read_bytes() == source.read_bytes()
    folder = tmp_path / "wget"
    folder.mkdir()
    wget = ["wget", "-N", "-S", "--header", f"Authorization: Bearer {token}", file_url]
    first = subprocess.run(wget, cwd=folder, capture_output=True, text=True, check=True)
    assert "HTTP/1.1 200" in first.stderr
    second = subprocess.run(wget, cwd=folder, capture_output=True, text=True, check=True)
    assert "HTTP/1.1 304" in second.stderr and "HTTP/1.1 200" not in second.stderr
    assert (folder / source.name).read_bytes() == source.read_bytes()


def test_an_upload_cut_off_midway_leaves_nothing_on_the_real_server(live_server):
    """The client vanishes halfway through a 4 MB file: no patch, no temporary file."""
    token = live_server.kb("token", "create", "staff@demo.test").stdout.strip().splitlines()[-1]
    boundary, body = encode_multipart({
        "product": "Orbit ERP", "title": "Never finished",
        "file": FileStorage(io.BytesIO(b"\x5a" * 4_000_000), "cut.zip")})
    head = (f"POST /api/v1/patches HTTP/1.1\r\nHost: 127.0.0.1:{live_server.port}\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    temporary = live_server.data_dir / "files" / "tmp"
    with socket.create_connection(("127.0.0.1", live_server.port)) as connection:
        connection.sendall(head + body[: len(body) // 2])
        deadline = time.monotonic() + 10
        while not any(temporary.glob("upload-*")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(temporary.glob("upload-*")), "the server never began writing the upload"
    deadline = time.monotonic() + 10
    while any(temporary.glob("upload-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(temporary.glob("upload-*")) == []
    listing = subprocess.run(
        ["curl", "-fsS", "-H", f"Authorization: Bearer {token}",
         f"{live_server.url}/api/v1/patches?per_page=100"],
        capture_output=True, text=True, check=True)
    assert "Never finished" not in listing.stdout


def test_an_interrupted_download_is_recorded_with_the_bytes_sent(live_server, tmp_path):
    """kb serve sends with sendfile; a client that gives up midway leaves an 'interrupted'
    record whose byte count lies between nothing and the whole file."""
    source = tmp_path / "large.bin"
    size = 48 * 1024 * 1024
    source.write_bytes(b"\x00" * size)
    patch_id = live_server.kb("patch", "add", "--product", "Orbit ERP", "--title",
                              "Interrupted download", str(source)).stdout.splitlines()[-1]
    token = live_server.kb("token", "create", "elite@demo.test").stdout.strip().splitlines()[-1]
    listing = subprocess.run(
        ["curl", "-fsS", "-H", f"Authorization: Bearer {token}",
         f"{live_server.url}/api/v1/patches/{patch_id}"],
        capture_output=True, text=True, check=True)
    file_url = json.loads(listing.stdout)["files"][0]["url"]
    cut = subprocess.run(["curl", "-sS", "-o", "/dev/null", "--limit-rate", "2M", "--max-time",
                          "2", "-H", f"Authorization: Bearer {token}", file_url])
    assert cut.returncode == 28  # curl's "operation timed out"
    script = ("from kb import create_app, db\nfrom sqlalchemy import select\n"
              "from kb.patches.models import Download\n"
              f"with create_app().app_context():\n"
              f"    d = db.session.scalars(select(Download).where(Download.patch_id == {patch_id})"
              ").one()\n    print(d.outcome, d.bytes_sent)\n")
    deadline = time.monotonic() + 20
    while True:
        outcome, sent = subprocess.run(
            [sys.executable, "-c", script], env=live_server.environment, capture_output=True,
            text=True, check=True).stdout.split()
        if outcome != "started" or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert outcome == "interrupted"
    assert 0 < int(sent) < size
