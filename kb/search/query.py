"""The query layer: what people type becomes a Whoosh query over a few text fields, always
run inside the reader's gate (``policy.read_scope``) so that ranking, totals, pages, facets,
snippets, spelling suggestions and autocomplete only ever see documents the reader may open.

Nothing typed can widen the gate: the parser knows no field syntax (``min_plan:xtreme`` is two
words), no wildcards but ``word*`` prefixes, no ranges, no ``*:*``; the filters people may type
(``product:``, ``version:``, ``kind:``, ``type:``) are cut out first and only ever narrow.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain

from markupsafe import Markup, escape
from whoosh.qparser import (
    AndGroup,
    BoostPlugin,
    EveryPlugin,
    FieldsPlugin,
    MultifieldPlugin,
    OrGroup,
    PrefixPlugin,
    QueryParser,
    RangePlugin,
    WildcardPlugin,
)
from whoosh.query import And, NullQuery, Or, Prefix, Query, Term, Wildcard
from whoosh.searching import Searcher

from kb import plans, policy
from kb.products.names import slugify
from kb.search import evaluate, gates, index, ranking, snippets
from kb.search.schema import FacetKeywords, prefix_analyzer

TEXT_FIELDS = ("title", "summary", "body", "identifiers")
# typed filters: `product:orbit-erp`, `type:release-note`, `version:"12.0"`, `kind:how-to`
TYPED_FILTER = re.compile(r'(?i)(?<![\w:])(product|version|kind|type):(?:"([^"]*)"|([^\s"]+))')
# a prefix needs two characters before the star; shorter stars are dropped
SHORT_PREFIX = re.compile(r"(?<!\w)(\w?)\*+")
OPERATORS = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[()\"'*^~:]")
FACET_FIELDS = {"type": "type", "product": "products", "version": "versions", "kind": "kind"}
FACET_ATTRIBUTES = {"type": "types", "product": "products", "version": "versions",
                    "kind": "kinds"}
SNIPPET_CHARACTERS = 240
LOCKED_ENTRIES = 5
SPELLING_BELOW = 3  # offer "did you mean" when fewer results than this
# plain words are first searched all together; with fewer results than this, any of them
RELAX_BELOW = 10


@dataclass(frozen=True)
class SearchRequest:
    """One search as asked: the typed text and the filters chosen beside it."""

    text: str = ""
    types: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    sort: str = "relevance"  # or "date": newest first
    page: int = 1
    per_page: int = 20

    @property
    def asks_something(self) -> bool:
        return bool(self.text.strip() or self.types or self.products or self.versions
                    or self.kinds)

    def arguments(self, **changes) -> dict:
        """URL arguments of this search with ``changes`` (for links to facets and pages)."""
        values = {"q": self.text, "type": list(self.types), "product": list(self.products),
                  "version": list(self.versions), "kind": list(self.kinds), "sort": self.sort,
                  "page": self.page}
        values.update(changes)
        return {name: value for name, value in values.items()
                if value not in ("", [], None) and not (name == "page" and value == 1)
                and not (name == "sort" and value == "relevance")}

    def toggled(self, facet: str, value: str) -> dict:
        """Arguments with ``value`` added to or removed from the chosen ``facet`` filter."""
        chosen = list(getattr(self, FACET_ATTRIBUTES[facet]))
        chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
        return self.arguments(**{facet: chosen, "page": 1})


@dataclass
class Hit:
    key: str
    type: str
    item_id: int
    title: str
    url: str
    snippet: Markup
    updated: datetime | None
    products: list[str]
    kind: str


@dataclass
class LockedHit:
    """A readable title of an item above the reader's plan: never a snippet or summary."""

    type: str
    title: str
    required_plan: str


@dataclass
class SearchResults:
    request: SearchRequest
    total: int = 0
    page: int = 1
    pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    locked: list[LockedHit] = field(default_factory=list)
    plain_terms: bool = False  # the query could not be read as written; its words were used


