"""The products and versions a user may name (kb.products.known): a product or version that
only a draft names stays unknown to customers; staff know every one."""

from __future__ import annotations

from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.products import service as products
from kb.products.known import products_to_name, versions_to_name


def test_what_only_a_draft_names_stays_unknown_to_customers(app, demo_accounts):
    with app.app_context():
        staff = user_by_email("staff@demo.test")
        articles.create_article(staff, ArticleFields(
            title="Ledger basics", body="Text.", status="published", products=["Orbit ERP"],
            versions=["12.0"]))
        articles.create_article(staff, ArticleFields(
            title="Secret product", body="Text.", status="draft", products=["Orbit Nova"]))
        articles.create_article(staff, ArticleFields(
            title="Next release", body="Text.", status="draft", products=["Orbit ERP"],
            versions=["13.0"]))
        erp = products.ensure_product("Orbit ERP")
        customer = user_by_email("elite@demo.test")

        assert "Orbit ERP" in [p.name for p in products_to_name(customer)]
        assert "Orbit Nova" not in [p.name for p in products_to_name(customer)]
        assert "Orbit Nova" in [p.name for p in products_to_name(staff)]
        assert "12.0" in [v.name for v in versions_to_name(customer, [erp])[erp.id]]
        assert "13.0" not in [v.name for v in versions_to_name(customer, [erp])[erp.id]]
        assert "13.0" in [v.name for v in versions_to_name(staff, [erp])[erp.id]]
