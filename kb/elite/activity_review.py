"""The support activity review (Elite): for one organisation and a period, every incident with
who logged it, summaries of the open and the closed ones, how often the response target was
met, the products with most incidents and the articles linked to them. Read only; the page, the
CSV and the PDF are made from the same ``ActivityReview``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from kb import db, gating, policy
from kb.accounts.models import Organization
from kb.articles.models import Article
from kb.db import utcnow
from kb.elite import csm as csms
from kb.errors import Invalid, NotFound
from kb.support import response_clocks
from kb.support.models import OPEN_STATUSES, Incident

FEATURE = "activity_review"
DEFAULT_DAYS = 90
LONGEST_PERIOD_DAYS = 3 * 366
TOP = 5


@dataclass(frozen=True)
class ReviewedIncident:
    incident: Incident
    # one per response clock (its logging, then each reopening): met, missed, pending,
    # withdrawn (the customer closed it before a response), none (no target)
    outcomes: tuple[str, ...]
    articles: tuple[Article, ...] = ()  # the linked articles the reader may learn of

    @property
    def target(self) -> str:
        """The outcome of the latest clock."""
        return self.outcomes[-1]

    @property
    def reporter(self) -> str:
        reporter = self.incident.reporter
        return reporter.display_name if reporter else "a former user"


@dataclass(frozen=True)
class ActivityReview:
    organization: Organization
    start: date
    end: date  # inclusive
    incidents: list[ReviewedIncident]
    linked_articles: list[tuple[Article, int]]

    @property
    def logged(self) -> int:
        return sum(1 for r in self.incidents if self._in_period(r.incident.created_at))

    @property
    def open(self) -> list[ReviewedIncident]:
        return [r for r in self.incidents if r.incident.status in OPEN_STATUSES]

    @property
    def closed(self) -> list[ReviewedIncident]:
        return [r for r in self.incidents if r.incident.status not in OPEN_STATUSES]

    @property
    def attainment(self) -> dict[str, int]:
        """Every response clock counted: an incident reopened twice counts three."""
        counted = Counter(outcome for r in self.incidents for outcome in r.outcomes)
        return {outcome: counted.get(outcome, 0) for outcome in response_clocks.OUTCOMES}

    @property
    def attainment_rate(self) -> float | None:
        """Met targets among the decided ones (met or missed); None when none is decided."""
        met, missed = self.attainment["met"], self.attainment["missed"]
        return met / (met + missed) if met + missed else None

    @property
    def top_products(self) -> list[tuple[str, int]]:
        return Counter(r.incident.product.name for r in self.incidents).most_common(TOP)

    @property
    def by_severity(self) -> dict[int, int]:
        counted = Counter(r.incident.severity for r in self.incidents)
        return {severity: counted.get(severity, 0) for severity in (1, 2, 3, 4)}

    def _in_period(self, moment: datetime) -> bool:
        return self.start <= moment.astimezone(UTC).date() <= self.end


def organization_for(reader, organization_id: int | None) -> Organization:
    """The organisation whose review ``reader`` may see: their own (Elite, within the term) at
    the customer's address (``organization_id`` None), any at the staff address."""
    if organization_id is not None:
        policy.require_staff(reader)
        found = db.session.get(Organization, organization_id)
        if found is None:
            raise NotFound("No such organisation.")
        return found
    policy.require(reader, FEATURE)
    return csms.own_organization(reader)


def period(start: str | None, end: str | None) -> tuple[date, date]:
    """The period asked for (ISO dates, both inclusive); by default the last 90 days."""
    try:
        last = date.fromisoformat(end) if end else policy.today()
        first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise Invalid("Dates are written YYYY-MM-DD.") from None
    if first > last:
        raise Invalid("The period starts after it ends.")
    if (last - first).days > LONGEST_PERIOD_DAYS:
        raise Invalid("A review covers at most three years.")
    return first, last


def review(reader, organization: Organization, start: date, end: date) -> ActivityReview:
    """Every incident logged in the period or still open during it."""
    opens = datetime.combine(start, time(0), tzinfo=UTC)
    closes = datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC)
    incidents = db.session.scalars(
        select(Incident).options(selectinload(Incident.articles),
                                 selectinload(Incident.clocks))
        .where(Incident.organization_id == organization.id, Incident.created_at < closes,
               or_(Incident.created_at >= opens, Incident.resolved_at.is_(None),
                   Incident.resolved_at >= opens))
        .order_by(Incident.created_at, Incident.id)).all()
    now = utcnow()
    reviewed = [ReviewedIncident(incident, target_outcomes(incident, now),
                                 tuple(gating.visible(reader, incident.articles)))
                for incident in incidents]
    return ActivityReview(organization, start, end, reviewed,
                          _linked_articles(reader, incidents))


def target_outcomes(incident: Incident, now: datetime) -> tuple[str, ...]:
    """The outcome of each of the incident's response clocks (``kb.support.response_clocks``);
    a finished incident has none pending."""
    return tuple(response_clocks.outcome(clock, now) for clock in incident.clocks) or ("none",)


def _linked_articles(reader, incidents: list[Incident]) -> list[tuple[Article, int]]:
    counted = Counter(article.id for incident in incidents for article in incident.articles)
    articles = {article.id: article for incident in incidents for article in incident.articles}
    readable = gating.visible(reader, articles.values())
    return sorted(((article, counted[article.id]) for article in readable),
                  key=lambda pair: (-pair[1], pair[0].title))
