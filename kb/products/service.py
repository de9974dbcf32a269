"""Finding and creating products and versions by name (content files and commands name them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from kb import db, name_lookups, policy
from kb.errors import Conflict, Invalid, NotFound
from kb.products.models import Product, ProductVersion
from kb.products.names import slugify, version_sort_key


def ensure_product(name: str) -> Product:
    """The product with this name (or slug), created when first named. Does not commit."""
    name = name.strip()
    return name_lookups.by_name("product", name, lambda: _find_or_create_product(name))


def _find_or_create_product(name: str) -> Product:
    slug = slugify(name)
    product = db.session.scalar(
        select(Product).where((Product.name == name) | (Product.slug == slug))
    )
    if product is None:
        product = Product(name=name, slug=slug, description="")
        db.session.add(product)
        db.session.flush()
    return product


def ensure_version(product: Product, name: str) -> ProductVersion:
    """The version of ``product`` with this name, created when first named. Does not commit."""
    name = str(name).strip()
    if product.id is None:
        return _find_or_create_version(product, name)
    return name_lookups.by_name("version", (product.id, name),
                                lambda: _find_or_create_version(product, name))


def _find_or_create_version(product: Product, name: str) -> ProductVersion:
    version = db.session.scalar(
        select(ProductVersion).where(
            ProductVersion.product_id == product.id, ProductVersion.name == name
        )
    )
    if version is None:
        version = ProductVersion(product=product, name=name, sort_key=version_sort_key(name))
        db.session.add(version)
        db.session.flush()
    return version


def all_products() -> list[Product]:
    return list(db.session.scalars(select(Product).order_by(Product.name)))


# --- staff management ------------------------------------------------------------------------

def get_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound("No such product.")
    return product


def _check_name_free(name: str, product: Product | None) -> None:
    clash = db.session.scalar(select(Product).where(
        (Product.name == name) | (Product.slug == slugify(name))))
    if clash is not None and clash is not product:
        raise Conflict(f"There is already a product called {clash.name!r}.")


def create_product(actor, name: str, description: str = "") -> Product:
    """Add a product (staff only)."""
    policy.require_staff(actor)
    name = name.strip()
    if not name:
        raise Invalid("The product needs a name.")
    _check_name_free(name, None)
    product = Product(name=name, slug=slugify(name), description=description.strip())
    db.session.add(product)
    db.session.commit()
    return product


def rename_product(actor, product: Product, name: str, description: str = "") -> Product:
    """Rename a product and change its description; its slug (its address) stays. Search
    documents name products by slug, so nothing is re-indexed."""
    policy.require_staff(actor)
    name = name.strip()
    if not name:
        raise Invalid("The product needs a name.")
    _check_name_free(name, product)
    product.name, product.description = name, description.strip()
    db.session.commit()
    return product


def add_version(actor, product: Product, name: str,
                released_on: date | None = None) -> ProductVersion:
    """Add a version to a product, or set the release date of the version of that name."""
    policy.require_staff(actor)
    if not name.strip():
        raise Invalid("The version needs a name.")
    version = ensure_version(product, name)
    version.released_on = released_on
    db.session.commit()
    return version


def remove_version(actor, version: ProductVersion) -> None:
    """Remove a version nothing names; refuse while articles, release notes, patches or
    organisations' installed products name it (removing it would silently drop those links,
    and a patch left without its only version would apply to every version)."""
    policy.require_staff(actor)
    items, patches, installations = _references_to(version)
    if items or patches or installations:
        raise Conflict(f"{version} is named by {items} article(s) or release note(s), "
                       f"{patches} patch(es) and run by {installations} organisation(s); "
                       "change those first.")
    db.session.delete(version)
    db.session.commit()


def _references_to(version: ProductVersion) -> tuple[int, int, int]:
    """How many articles or release notes, patches and organisations name ``version``."""
    from kb.accounts.models import OrganizationProduct
    from kb.articles.models import Article, article_versions
    from kb.patches.models import patch_versions

    items = db.session.scalar(select(func.count()).select_from(Article).where(
        Article.id.in_(select(article_versions.c.article_id)
                       .where(article_versions.c.version_id == version.id))
        | (Article.release_version_id == version.id)))
    patches = db.session.scalar(select(func.count()).select_from(patch_versions)
                                .where(patch_versions.c.version_id == version.id))
    installations = db.session.scalar(select(func.count()).select_from(OrganizationProduct)
                                      .where(OrganizationProduct.version_id == version.id))
    return items, patches, installations


def get_version(version_id: int) -> ProductVersion:
    version = db.session.get(ProductVersion, version_id)
    if version is None:
        raise NotFound("No such version.")
    return version
