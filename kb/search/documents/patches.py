"""Patches, service packs and regulatory updates: one document per patch, with the fixed-issue
identifiers boosted so that typing ERP-4711 finds the fix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb import markdown
from kb.patches.models import KINDS, Patch
from kb.products.models import ProductVersion
from kb.search.documents import ContentType, gate, register


def load(session: Session, item_id: int) -> Patch | None:
    return session.get(Patch, item_id)


def load_many(session: Session, ids: Sequence[int]) -> Iterable[Patch]:
    return session.scalars(
        select(Patch).where(Patch.id.in_(ids)).options(
            selectinload(Patch.product),
            selectinload(Patch.versions).selectinload(ProductVersion.product),
            selectinload(Patch.fixed_issues),
        )
    )


def all_ids(session: Session) -> Iterable[int]:
    return session.scalars(select(Patch.id).order_by(Patch.id))


def _shown(source: str | None) -> str:
    """A Markdown section's words as the patch's page shows them, which a snippet quotes."""
    return markdown.render(source).text if source else ""


def documents(patch: Patch) -> list[dict[str, Any]]:
    issues = [f"{issue.identifier} {issue.text}" for issue in patch.fixed_issues]
    body = "\n".join([_shown(patch.description), *issues, _shown(patch.prerequisites),
                      _shown(patch.install_notes), _shown(patch.known_issues)])
    versions = [f"{patch.product.slug}@{version.name}" for version in patch.versions]
    return [{
        "key": f"patch:{patch.id}",
        "type": "patch",
        "title": patch.title,
        "title_prefix": patch.title,
        "identifiers": ",".join(issue.identifier for issue in patch.fixed_issues),
        "summary": patch.summary or "",
        "body": body,
        "products": patch.product.slug,
        "versions": ",".join(versions),
        "kind": patch.kind,
        "tags": "",
        # the day it was released, when staff gave one
        "updated": (datetime.combine(patch.released_on, time.min, tzinfo=UTC)
                    if patch.released_on else patch.updated_at),
        "url": f"/patches/{patch.id}",
        **gate(patch),
    }]


register(ContentType(name="patch", load=load, documents=documents, all_ids=all_ids,
                     load_many=load_many, kinds=KINDS))
