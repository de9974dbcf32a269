"""The Elite pages' links back to the page above them carry the "←" every other back link
does."""

from __future__ import annotations

from tests.conftest import Auth
from tests.elite.conftest import make_elite_customer


def test_the_elite_pages_back_links_point_back(app, client, make_user, api_token):
    customer = make_elite_customer(app, make_user, api_token)
    reader, staff = Auth(client), Auth(app.test_client())
    reader.login(customer.email)
    staff.login(customer.csm_email)
    organization = f"/staff/elite/organizations/{customer.organization_id}"
    with app.app_context():
        name = customer.organization().name
    for auth, path, back in [(reader, "/elite/meetings", "Your customer success manager"),
                             (reader, "/elite/review", "Your customer success manager"),
                             (staff, f"{organization}/review", name),
                             (staff, organization, "Elite services")]:
        assert f">← {back}</a></p>" in auth.client.get(path).text, path
