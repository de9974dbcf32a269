"""Scripts learn of a withdrawal as the pages tell it: ``GET /api/v1/patches?withdrawn=1``
lists the withdrawn patches the caller's plan read (as ``/patches/?withdrawn=1`` does), and a
withdrawn patch lists its files (name, size, sha256), so that a script can match what it
downloaded; each file's url answers 410 with the reason, and a replacement is named only to
those who may download it."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.conftest import bearer
from tests.patches.conftest import sha256_of
from tests.patches.test_withdrawal import REASON, withdraw

HOTFIX = b"bad bytes" * 100


def _listed(client, headers, query: str = "") -> dict[str, dict]:
    answer = client.get(f"/api/v1/patches{query}", headers=headers)
    assert answer.status_code == 200, answer.json
    return {patch["title"]: patch for patch in answer.json["patches"]}


def test_withdrawn_patches_are_listed_on_request_to_their_readers_only(
        client, staff_client, publish, api_token):
    pulled = publish(title="Pulled premium fix", min_plan="premium", files={"fix.zip": HOTFIX})
    publish(title="Kept fix")
    assert withdraw(staff_client, pulled).status_code == 302

    for email in ("premium@demo.test", "staff@demo.test"):
        headers = bearer(api_token(email))
        assert set(_listed(client, headers)) == {"Kept fix"}, email
        listed = _listed(client, headers, "?withdrawn=1")
        assert set(listed) == {"Pulled premium fix", "Kept fix"}, email
        assert listed["Pulled premium fix"]["withdrawn"]["reason"] == REASON
        assert listed["Pulled premium fix"]["files"][0]["sha256"] == sha256_of(HOTFIX)
        assert listed["Kept fix"]["withdrawn"] is None
    xtreme = bearer(api_token("xtreme@demo.test"))
    assert set(_listed(client, xtreme, "?withdrawn=1")) == {"Kept fix"}
    assert set(_listed(client, xtreme, "?withdrawn=0")) == {"Kept fix"}


def test_a_withdrawn_patch_lists_its_files_whose_urls_answer_410(
        app, client, staff_client, publish, api_token):
    pulled = publish(title="Ledger hotfix", versions=["12.0"],
                     files={"hotfix.zip": HOTFIX, "readme.txt": b"r\n"})
    premium_only = publish(title="Premium ledger fix", min_plan="premium", versions=["12.0"])
    assert withdraw(staff_client, pulled, replacement=str(premium_only),
                    fewer_reached="y").status_code == 302

    for email, replacement in (("premium@demo.test", premium_only),
                               ("xtreme@demo.test", None)):  # may not download it: not named
        headers = bearer(api_token(email))
        answer = client.get(f"/api/v1/patches/{pulled}", headers=headers).json
        assert answer["withdrawn"]["replacement_id"] == replacement, email
        files = {f["name"]: f for f in answer["files"]}
        assert set(files) == {"hotfix.zip", "readme.txt"}
        assert files["hotfix.zip"]["size"] == len(HOTFIX)
        assert files["hotfix.zip"]["sha256"] == sha256_of(HOTFIX)
        for listed in files.values():
            gone = app.test_client().get(urlsplit(listed["url"]).path, headers=headers)
            assert gone.status_code == 410 and gone.is_json, email
            assert gone.json["withdrawn"]["reason"] == REASON
            assert gone.json["withdrawn"]["replacement_id"] == replacement
            assert replacement or "Premium ledger fix" not in gone.get_data(as_text=True)
