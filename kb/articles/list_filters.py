"""The filters of the knowledge base and the release notes, read alike by their pages and the
API: a value no item can have is refused (``kb.filter_values.UnknownFilter``), never
answered with an empty list."""

from __future__ import annotations

from kb import filter_values
from kb.articles import queries
from kb.articles.models import KINDS
from kb.forms import sent_value

FIELDS = ("product", "version", "kind", "tag")


def checked(user, arguments, type_: str, tags: list[str] | None = None) -> queries.Filters:
    """The filters ``arguments`` ask for, each value one an item can have; ``tags``: the tags
    in use (``queries.tags_in_use``) when the caller has them already."""
    tag = sent_value(arguments, "tag")
    if tags is None and filter_values.stripped(tag):
        tags = queries.tags_in_use(user)
    return queries.Filters(
        type=type_,
        **filter_values.product_and_version_of(user, arguments),
        kind=filter_values.one_of("kind", sent_value(arguments, "kind"), KINDS),
        tag=filter_values.known_name("tag", tag, tags or ()))

