"""The gate of every gated model, stated once on the model and read by the policy, the SQL
filters of lists and feeds, and the search documents.

A gated model says which feature reading it needs (``access_feature``), the lowest plan that
may read it (``min_plan``, by default the lowest plan) and when customers may see it: in which
status (``published_status``; None: always) and from which moment (``schedule_column``; None:
at once). ``is_published`` is a hybrid property derived from those two statements, so the
Python check (pages, API, notifications) and the SQL filter (lists, feeds) cannot disagree;
``visible_from`` gives the search index the same statement as a date.

An item may also be restricted to the members of one early-adopter programme
(``programme_gate``, kb/programmes): only organisations accepted into it read it while the
programme runs, and to everyone else it does not exist (as an unknown item's, its address
answers 404, and no list, feed or search names it).

``read_filter`` is the one translation of ``policy.ReadScope`` into SQL for any gated model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import and_, false, or_, true
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.sql.elements import ColumnElement

from kb import db, plans, policy
from kb.db import utcnow
from kb.errors import NotFound

# what the search index's gate field holds, instead of the plan feature, for an item restricted
# to a programme: only that programme's members reach it (kb.search.whoosh.gates)
PROGRAMME_KEY_PREFIX = "programme:"

# stands for "visible since always" (a published item without a schedule)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Gated:
    """Mixin of every model customers read behind a gate (see the module docstring)."""

    access_feature: ClassVar[str]
    min_plan = plans.LOWEST_PLAN  # a column on models whose items choose their own
    published_status: ClassVar[str | None] = "published"
    schedule_column: ClassVar[str | None] = None
    # a status in which an item is offered nowhere (lists, feeds, search, links) while its own
    # page still answers those whose plan reads it, e.g. a withdrawn patch; None: no such status
    retired_status: ClassVar[str | None] = None

    @property
    def is_retired(self) -> bool:
        """Whether the item was taken back (see ``retired_status``)."""
        return self.retired_status is not None and self.status == self.retired_status

    @property
    def visible_from(self) -> datetime | None:
        """From when customers may see the item; None while its status keeps it hidden."""
        if self.published_status is not None and self.status != self.published_status:
            return None
        scheduled = getattr(self, self.schedule_column) if self.schedule_column else None
        return scheduled or EPOCH

    @hybrid_property
    def is_published(self) -> bool:
        """Whether customers may see the item now (status and schedule)."""
        start = self.visible_from
        return start is not None and start <= utcnow()

    @is_published.inplace.expression
    @classmethod
    def _is_published_expression(cls) -> ColumnElement[bool]:
        conditions = []
        if cls.published_status is not None:
            conditions.append(cls.status == cls.published_status)
        if cls.schedule_column is not None:
            column = getattr(cls, cls.schedule_column)
            conditions.append(or_(column.is_(None), column <= utcnow()))
        return and_(true(), *conditions)

    @property
    def programme_gate(self) -> int | None:
        """The early-adopter programme whose members alone may read the item, if any."""
        return None

    @classmethod
    def programme_filter(cls, programmes: Iterable[int]) -> ColumnElement[bool]:
        """True for the rows restricted to no programme or to one of ``programmes``."""
        return true()

    @classmethod
    def feature_filter(cls, features: Iterable[str]) -> ColumnElement[bool]:
        """True for the rows whose access feature is among ``features``."""
        return true() if cls.access_feature in set(features) else false()

    @classmethod
    def plan_filter(cls, reachable: Iterable[str]) -> ColumnElement[bool]:
        """True for the rows whose minimum plan is among the ``reachable`` plans."""
        reachable = tuple(reachable)
        if isinstance(cls.min_plan, str):
            return true() if cls.min_plan in reachable else false()
        return cls.min_plan.in_(reachable)


class KeptToProgramme:
    """Mixin of a gated model whose rows may be kept to one programme's members: the model has a
    ``programme_id`` column (None: no programme). Listed before ``Gated`` among the bases."""

    @property
    def programme_gate(self) -> int | None:
        return self.programme_id

    @classmethod
    def programme_filter(cls, programmes: Iterable[int]) -> ColumnElement[bool]:
        return or_(cls.programme_id.is_(None), cls.programme_id.in_(tuple(programmes)))


def read_filter(model: type[Gated], scope: policy.ReadScope) -> ColumnElement[bool]:
    """The rows of ``model`` that ``scope`` may open: published, with a granted feature and a
    reachable minimum plan; every row for staff."""
    if scope.everything:
        return true()
    if scope.nothing:
        return false()
    return and_(model.is_published, model.feature_filter(scope.features),
                model.plan_filter(scope.plans), model.programme_filter(scope.programmes))


def programme_key(programme_id: int) -> str:
    return f"{PROGRAMME_KEY_PREFIX}{programme_id}"


def known_filter(model: type[Gated], user,
                 programmes: Iterable[int] | None = None) -> ColumnElement[bool]:
    """The rows of ``model`` whose existence ``user`` may learn (``policy.may_know_of``);
    ``programmes``: ``policy.programmes_of(user)`` when the caller has it already."""
    if policy.acts_as_staff(user):
        return true()
    if programmes is None:
        programmes = policy.programmes_of(user)
    return and_(model.is_published, model.programme_filter(programmes))


def title_filter(model: type[Gated], user) -> ColumnElement[bool]:
    """The rows of ``model`` whose titles ``user`` may learn (``policy.can_see_title``)."""
    if policy.acts_as_staff(user):
        return true()
    if not policy.is_signed_in(user):
        return false()
    return and_(model.is_published, model.programme_filter(policy.programmes_of(user)))


def readable(user, model: type[Gated], item_id: int, noun: str) -> Gated:
    """The ``model`` row ``item_id``, if ``user`` may read it: the feature is asked first (its
    refusal tells nothing of the row), then a missing row is NotFound, then ``require_read``."""
    policy.require(user, model.access_feature)
    item = db.session.get(model, item_id)
    if item is None:
        raise NotFound(f"No such {noun}.")
    policy.require_read(user, item, noun)
    return item


def shown(user, item: Gated | None) -> Gated | None:
    """``item`` if ``user`` may learn of it, else None (for one related item on a page)."""
    return item if item is not None and policy.can_see_title(user, item) else None


def visible(user, items: Iterable[Gated]) -> list[Gated]:
    """The items ``user`` may learn of (for lists of related items on a page or in the API)."""
    return [item for item in items if policy.can_see_title(user, item)]


def offered(user, item: Gated | None) -> Gated | None:
    """``item`` if ``user`` may open it, else None: for a related item a page or notice tells
    them to act on (install a replacement or fix), which must never be one they cannot open."""
    return item if item is not None and policy.can_read(user, item) else None


def plan_that_opens(user, item: Gated | None) -> str | None:
    """The lowest plan on which ``user`` would open ``item``, when only their plan stands
    between them and an item they may learn of (``policy.can_see_title``); None otherwise
    (they open it already, or may not learn of it, or something else refuses them)."""
    if item is None or not policy.can_see_title(user, item):
        return None
    denial = policy.read_denial(user, item)
    if denial is None or denial.reason != "plan":
        return None
    return max(denial.required_plan or item.min_plan, item.min_plan, key=plans.plan_rank)


@dataclass(frozen=True)
class Offer:
    """What one reader is told of an item a page or notice asks them to act on (a withdrawn
    patch's replacement, an alert's fix): the item, only if they may open it; else the plans it
    is available on, only if they may learn of it; else neither, as if there were none."""

    item: Gated | None = None
    on_plan: str | None = None

    @property
    def on_plans_phrase(self) -> str:
        """'Premium and Elite': the plans the item is available on, when it is not offered."""
        return plans.plans_phrase(self.on_plan) if self.on_plan else ""


def offer(user, item: Gated | None) -> Offer:
    return Offer(offered(user, item), plan_that_opens(user, item))
