"""The shown page of a search: its documents with ``ts_headline`` snippets, and for an item of
several documents (a recording) its matching moments.

``ts_headline`` marks words in text it does not escape, and drops what looks like an HTML tag;
it is given the text already escaped (``&``, ``<``, ``>`` and quotes), which it keeps as
entities, and marks with two private-use characters, removed from the text first, that become
``<mark>`` and ``</mark>`` once it is done: nothing but those marks is markup."""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from sqlalchemy import text
from sqlalchemy.engine import Connection

from kb.search.postgresql.schema import DOCUMENTS, STEMMED
from kb.search.postgresql.scoring import Scoring
from kb.search.results import Hit, Moment
from kb.search.typed import VERSION_PATTERN, version_parts

START, STOP = "\ue000", "\ue001"
WORD = re.compile(rf"{VERSION_PATTERN}|\w+")
# a version not already inside a mark
UNMARKED_VERSION = re.compile(rf"(?<![\w.{START}]){VERSION_PATTERN}(?![\w{STOP}])")
SNIPPET_CHARACTERS = 240
MOMENT_CHARACTERS = 160
MOMENTS_SHOWN = 5
# how much of a body a snippet is looked for in; two fragments of at most 18 words make about
# the SNIPPET_CHARACTERS of a Whoosh snippet
HEADLINE_CHARACTERS = 20_000
SNIPPET_OPTIONS = (f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=18, "
                   "MinWords=8, FragmentDelimiter=\" … \"")
MOMENT_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxFragments=1, MaxWords=25, MinWords=10"
# ranking is in two steps: every match by ``rank_words`` (the body's opening: cheap), then
# the first RERANKED of those by the whole document; beyond them the first rank holds
RERANKED = 200
BY_DATE = """
shown AS (SELECT *, row_number() OVER (ORDER BY updated DESC NULLS LAST, key) AS place
          FROM best ORDER BY place LIMIT :limit OFFSET :offset)"""
FIRST_ORDER = "rank DESC, key"
# the first RERANKED in the first order, ordered again by the whole document; after them the
# rest in the first order, only as far as the page asked (top-N sorts, not one of them all)
def by_relevance(scored: Scoring) -> str:
    return f"""
head AS (SELECT * FROM best ORDER BY {FIRST_ORDER} LIMIT {RERANKED}),
ordered AS (
    SELECT key, row_number() OVER (
               ORDER BY whole_rank DESC NULLS LAST, rank DESC, key) AS place
    FROM (SELECT head.*, (SELECT {scored.sql()} FROM {DOCUMENTS} AS d
                          WHERE d.key = head.key) AS whole_rank FROM head) AS reranked
    UNION ALL
    SELECT key, {RERANKED} + row_number() OVER (ORDER BY {FIRST_ORDER}) AS place
    FROM (SELECT * FROM best ORDER BY {FIRST_ORDER} OFFSET {RERANKED}
          LIMIT GREATEST(:offset + :limit - {RERANKED}, 0)) AS tail),
shown AS (SELECT * FROM ordered WHERE place > :offset ORDER BY place LIMIT :limit)"""


def escaped(column: str) -> str:
    """SQL of ``column``'s first HEADLINE_CHARACTERS characters, HTML-escaped, without the
    mark characters."""
    found = f"translate(left({column}, {HEADLINE_CHARACTERS}), chr(57344) || chr(57345), '')"
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"),
                              ("''", "&#39;")):
        found = f"replace({found}, '{character}', '{entity}')"
    return found


def headline(column: str, options_param: str) -> str:
    return (f"ts_headline('{STEMMED}', {escaped(column)}, CAST(:q AS tsquery), "
            f":{options_param})")


def marked(found: str | None, words: frozenset[str] = frozenset()) -> Markup | None:
    """A headline as HTML, or None when it marks nothing. A version found by one of its parts
    or leading versions (``words``: the typed ones), which ``ts_headline`` cannot tell, is
    marked too."""
    if not found:
        return None
    if words:
        found = UNMARKED_VERSION.sub(lambda version: _marked_version(version.group(0), words),
                                     found)
    if START not in found:
        return None
    return Markup(found.replace(START, "<mark>").replace(STOP, "</mark>"))


def _marked_version(version: str, words: frozenset[str]) -> str:
    if words.isdisjoint(version_parts(version.lower())):
        return version
    return f"{START}{version}{STOP}"


def typed_words(typed: str) -> frozenset[str]:
    """The words and versions typed, lower-cased: what a version in a snippet is marked for."""
    return frozenset(word.lower() for word in WORD.findall(typed))


def page(connection: Connection, matches, sort: str, limit: int, offset: int,
         words: frozenset[str] = frozenset()) -> list[Hit]:
    """The hits of one page of ``matches`` (``querying.Matches``); ``words`` typed."""
    snippet = headline("d.body", "snippet_options") if matches.query else "NULL"
    rows = connection.execute(text(f"""
WITH {matches.sql},
{BY_DATE if sort == "date" or not matches.query else by_relevance(matches.scored)}
SELECT d.key, d.item_key, d.type, d.item_id, d.title, d.url, d.updated, d.products, d.kind,
       d.summary, left(d.body, {SNIPPET_CHARACTERS * 2}) AS opening, {snippet} AS snippet
FROM shown JOIN {DOCUMENTS} AS d ON d.key = shown.key ORDER BY shown.place"""),
        {**matches.params, "limit": limit, "offset": offset,
         "snippet_options": SNIPPET_OPTIONS}).mappings().all()
    moments = _moments(connection, matches, [row["item_key"] for row in rows]) \
        if matches.query and rows else {}
    return [Hit(key=row["key"], type=row["type"], item_id=int(row["item_id"]),
                title=row["title"], url=row["url"],
                snippet=marked(row["snippet"], words) or escape(
                    shortened(row["summary"] or row["opening"] or "", SNIPPET_CHARACTERS)),
                updated=row["updated"], products=list(row["products"]), kind=row["kind"],
                moments=moments.get(row["item_key"], []))
            for row in rows]


def _moments(connection: Connection, matches, item_keys: list[str]
             ) -> dict[str, list[Moment]]:
    """The matching moments of these items (documents with a position): the MOMENTS_SHOWN
    best of each, in time order."""
    rows = connection.execute(text(f"""
WITH {matches.shown_sql},
parts AS (SELECT key, item_key, position, row_number() OVER (
              PARTITION BY item_key ORDER BY rank DESC, key) AS place
          FROM matched WHERE position IS NOT NULL)
SELECT parts.item_key, parts.position, d.url, left(d.body, {MOMENT_CHARACTERS * 2}) AS opening,
       {headline("d.body", "moment_options")} AS snippet
FROM parts JOIN {DOCUMENTS} AS d ON d.key = parts.key
WHERE parts.place <= {MOMENTS_SHOWN} ORDER BY parts.item_key, parts.position"""),
        {**matches.params, "shown": item_keys, "moment_options": MOMENT_OPTIONS}).all()
    found: dict[str, list[Moment]] = {}
    for item_key, position, url, opening, snippet in rows:
        passage = marked(snippet) or escape(shortened(opening or "", MOMENT_CHARACTERS))
        found.setdefault(item_key, []).append(Moment(seconds=int(position), url=url,
                                                     snippet=passage))
    return found


def shortened(text_: str, limit: int) -> str:
    text_ = " ".join(text_.split())
    return text_ if len(text_) <= limit else text_[:limit].rsplit(" ", 1)[0] + " …"
