"""What people type, read as a Whoosh query over a few text fields, and the filters beside it.

Nothing typed can widen the gate: the parser knows no field syntax (``min_plan:xtreme`` is two
words), no wildcards but ``word*`` prefixes, no ranges, no ``*:*``; the filters people may type
(``kb.search.typed``) are cut out first and only ever narrow.
"""

from __future__ import annotations

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
from whoosh.query import And, NullQuery, Or, Query, Term, Wildcard
from whoosh.searching import Searcher

from kb.products.names import slugify
from kb.search.results import SearchRequest
from kb.search.typed import clean, plain_words, type_name
from kb.search.whoosh import ranking

TEXT_FIELDS = ("title", "summary", "body", "identifiers")


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


def parse_text(searcher: Searcher, text: str, every_word: bool = False) -> tuple[Query, bool]:
    """The user's query and whether it fell back to plain words."""
    cleaned = clean(text)
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


def relaxable(text: str) -> bool:
    """Plain words, several of them: worth searching again for any of them. A word typed
    whole, such as ERP-4802, is one word even though it is indexed as two."""
    return len(ranking.TYPED_WORD.findall(text)) > 1 and not ranking.OPERATOR.search(text)


def filter_query(request: SearchRequest, typed: dict[str, list[str]]) -> Query | None:
    """The narrowing the reader chose (typed or picked): every group must hold."""

    groups: list[Query] = []
    types = [*request.types, *typed.get("type", [])]
    products = [*request.products, *typed.get("product", [])]
    versions = [*request.versions, *typed.get("version", [])]
    kinds = [*request.kinds, *typed.get("kind", [])]
    if types:
        groups.append(Or([Term("type", type_name(value)) for value in types]))
    if products:
        groups.append(Or([Term("products", slugify(value)) for value in products]))
    if versions:
        groups.append(Or([query for value in versions
                          for query in _version_queries(value, products)]))
    if kinds:
        groups.append(Or([Term("kind", value.lower()) for value in kinds]))
    return And(groups) if groups else None


def narrowed(query: Query, narrowing: Query | None) -> Query:
    if query is NullQuery:
        return narrowing or NullQuery
    return And([query, narrowing]) if narrowing is not None else query


def _version_queries(value: str, products: list[str]) -> list[Query]:
    """``product@version`` as it is; a bare version is of the products the reader filters by,
    or of any product when they filter by none."""

    value = value.lower().strip()
    if "@" in value:
        return [Term("versions", value)]
    if products:
        return [Term("versions", f"{slugify(product)}@{value}") for product in products]
    return [Wildcard("versions", "*@" + value.replace("*", "").replace("?", ""))]
