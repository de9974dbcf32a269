"""Finding and creating products and versions by name (content files and commands name them)."""

from __future__ import annotations

import re

from sqlalchemy import select

from kb import db
from kb.products.models import Product, ProductVersion


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "item"


def version_sort_key(name: str) -> str:
    """A string that sorts versions naturally: '9.1' < '10.0' < '10.0.1'."""
    parts = re.split(r"(\d+)", name.lower())
    return "".join(part.zfill(8) if part.isdigit() else part for part in parts)


def ensure_product(name: str) -> Product:
    """The product with this name (or slug), created when first named. Does not commit."""
    name = name.strip()
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