def _restricted(parser: QueryParser) -> QueryParser:
    for plugin in (FieldsPlugin, WildcardPlugin, RangePlugin, BoostPlugin, EveryPlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(PrefixPlugin())
    return parser


def text_parser(schema, every_word: bool = False) -> QueryParser:
    """The parser for what people type: words, "phrases", AND/OR/NOT, (groups), prefix*.
    Words without operators must all match when ``every_word``, else any of them."""
    parser = QueryParser(None, schema, group=AndGroup if every_word else OrGroup)
    parser.add_plugin(MultifieldPlugin(list(TEXT_FIELDS), fieldboosts=ranking.FIELD_BOOSTS,
                                       group=ranking.WordGroup))
    return _restricted(parser)


def title_parser(schema) -> QueryParser:
    return _restricted(QueryParser("title", schema, group=OrGroup.factory(0.9)))


def split_typed_filters(text: str) -> tuple[str, dict[str, list[str]]]:
    """Cut ``product:``/``version:``/``kind:``/``type:`` filters out of the typed text. An
    empty one (``type:""``) is cut out and narrows nothing, like an empty filter picked."""
    found: dict[str, list[str]] = {}

    def take(match: re.Match) -> str:
        quoted, bare = match.group(2), match.group(3)
        value = (quoted if quoted is not None else bare).strip()
        if value:
            found.setdefault(match.group(1).lower(), []).append(value)
        return " "

    return TYPED_FILTER.sub(take, text), found


def _clean(text: str) -> str:
    return SHORT_PREFIX.sub(r"\1", text).strip()


def plain_words(text: str) -> str:
    """The words of a query without any syntax (the fallback for what cannot be parsed)."""
    return " ".join(OPERATORS.sub(" ", text).split())


def parse_text(searcher: Searcher, text: str, every_word: bool = False) -> tuple[Query, bool]:
    """The user's query and whether it fell back to plain words."""
    cleaned = _clean(text)
    if not cleaned:
        return NullQuery, False
    parser = text_parser(searcher.schema, every_word)
    try:
        parsed = ranking.parse(parser, cleaned)
        if parsed is not NullQuery:
            return parsed, False
    except Exception:  # noqa: BLE001 - any parse failure falls back to plain words
        pass
    words = plain_words(cleaned)
    if not words:
        return NullQuery, True
    return ranking.parse(parser, words.lower()), True


def _filter_query(request: SearchRequest, typed: dict[str, list[str]]) -> Query | None:
    """The narrowing the reader chose (typed or picked): every group must hold."""

    groups: list[Query] = []
    types = [*request.types, *typed.get("type", [])]
    products = [*request.products, *typed.get("product", [])]
    versions = [*request.versions, *typed.get("version", [])]
    kinds = [*request.kinds, *typed.get("kind", [])]
    if types:
        groups.append(Or([Term("type", _type_name(value)) for value in types]))
    if products:
        groups.append(Or([Term("products", slugify(value)) for value in products]))
    if versions:
        groups.append(Or([query for value in versions
                          for query in _version_queries(value, products)]))
    if kinds:
        groups.append(Or([Term("kind", value.lower()) for value in kinds]))
    return And(groups) if groups else None


def _type_name(value: str) -> str:
    value = value.lower().strip()
    return value[:-1] if value.endswith("s") and value != "s" else value


def _version_queries(value: str, products: list[str]) -> list[Query]:
    """``product@version`` as it is; a bare version is of the products the reader filters by,
    or of any product when they filter by none."""

    value = value.lower().strip()
    if "@" in value:
        return [Term("versions", value)]
    if products:
        return [Term("versions", f"{slugify(product)}@{value}") for product in products]
    return [Wildcard("versions", "*@" + value.replace("*", "").replace("?", ""))]


def search(user, request: SearchRequest) -> SearchResults:
    """Search what ``user`` may read. Totals, facets and pages count only readable documents."""
    results = SearchResults(request=request, page=max(1, request.page))
    scope = policy.read_scope(user)
    if scope.nothing:
        return results
    searcher = index.searcher()
    text, typed = split_typed_filters(request.text)
    narrowing = _filter_query(request, typed)
    allowed = gates.readable(searcher, scope)
    if gates.admits_nothing(allowed) or not (text.strip() or narrowing):
        return results
    allowed_set = gates.readable_set(searcher, scope)
    weighting = ranking.weighting_for(text)
    query, results.plain_terms = parse_text(searcher, text, every_word=True)
    _run(searcher, _narrowed(query, narrowing), allowed_set, weighting, request, results)
    if results.total < RELAX_BELOW and _relaxable(text):
        query, results.plain_terms = parse_text(searcher, text)
        if request.sort == "relevance" and not results.plain_terms:
            query = ranking.with_feedback(searcher, query, text, allowed_set)
        _run(searcher, _narrowed(query, narrowing), allowed_set, weighting, request, results)
    if text.strip() and results.total < SPELLING_BELOW:
        results.suggestion = _spelling(searcher, text, allowed_set)
    if results.page == 1 and text.strip() and policy.sees_locked_titles(user):
        results.locked = _locked(searcher, scope, text, narrowing)
    return results


def _narrowed(query: Query, narrowing: Query | None) -> Query:
    if query is NullQuery:
        return narrowing or NullQuery
    return And([query, narrowing]) if narrowing is not None else query


def _relaxable(text: str) -> bool:
    """Plain words, several of them: worth searching again for any of them. A word typed
    whole, such as ERP-4802, is one word even though it is indexed as two."""
    return len(ranking.TYPED_WORD.findall(text)) > 1 and not ranking.OPERATOR.search(text)


def _run(searcher: Searcher, query: Query, allowed: set[int] | None, weighting,
         request: SearchRequest, results: SearchResults) -> None:
    found = evaluate.matches(searcher, query, allowed, weighting)
    results.total = len(found)
    results.pages = (results.total + request.per_page - 1) // request.per_page
    results.page = max(1, min(request.page, results.pages))
    shown = _ranked(searcher, found, request.sort, results.page * request.per_page)
    shown = shown[(results.page - 1) * request.per_page:]
    words = _highlighted_words(searcher, query) if shown else frozenset()
    results.hits = [_hit(index.stored_fields(searcher, docnum), words) for docnum in shown]
    results.facets = _facets(searcher, found)


def _ranked(searcher: Searcher, found: dict[int, float], sort: str, limit: int) -> list[int]:
    """The first ``limit`` documents: by score (the earlier document first on a tie), or the
    most recently updated first."""
    if sort == "date":
        updated = _column(searcher, "updated")
        return heapq.nsmallest(limit, found, key=lambda docnum: (-(updated[docnum] or 0), docnum))
    return heapq.nsmallest(limit, found, key=lambda docnum: (-found[docnum], docnum))


def _facets(searcher: Searcher, matched) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet value over every matched (readable) document, read from the
    facet columns, kept per searcher: counting them inside Whoosh's collector cost more than
    the search itself."""
    facets = {}
    for name, fieldname in FACET_FIELDS.items():
        values = map(_column(searcher, fieldname).__getitem__, matched)
        if isinstance(searcher.schema[fieldname], FacetKeywords):  # a list per document
            values = chain.from_iterable(values)
        counts = Counter(values)
        counts.pop(None, None)
        counts.pop("", None)
        facets[name] = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return facets


def _column(searcher: Searcher, fieldname: str) -> list:
    """Every document's value of a facet column, read once per searcher."""
    cache = searcher.__dict__.setdefault("_kb_columns", {})
    if fieldname not in cache:
        reader = searcher.reader()
        count = reader.doc_count_all()
        column = reader.column_reader(fieldname, translate=False) if count else []
        lists = isinstance(searcher.schema[fieldname], FacetKeywords)
        cache[fieldname] = [_decoded(_value(column, docnum), lists) for docnum in range(count)]
    return cache[fieldname]


def _value(column, docnum: int):
    try:
        return column[docnum]
    except IndexError:  # a segment whose last documents lack the field stores no value
        return None


def _decoded(value, lists: bool):
    if lists:
        return [item.decode("utf-8") for item in value or ()]
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _highlighted_words(searcher: Searcher, query: Query) -> frozenset[str]:
    """The query's words in the text fields, prefixes expanded to the words the index holds:
    the words a snippet marks where it finds them. (Collecting each hit's own matched words
    costs a step for every matching document, not only for the ten shown.)"""
    terms = query.existing_terms(searcher.reader(), phrases=True, expand=True)
    return frozenset(text.decode("utf-8") if isinstance(text, bytes) else text
                     for fieldname, text in terms if fieldname in ranking.FIELD_WEIGHTS)


def _hit(stored: dict, words: frozenset[str]) -> Hit:
    snippet = snippets.snippet(stored.get("body") or "", words)
    if not snippet:
        fallback = stored.get("summary") or stored.get("body") or ""
        snippet = escape(_shorten(fallback, SNIPPET_CHARACTERS))
    return Hit(
        key=stored["key"], type=stored["type"], item_id=int(stored["item_id"]),
        title=stored["title"], url=stored["url"], snippet=Markup(snippet),
        updated=stored.get("updated"), kind=stored.get("kind") or "",
        products=[p for p in (stored.get("products") or "").split(",") if p],
    )


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text[: limit * 2].split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _spelling(searcher: Searcher, text: str, allowed: set[int] | None) -> str | None:
    """A corrected query whose every corrected word is found in a document the reader may
    read. The vocabulary is the index's title words (unstemmed); a word only readers of other
    items could know is never offered."""
    parser = text_parser(searcher.schema)
    corrector = searcher.corrector(searcher.schema["title"].spelling_fieldname("title"))
    changed = False

    def correct(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word.isupper() or _found(searcher, parser, word, allowed):
            return word
        for candidate in corrector.suggest(word.lower(), limit=5, maxdist=2, prefix=1):
            if _found(searcher, parser, candidate, allowed):
                changed = True
                return candidate
        return word

    corrected = re.sub(r"(?<![\w*])[^\W\d_]{3,}(?![\w*])", correct, text)
    return " ".join(corrected.split()) if changed else None


def _found(searcher: Searcher, parser: QueryParser, word: str, allowed: set[int] | None
           ) -> bool:
    """Whether a document the reader may read has ``word``: stops at the first one."""
    query = parser.parse(word)
    for subsearcher, offset in searcher.leaf_searchers():
        matcher = query.matcher(subsearcher, subsearcher.boolean_context())
        while matcher.is_active():
            if allowed is None or offset + matcher.id() in allowed:
                return True
            matcher.next()
    return False


def _locked(searcher: Searcher, scope: policy.ReadScope, text: str,
            narrowing: Query | None) -> list[LockedHit]:
    """Titles of published items the reader's plan does not reach, matched on the title only
    in a query of its own: they never count in totals or facets and show no text but the
    title."""
    locked = gates.locked(searcher, scope)
    if locked is None or gates.admits_nothing(locked):
        return []
    try:
        query = title_parser(searcher.schema).parse(_clean(plain_words(text)))
    except Exception:  # noqa: BLE001 - no locked entries for what cannot be parsed
        return []
    if narrowing is not None:
        query = And([query, narrowing])
    entries = []
    for hit in searcher.search(query, limit=LOCKED_ENTRIES, filter=locked):
        feature = plans.feature(hit["feature"])
        needed = max(hit["min_plan"], feature.lowest_plan, key=plans.plan_rank)
        entries.append(LockedHit(type=hit["type"], title=hit["title"], required_plan=needed))
    return entries


@dataclass(frozen=True)
class TitleSuggestion:
    title: str
    url: str
    type: str


def suggest_titles(user, text: str, limit: int = 8) -> list[TitleSuggestion]:
    """Titles the reader may open that start with the typed words (the last one a prefix)."""
    words = [token.text for token in prefix_analyzer(text)]
    scope = policy.read_scope(user)
    if not words or len("".join(words)) < 2 or scope.nothing:
        return []
    searcher = index.searcher()
    allowed = gates.readable(searcher, scope)
    if gates.admits_nothing(allowed):
        return []
    query = And([*(Term("title_prefix", word) for word in words[:-1]),
                 Prefix("title_prefix", words[-1])])
    found = searcher.search(query, limit=limit, filter=allowed)
    return [TitleSuggestion(hit["title"], hit["url"], hit["type"]) for hit in found]

