"""Versions belong to their product: an article naming two products gets only the real
(product, version) pairs, and the version filters and facets offer and match only those."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from kb import db
from kb.articles.importing.importer import import_paths
from kb.articles.models import Article
from kb.products.models import Product, ProductVersion
from kb.search.sync import apply_pending
from tests.articles.test_import import write


def _pairs(slug: str) -> set[str]:
    article = db.session.scalar(select(Article).where(Article.slug == slug))
    return {f"{version.product.name} {version.name}" for version in article.versions}


def _versions_of(product_name: str) -> set[str]:
    return set(db.session.scalars(select(ProductVersion.name).join(Product).where(
        Product.name == product_name)))


def _two_products(folder: Path) -> Path:
    write(folder, "hub/map-edi.md", """
        ---
        title: Map an EDI order to an ERP sales order
        products: [Orbit Integration Hub, Orbit ERP]
        versions:
          Orbit Integration Hub: ["4.0"]
          Orbit ERP: ["12.0"]
        ---
        Body.
        """)
    write(folder, "analytics/connect-erp.md", """
        ---
        title: Connect Analytics to ERP
        products: [Orbit Analytics, Orbit ERP]
        versions: ["2026.1", "Orbit ERP 11.1"]
        ---
        Body.
        """)
    write(folder, "erp/close.md", """
        ---
        title: Close a period
        products: [Orbit ERP]
        versions: ["11.1", "12.0"]
        ---
        Body.
        """)
    return folder


def test_each_version_goes_to_its_own_product_only(app_context, tmp_path):
    report = import_paths([_two_products(tmp_path / "docs")])

    assert not report.errors
    assert _pairs("hub/map-edi") == {"Orbit Integration Hub 4.0", "Orbit ERP 12.0"}
    # a bare version is the first product's; a qualified one its product's
    assert _pairs("analytics/connect-erp") == {"Orbit Analytics 2026.1", "Orbit ERP 11.1"}
    assert _pairs("erp/close") == {"Orbit ERP 11.1", "Orbit ERP 12.0"}
    assert _versions_of("Orbit Integration Hub") == {"4.0"}
    assert _versions_of("Orbit Analytics") == {"2026.1"}


def test_versions_by_product_must_name_listed_products(app_context, tmp_path):
    folder = tmp_path / "docs"
    write(folder, "bad.md", """
        ---
        title: Bad
        products: [Orbit ERP]
        versions:
          Orbit Hub: ["4.0"]
        ---
        Body.
        """)

    report = import_paths([folder])

    assert report.errors and "'Orbit Hub', which 'products' does not list" in report.errors[0]
    assert db.session.scalar(select(Article).where(Article.slug == "bad")) is None


def _listed_titles(html: str) -> list[str]:
    return re.findall(r'<a href="/articles/[^"]+">([^<]+)</a>', html)


def test_the_version_filter_offers_and_matches_real_pairs_only(app, client, auth,
                                                                demo_accounts, tmp_path):
    with app.app_context():
        import_paths([_two_products(tmp_path / "docs")])
    auth.login("elite@demo.test")

    page = client.get("/articles/").get_data(as_text=True)
    hub_group = re.search(r'<optgroup label="Orbit Integration Hub">(.*?)</optgroup>', page,
                          re.S).group(1)
    assert re.findall(r">([^<]+)</option>", hub_group) == ["Orbit Integration Hub 4.0"]

    erp_12 = client.get("/articles/?version=orbit-erp@12.0").get_data(as_text=True)
    hub_12 = client.get("/articles/?version=orbit-integration-hub@12.0").get_data(as_text=True)
    erp_bare = client.get("/articles/?product=orbit-integration-hub&version=12.0")

    assert "Map an EDI order" in erp_12 and "Close a period" in erp_12
    assert "Map an EDI order" not in hub_12 and "Close a period" not in hub_12
    assert "Map an EDI order" not in erp_bare.get_data(as_text=True)


def test_search_facets_and_filters_hold_real_pairs_only(app, client, auth, demo_accounts,
                                                         tmp_path):
    with app.app_context():
        import_paths([_two_products(tmp_path / "docs")])
        apply_pending()
    auth.login("elite@demo.test")

    answer = client.get("/api/v1/search?q=body&per_page=50").get_json()
    versions = set(answer["facets"]["version"])
    assert "orbit-integration-hub@12.0" not in versions
    assert {"orbit-integration-hub@4.0", "orbit-erp@12.0"} <= versions

    hub_12 = client.get("/api/v1/search?q=body&product=orbit-integration-hub&version=12.0")
    assert [r["title"] for r in hub_12.get_json()["results"]] == []


def test_the_editor_keeps_each_version_with_its_product(app, client, auth, demo_accounts,
                                                        tmp_path):
    with app.app_context():
        import_paths([_two_products(tmp_path / "docs")])
        article_id = db.session.scalar(select(Article.id).where(Article.slug == "hub/map-edi"))
    auth.login("staff@demo.test")

    editor = client.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    shown = re.search(r'name="versions"[^>]*value="([^"]*)"', editor).group(1)

    assert shown == "Orbit Integration Hub 4.0, Orbit ERP 12.0"


def test_lists_date_an_imported_article_by_its_published_date(app, client, auth, demo_accounts,
                                                               tmp_path):
    folder = tmp_path / "docs"
    write(folder, "erp/old-note.md", """
        ---
        title: An old workaround
        products: [Orbit ERP]
        published: 2024-05-17
        ---
        Body.
        """)
    with app.app_context():
        import_paths([folder])
    auth.login("elite@demo.test")

    listed = client.get("/articles/").get_data(as_text=True)
    shown = client.get("/articles/erp/old-note").get_data(as_text=True)

    assert 'datetime="2024-05-17' in listed
    assert 'datetime="2024-05-17' in shown


def test_the_editor_creates_a_version_only_on_purpose(app, auth, demo_accounts):
    from kb.products import service as products

    def version_names() -> set[str]:
        with app.app_context():
            return set(db.session.scalars(select(ProductVersion.name)))

    with app.app_context():
        products.ensure_version(products.ensure_product("Orbit ERP"), "12.0")
        db.session.commit()
    auth.login("staff@demo.test")
    typed = {"type": "article", "min_plan": "xtreme", "kind": "how-to", "summary": "",
             "title": "Close a period", "body": "Close it.", "products": "Orbit ERP",
             "versions": "12.0, 99.9", "tags": "", "note": "", "action": "draft"}

    refused = auth.post("/staff/articles/new", typed)

    assert refused.status_code == 422
    assert "Not a version its product has: &#39;99.9&#39;" in refused.get_data(as_text=True)
    assert "12.0" in version_names() and "99.9" not in version_names()
    assert auth.post("/staff/articles/new", {**typed, "new_versions": "y"}).status_code == 302
    assert "99.9" in version_names()
    with app.app_context():
        assert db.session.scalar(select(Article.title).where(Article.slug == "close-a-period")) \
            == "Close a period"
