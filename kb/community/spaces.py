"""Opening community spaces and changing who may read them (staff, or ``kb community space``
on the server). A space's gate is copied onto its questions, which are re-indexed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kb import db, plans, policy, search
from kb.accounts.audit import record_audit
from kb.community.models import Question, Space
from kb.errors import Conflict, Invalid
from kb.products import service as products
from kb.products.names import slugify

# addresses under /community/ that are pages, not spaces
RESERVED_SLUGS = {"ask", "suggest", "questions", "answers"}


@dataclass
class SpaceFields:
    name: str
    description: str = ""
    product: str = ""  # a product's name; none for a space about no one product
    min_plan: str = plans.LOWEST_PLAN
    slug: str = ""


def _checked(fields: SpaceFields) -> SpaceFields:
    name = " ".join((fields.name or "").split())
    if not 3 <= len(name) <= 200:
        raise Invalid("Give the space a name of 3 to 200 characters.")
    if fields.min_plan not in plans.PLANS:
        raise Invalid(f"The lowest plan must be one of {', '.join(plans.PLANS)}.")
    if len(fields.description) > 2000:
        raise Invalid("Keep the description under 2,000 characters.")
    slug = slugify(fields.slug or name)[:120]
    if not slug:
        raise Invalid("The space's address needs letters or digits.")
    if slug in RESERVED_SLUGS:
        raise Invalid(f"/community/{slug} is a page of its own; name the space otherwise.")
    return SpaceFields(name, fields.description.strip(), fields.product.strip(),
                       fields.min_plan, slug)


def create_space(actor, fields: SpaceFields) -> Space:
    """``actor`` is staff, or None for the command line."""
    if actor is not None:
        policy.require_staff(actor)
    fields = _checked(fields)
    if db.session.scalar(select(Space.id).where(Space.slug == fields.slug)):
        raise Conflict(f"There is already a space at /community/{fields.slug}.")
    space = Space(name=fields.name, slug=fields.slug, description=fields.description,
                  min_plan=fields.min_plan,
                  product=products.ensure_product(fields.product) if fields.product else None)
    db.session.add(space)
    db.session.flush()
    record_audit(actor, "community.space.create", "community_space", space.id, None,
                 {"name": space.name, "min_plan": space.min_plan})
    db.session.commit()
    return space


def set_min_plan(actor, space: Space, min_plan: str) -> None:
    """Open a space to more plans or keep it to fewer; its questions follow at once (pages,
    lists and search alike)."""
    if actor is not None:
        policy.require_staff(actor)
    if min_plan not in plans.PLANS:
        raise Invalid(f"The lowest plan must be one of {', '.join(plans.PLANS)}.")
    before = space.min_plan
    space.min_plan = min_plan
    for question in db.session.scalars(select(Question).where(Question.space_id == space.id)):
        question.min_plan = min_plan
        search.record_change("question", question.id)
    record_audit(actor, "community.space.gate", "community_space", space.id,
                 {"min_plan": before}, {"min_plan": min_plan})
    db.session.commit()
