"""Whether a digest entry may still be listed when its digest leaves. An entry waits up to a
day, and meanwhile the item its link opens (a question, an article or release note, a patch,
an alert, a recording, a space) may have become unreadable to its recipient: hidden, put back
to draft, archived, raised above their plan. So each entry's link is matched to the page it
opens, the items are loaded one query per kind for the whole digest, and the policy judges
each again for the recipient. An entry whose link opens no gated item (a session, an
incident, the settings) is kept; one whose item is gone is left out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from kb import db, policy
from kb.alerts.alert_models import Alert
from kb.alerts.models import DigestItem
from kb.articles.models import Article, SlugRedirect
from kb.community.models import Question, Space
from kb.patches.models import Patch
from kb.sessions.models import Recording


def _readable(user, item) -> bool:
    return policy.can_read(user, item)


def _patch_readable(user, patch: Patch) -> bool:
    """As the patch's page opens it: a withdrawn one to those whose plan could read it."""
    return policy.read_denial(user, patch, retired_too=True) is None


def _question_readable(user, question: Question) -> bool:
    """As the question's page opens it: a merged one leads to the question it lives in."""
    seen = set()
    while question.status == "merged" and question.merged_into and question.id not in seen:
        seen.add(question.id)
        question = question.merged_into
    return policy.can_read(user, question)


@dataclass(frozen=True)
class Page:
    """A page that shows one gated item, named in its address by ``argument``."""

    argument: str
    load: Callable[[set], dict]  # the items of the given keys, by key (one query)
    readable: Callable[[object, object], bool] = _readable


def _by_id(model, *options) -> Callable[[set], dict]:
    def load(keys: set) -> dict:
        return {item.id: item for item in db.session.scalars(
            select(model).where(model.id.in_(keys)).options(*options))}
    return load


def _space_by_slug(keys: set) -> dict:
    return {space.slug: space for space in db.session.scalars(
        select(Space).where(Space.slug.in_(keys)))}


def _article_by_slug(keys: set) -> dict:
    """By slug, or by a former slug its page redirects from."""
    rows = db.session.execute(
        select(Article, SlugRedirect.old_slug)
        .outerjoin(SlugRedirect, SlugRedirect.article_id == Article.id)
        .where(or_(Article.slug.in_(keys), SlugRedirect.old_slug.in_(keys))))
    found = {}
    for article, old_slug in rows:
        found[article.slug] = article
        if old_slug is not None:
            found[old_slug] = article
    return found


PAGES: dict[str, Page] = {
    "community.question": Page("question_id", _by_id(Question, selectinload(Question.space)),
                                 _question_readable),
    "community.space": Page("slug", _space_by_slug),
    "articles.show": Page("slug", _article_by_slug),
    "articles.release_note": Page("slug", _article_by_slug),
    "patches.show": Page("patch_id", _by_id(Patch), _patch_readable),
    "alerts.alert": Page("alert_id", _by_id(Alert)),
    "recordings.show": Page("recording_id", _by_id(Recording)),
}


def _page_of(url: str) -> tuple[Page, object] | None:
    """The gated page ``url`` opens and the key of its item; None for any other address."""
    path = urlsplit(url).path
    if not path.startswith("/"):
        return None
    try:
        endpoint, arguments = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:  # no page, or a redirect to one: nothing gated to judge
        return None
    page = PAGES.get(endpoint)
    return (page, arguments[page.argument]) if page is not None else None


def still_readable(user, items: Iterable[DigestItem]) -> list[DigestItem]:
    """The entries ``user`` may still be shown: those whose link opens an item the policy
    lets them read now, and those whose link opens no gated item."""
    items = list(items)
    pages = {item.id: _page_of(item.url) for item in items}
    wanted: dict[Callable, set] = defaultdict(set)
    for found in pages.values():
        if found is not None:
            wanted[found[0].load].add(found[1])
    loaded = {load: load(keys) for load, keys in wanted.items()}

    def kept(item: DigestItem) -> bool:
        if pages[item.id] is None:
            return True
        page, key = pages[item.id]
        target = loaded[page.load].get(key)
        return target is not None and page.readable(user, target)

    return [item for item in items if kept(item)]
