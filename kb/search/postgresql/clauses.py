"""The SQL pieces every query shares: the reader's gate (``policy.ReadScope``, as
``kb.search.gates`` states it for Whoosh), the filters chosen or typed beside the words, the
text queries (all words, any word).

A clause is SQL over the documents table aliased ``d`` with its named parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Connection

from kb import plans
from kb.gating import PROGRAMME_KEY_PREFIX, programme_key
from kb.policy import ReadScope
from kb.products.names import slugify
from kb.search import backend
from kb.search.postgresql.schema import STEMMED
from kb.search.results import SearchRequest
from kb.search.typed import type_name

# a word as typed, between spaces (ERP-4802 is one); query syntax of websearch_to_tsquery
TYPED_WORD = re.compile(r"\S*\w\S*")
DASH = re.compile(r"(?<=\w)-(?=\w)")
OPERATOR = re.compile(r"\"|(?:^|\s)-\w|\bor\b", re.I)


@dataclass
class Clause:
    sql: str = "TRUE"
    params: dict = field(default_factory=dict)

    def __and__(self, other: Clause) -> Clause:
        return Clause(f"({self.sql}) AND ({other.sql})", {**self.params, **other.params})


def visible_to_customers() -> Clause:
    return Clause("d.status = 'published' AND d.visible_from <= :gate_now",
                  {"gate_now": backend.gate_now()})


def readable(scope: ReadScope) -> Clause:
    """The documents ``scope`` may open; staff every one."""
    if scope.everything:
        return Clause()
    features = [*sorted(scope.features), *(programme_key(programme)
                                           for programme in sorted(scope.programmes))]
    return Clause("d.feature = ANY(CAST(:gate_features AS text[])) "
                  "AND d.min_plan = ANY(CAST(:gate_plans AS text[]))",
                  {"gate_features": features, "gate_plans": list(scope.plans)}
                  ) & visible_to_customers()


def locked(scope: ReadScope) -> Clause:
    """Published, visible documents ``scope`` may not open, never a programme's (which do not
    exist for anyone outside it)."""
    allowed = readable(scope)
    # what the reader lacks, named: a plan or a feature (btree indexes find those few)
    other_plans = [plan for plan in plans.PLANS if plan not in scope.plans]
    other_features = [feature.key for feature in plans.FEATURES
                      if feature.key not in scope.features]
    return visible_to_customers() & Clause(
        f"d.feature NOT LIKE '{PROGRAMME_KEY_PREFIX}%' AND NOT ({allowed.sql}) AND "
        "(d.min_plan = ANY(CAST(:other_plans AS text[])) "
        "OR d.feature = ANY(CAST(:other_features AS text[])))",
        {**allowed.params, "other_plans": other_plans, "other_features": other_features})


def narrowing(request: SearchRequest, typed: dict[str, list[str]]) -> Clause | None:
    """The filters the reader chose or typed: every group must hold."""
    types = [type_name(value) for value in [*request.types, *typed.get("type", [])]]
    products = [slugify(value) for value in [*request.products, *typed.get("product", [])]]
    versions = [value.lower().strip() for value in [*request.versions,
                                                    *typed.get("version", [])]]
    kinds = [value.lower() for value in [*request.kinds, *typed.get("kind", [])]]
    clauses = []
    if types:
        clauses.append(Clause("d.type = ANY(CAST(:types AS text[]))", {"types": types}))
    if products:
        clauses.append(Clause("d.products && CAST(:products AS text[])",
                              {"products": products}))
    if versions:
        clauses.append(_versions(versions, products))
    if kinds:
        clauses.append(Clause("d.kind = ANY(CAST(:kinds AS text[]))", {"kinds": kinds}))
    if not clauses:
        return None
    found = clauses[0]
    for clause in clauses[1:]:
        found = found & clause
    return found


def _versions(values: list[str], products: list[str]) -> Clause:
    """``product@version`` as it is; a bare version is of the products the reader filters by,
    or of any product when they filter by none."""
    exact = [value for value in values if "@" in value]
    bare = [value for value in values if "@" not in value]
    if products:
        exact += [f"{product}@{value}" for value in bare for product in products]
        bare = []
    return Clause("d.versions && CAST(:exact_versions AS text[]) OR EXISTS ("
                  "SELECT 1 FROM unnest(d.versions) AS version "
                  "WHERE split_part(version, '@', 2) = ANY(CAST(:bare_versions AS text[])))",
                  {"exact_versions": exact, "bare_versions": bare})


@dataclass(frozen=True)
class TextQuery:
    """What was typed, as tsquery texts: ``every`` word (with the typed syntax), ``any``
    word, each word's own query once (``words``) and as often as it was typed (``typed``)."""

    every: str
    any: str
    words: tuple[str, ...]
    typed: tuple[str, ...] = ()


def text_query(connection: Connection, typed: str) -> TextQuery:
    typed = undashed(typed)
    every = connection.scalar(text(f"SELECT CAST(websearch_to_tsquery('{STEMMED}', :typed) "
                                   "AS text)"), {"typed": typed}) or ""
    each = word_queries(connection, TYPED_WORD.findall(typed), once=False)
    words = list(dict.fromkeys(each))
    return TextQuery(every, " | ".join(f"({word})" for word in words), tuple(words),
                     tuple(each))


def word_queries(connection: Connection, words: list[str], once: bool = True) -> list[str]:
    """Each word's tsquery text, none for a stop word; each once unless not ``once``."""
    if not words:
        return []
    found = [query for query in connection.scalars(text(
        f"SELECT CAST(websearch_to_tsquery('{STEMMED}', word) AS text) "
        "FROM unnest(CAST(:words AS text[])) WITH ORDINALITY AS typed(word, place) "
        "ORDER BY place"), {"words": words}) if query]
    return list(dict.fromkeys(found)) if once else found


def undashed(typed: str) -> str:
    """Dashed words as their parts: "boundary-layer" finds "boundary layer" too (PostgreSQL
    indexes a dashed word whole and as its parts, and reads a typed one as all three in a
    row, which the words apart do not have)."""
    return DASH.sub(" ", typed)


def any_word(connection: Connection, typed: str) -> str:
    """A tsquery text matching any plain word of ``typed`` (empty when none)."""
    words = word_queries(connection, re.findall(r"\w+", typed))
    return " | ".join(f"({word})" for word in words)


def relaxable(typed: str) -> bool:
    """Plain words, several of them: worth searching again for any of them."""
    return len(TYPED_WORD.findall(typed)) > 1 and not OPERATOR.search(typed)
