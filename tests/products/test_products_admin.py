"""Staff manage products and versions: list, create, rename, add and remove versions with
release dates; customers may not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kb import db
from kb.products.models import Product


@pytest.fixture
def staff(auth, demo_accounts):
    auth.login("staff@demo.test")
    return auth


def product_named(app, name: str) -> dict | None:
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == name))
        if product is None:
            return None
        return {"id": product.id, "slug": product.slug, "description": product.description,
                "versions": [(v.name, v.released_on and v.released_on.isoformat())
                             for v in product.versions]}


def test_staff_create_rename_and_version_a_product(app, client, staff):
    response = staff.post("/staff/products/", {"name": "Orbit Payroll",
                                               "description": "Salaries"})
    assert response.status_code == 302
    product = product_named(app, "Orbit Payroll")
    assert product["slug"] == "orbit-payroll" and product["description"] == "Salaries"
    assert "Orbit Payroll" in client.get("/staff/products/").get_data(as_text=True)

    base = f"/staff/products/{product['id']}"
    staff.post(f"{base}/versions", {"version_name": "10.0", "released_on": "2025-05-01"})
    staff.post(f"{base}/versions", {"version_name": "9.2"})
    staff.post(f"{base}/versions", {"version_name": "10.0", "released_on": "2025-05-02"})
    assert product_named(app, "Orbit Payroll")["versions"] == [("9.2", None),
                                                               ("10.0", "2025-05-02")]

    staff.post(base, {"name": "Orbit Payroll Cloud", "description": "Salaries, hosted"})
    renamed = product_named(app, "Orbit Payroll Cloud")
    assert renamed["id"] == product["id"] and renamed["slug"] == "orbit-payroll"

    page = client.get(base).get_data(as_text=True)
    assert "2025-05-02" in page and "Remove 9.2" in page


def test_a_duplicate_product_name_is_refused(app, client, staff):
    staff.post("/staff/products/", {"name": "Orbit CRM"})
    response = staff.post("/staff/products/", {"name": "orbit crm"})
    assert response.status_code == 422
    assert "There is already a product called" in response.get_data(as_text=True)
    missing_version = staff.post(f"/staff/products/{product_named(app, 'Orbit CRM')['id']}"
                                 "/versions", {"version_name": ""})
    assert missing_version.status_code == 422


def test_a_version_in_use_is_not_removed(app, client, staff):
    from kb.accounts.queries import user_by_email
    from kb.articles import service
    from kb.articles.fields import ArticleFields
    from kb.products import service as products

    with app.app_context():
        service.create_article(user_by_email("staff@demo.test"), ArticleFields(
            title="Uses 12.0", products=["Orbit ERP"], versions=["12.0", "11.1"]))
        free = products.ensure_version(products.ensure_product("Orbit ERP"), "13.0")
        db.session.commit()
        free_id = free.id
    product = product_named(app, "Orbit ERP")
    with app.app_context():
        from kb.products.models import ProductVersion
        used_id = db.session.scalar(select(ProductVersion.id).where(
            ProductVersion.name == "12.0"))
    response = staff.post(f"/staff/products/{product['id']}/versions/{used_id}/remove",
                          follow_redirects=True)
    assert "is named by 1 article(s)" in response.get_data(as_text=True)
    with app.app_context():
        installed_id = db.session.scalar(select(ProductVersion.id).where(  # Litware runs it
            ProductVersion.name == "11.0"))
    response = staff.post(f"/staff/products/{product['id']}/versions/{installed_id}/remove",
                          follow_redirects=True)
    assert "run by 1 organisation(s)" in response.get_data(as_text=True)
    staff.post(f"/staff/products/{product['id']}/versions/{free_id}/remove")
    assert [name for name, _ in product_named(app, "Orbit ERP")["versions"]] == [
        "11.0", "11.1", "12.0"]


@pytest.mark.parametrize("path", ["/staff/products/", "/staff/products/1"])
def test_customers_may_not_manage_products(client, auth, customer_on, path):
    auth.login(customer_on("elite"))
    assert client.get(path).status_code == 403
    assert auth.post("/staff/products/", {"name": "Sneaky"}).status_code == 403


def test_a_version_named_only_by_a_patch_is_not_removed(app, client, staff):
    from kb.patches import service as patches
    from kb.patches.models import Patch
    from kb.storage import file_store

    with app.app_context():
        staged = file_store().stage(filename="fix.zip")
        staged.write(b"fix")
        patch_id = patches.publish_patch(None, patches.PatchDetails(
            product="Orbit ERP", title="Only for 12.7", versions=["12.7"]),
            [patches.Upload("fix.zip", staged)]).id
    product = product_named(app, "Orbit ERP")
    with app.app_context():
        from kb.products.models import ProductVersion
        version_id = db.session.scalar(select(ProductVersion.id).where(
            ProductVersion.name == "12.7"))
    response = staff.post(f"/staff/products/{product['id']}/versions/{version_id}/remove",
                          follow_redirects=True)
    assert "1 patch(es)" in response.get_data(as_text=True)
    with app.app_context():
        assert [v.name for v in db.session.get(Patch, patch_id).versions] == ["12.7"]
