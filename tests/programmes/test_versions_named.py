"""A version that only a programme's items name (its next release, say) stays unknown outside
the programme: the patch list's version filter, the alert subscription form and the
subscription API neither offer nor name it; members are offered it."""

from __future__ import annotations

from kb.accounts.queries import user_by_email
from kb.patches import service as patches
from kb.programmes import service as programmes
from kb.storage import Upload, file_store
from tests.programmes.conftest import apply_and_accept


def _patch(staff, title: str, version: str, programme_id: int | None = None) -> None:
    staged = file_store().stage(filename="build.zip")
    staged.write(title.encode())
    draft = patches.publish_patch(staff, patches.PatchDetails(
        product="Orbit ERP", title=title, versions=[version]),
        [Upload("build.zip", staged)], publish=False)
    if programme_id is not None:
        programmes.keep_to_programme(staff, programme_id, "patch", draft.id, True)
    patches.publish_draft(staff, draft.id)


def _offered(auth) -> tuple[bool, bool]:
    """(the patch list offers Orbit ERP 13.0, the alert form offers it)."""
    return ("Orbit ERP 13.0" in auth.client.get("/patches/").get_data(as_text=True),
            "Orbit ERP 13.0" in auth.client.get("/alerts").get_data(as_text=True))


def test_a_version_only_kept_items_name_is_offered_to_members_only(app, client, world,
                                                                   signed_in, token_for):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        _patch(staff, "Orbit ERP 12.0 hotfix 3", "12.0")
        _patch(staff, "Orbit ERP 13.0 beta 3", "13.0", world.programme)
    for reader in ("xtreme", "elite"):
        auth = signed_in(reader)
        assert "Orbit ERP 12.0" in auth.client.get("/patches/").get_data(as_text=True)
        assert _offered(auth) == (False, False)
        asked = client.post("/api/v1/alerts/subscriptions", headers=token_for(reader),
                            json={"product": "Orbit ERP", "version": "13.0"})
        unknown = client.post("/api/v1/alerts/subscriptions", headers=token_for(reader),
                              json={"product": "Orbit ERP", "version": "99.0"})
        assert asked.status_code == unknown.status_code == 422
        assert asked.json["error"].replace("13.0", "99.0") == unknown.json["error"]
    apply_and_accept(app, world)
    assert _offered(signed_in("elite")) == (True, True)
    made = client.post("/api/v1/alerts/subscriptions", headers=token_for("elite"),
                       json={"product": "Orbit ERP", "version": "13.0"})
    assert made.status_code == 201
