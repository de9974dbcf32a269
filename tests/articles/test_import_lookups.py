"""An import looks each product, version and tag up once, however many files name it: names
first named mid-import are created once and reused, differently written names of one tag or
product still meet, and a row deleted mid-import is looked up again, not reused."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from kb import db, name_lookups
from kb.articles.fields import ensure_tag
from kb.articles.importing.importer import import_paths
from kb.articles.models import Tag
from kb.products import service as products
from kb.products.models import Product, ProductVersion
from tests.articles.import_helpers import article, write

FILES = 6


@pytest.fixture
def statements(app_context):
    """The SQL statements run on the app's engine from now on."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.database().engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def lookups(statements: list[str], table: str) -> int:
    """How many of the statements look rows of ``table`` up by name."""
    return sum(1 for statement in statements
               if statement.lstrip().startswith("SELECT")
               and f"FROM {table} WHERE " in " ".join(statement.split())
               and f"{table}.name =" in statement)


def test_names_repeated_in_every_file_are_looked_up_once(statements, tmp_path):
    docs = tmp_path / "docs"
    for number in range(FILES):
        # the same new product, version and tags in every file, written differently
        tag = "Nebula-Close" if number % 2 else " nebula-close "
        write(docs, f"nova/page-{number}.md", f"""
            ---
            title: Nova page {number}
            products: [Nova Ledger]
            versions: ["3.1", "Nova Ledger 3.2"]
            tags: [{tag!r}, "page-{number}"]
            ---
            Body {number}.
            """)

    report = import_paths([docs])
    during_import = list(statements)

    assert report.errors == [] and len(report.created) == FILES
    assert db.session.scalar(select(func.count(Product.id))) == 1
    assert sorted(db.session.scalars(select(ProductVersion.name))) == ["3.1", "3.2"]
    tags = sorted(db.session.scalars(select(Tag.name)))
    assert tags == ["nebula-close"] + sorted(f"page-{n}" for n in range(FILES))
    for number in range(FILES):
        page = article(f"nova/page-{number}")
        assert [p.name for p in page.products] == ["Nova Ledger"]
        assert sorted(v.name for v in page.versions) == ["3.1", "3.2"]
        assert sorted(t.name for t in page.tags) == sorted(["nebula-close", f"page-{number}"])
    # one lookup per distinct name: the product, its two versions, the shared tag (written two
    # ways, one name) and each file's own tag
    assert lookups(during_import, "products") == 1
    assert lookups(during_import, "product_versions") == 2
    assert lookups(during_import, "tags") == 1 + FILES


def test_a_row_deleted_while_remembered_is_looked_up_again(app_context):
    with name_lookups.remembered():
        tag = ensure_tag("Obsolete")
        product = products.ensure_product("Nova Ledger")
        assert ensure_tag("obsolete") is tag and products.ensure_product("Nova Ledger") is product
        db.session.delete(tag)
        db.session.delete(product)
        db.session.flush()
        again, product_again = ensure_tag("obsolete"), products.ensure_product("Nova Ledger")
        assert again is not tag and again.id is not None
        assert product_again is not product and product_again.id is not None
    db.session.commit()
    assert list(db.session.scalars(select(Tag.name))) == ["obsolete"]
    assert list(db.session.scalars(select(Product.name))) == ["Nova Ledger"]


def test_a_rolled_back_row_is_not_reused(app_context):
    with name_lookups.remembered():
        products.ensure_product("Nova Ledger")
        db.session.rollback()
        product = products.ensure_product("Nova Ledger")
        db.session.commit()
    assert db.session.scalar(select(Product.id).where(Product.name == "Nova Ledger")) \
        == product.id
    assert db.session.info.get(name_lookups.SESSION_KEY) is None  # forgotten after the block
