"""The index schema: one document per searchable item (or per part of one, such as a
transcript segment). Changing a field means raising SCHEMA_VERSION: an index written with
another version is rebuilt, never misread."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from whoosh import columns, formats
from whoosh.analysis import (
    CharsetFilter,
    Composable,
    Filter,
    KeywordAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    Token,
)
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map

from kb.search.typed import VERSION_PATTERN, release_abbreviations, version_parts

SCHEMA_VERSION = 7

# English function words and question words: a question ("how do I ...", "what is the ...")
# must rank by its content words, not by rare-looking words such as "what"
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either else
ever few for from further had has have having he her here hers herself him himself his how
i if in into is it its itself just may me might more most must my myself no nor not now of
off on once only or other ought our ours ourselves out over own same shall she should so
some such than that the their theirs them themselves then there these they this those
through to too under until up upon us very was we were what when where whether which while
who whom whose why will with within without would yet you your yours yourself yourselves
""".split())

# words; dashed ones are split ("boundary-layer" is found by "boundary layer", KB-1042 by its
# parts, in a row for a quoted phrase; the identifiers field keeps them whole). A dotted word
# with digits in each part is a version (12.0, 2026.1, 10.0.17763, v2.1): indexed whole and,
# at the same position, as its parts, so that "12.0" finds 12.0 only (not a 12 and a 0 apart)
# and "2026" still finds 2026.1; its leading versions too, so "12.4" finds 12.4.1. (CU1 is one
# word anyway; "cumulative update 1" is also indexed as cu1 where it starts, and 12.0CU1 as
# 12.0 and cu1: ``kb.search.typed.release_abbreviations``.)
WORD_PATTERN = rf"{VERSION_PATTERN}|\w+"


WORD = re.compile(WORD_PATTERN)


@lru_cache(maxsize=200_000)
def stemmed(word: str) -> str:
    return porter_stem(word)


@lru_cache(maxsize=300_000)
def normalized(word: str) -> str | None:
    """A word as the text fields index it: lower-cased, accents folded, stemmed; None for a
    stop word. Cached per word as written, since indexing sees the same words again and again."""
    folded = word.lower().translate(accent_map)
    return None if folded in STOP_WORDS else stemmed(folded)


@lru_cache(maxsize=200_000)
def _indexed_as(written: str) -> tuple[str | None, tuple[str, ...]]:
    """A word as written: how it is indexed, and the parts a version is also indexed as;
    worked out once per word, not per occurrence (indexing sees the same words again and
    again)."""
    parts = dict.fromkeys(map(normalized, version_parts(written)))
    return normalized(written), tuple(part for part in parts if part)


@lru_cache(maxsize=100_000)
def indexed_forms(word: str) -> frozenset[str]:
    """Every term a word as written is indexed as (a version's parts too); empty for a stop
    word."""
    forms = {normalized(word), *map(normalized, version_parts(word.lower()))}
    forms.discard(None)
    return frozenset(forms)


class WordsAnalyzer(Composable):
    """Words, lower-cased, accents folded, stop words dropped, stemmed (Porter): what
    RegexTokenizer | LowercaseFilter | CharsetFilter | StopFilter | StemFilter do, in one
    pass, about twice as fast (indexing 50,000 articles is mostly this). Honours Whoosh's
    analyzer arguments: positions, chars, removestops, tokenize, and no_morph (spelling).
    A version is indexed whole and as its parts at its position; a query asks for it whole."""

    is_morph = True

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 no_morph=False, **keywords):
        token = Token(positions, chars, removestops=removestops, mode=mode, **keywords)
        matches = WORD.finditer(value) if tokenize else [re.match(r"(?s).*", value)]
        releases = release_abbreviations(value) if tokenize and mode != "query" else {}
        position = start_pos
        for match in matches:
            word = match.group(0).lower().translate(accent_map)
            token.stopped = word in STOP_WORDS
            if token.stopped and removestops:
                continue
            parts = version_parts(word) if tokenize and mode != "query" else []
            parts += releases.get(match.start(), [])
            for text in [word, *parts]:
                token.text = text if no_morph or token.stopped else stemmed(text)
                token.boost = 1.0
                if keeporiginal:
                    token.original = match.group(0)
                if positions:
                    token.pos = position
                if chars:
                    token.startchar = start_char + match.start()
                    token.endchar = start_char + match.end()
                yield token
            position += 1

    def words(self, value: str) -> list[str]:
        """The words ``value`` is indexed as, in order: what ``__call__`` yields by default,
        without a token object per word."""
        return [word for _, word in self.positioned(value)]

    def positioned(self, value: str) -> list[tuple[int, str]]:
        """(position, word) of the words ``value`` is indexed as; a version's parts share
        its position."""
        found, position = [], 0
        releases = release_abbreviations(value)
        for match in WORD.finditer(value):
            word, parts = _indexed_as(match.group(0))
            if not word:
                continue
            found.append((position, word))
            if releases and match.start() in releases:
                parts = [part for part in dict.fromkeys(parts) | dict.fromkeys(
                    map(normalized, releases[match.start()])) if part]
            if parts:
                found.extend((position, part) for part in parts)
            position += 1
        return found

    def __eq__(self, other):
        return isinstance(other, WordsAnalyzer)

    __hash__ = Composable.__hash__


# body, summary and titles alike, so that a question's "what" or "how" matches no title
text_analyzer = WordsAnalyzer()


class WordPositions(formats.Positions):
    """Whoosh's positions format; when a document is indexed with WordsAnalyzer, the positions
    are gathered from its word list directly (the same postings, in half the time: analysis is
    most of the work of indexing)."""

    def word_values(self, value, analyzer, **arguments):
        if not isinstance(analyzer, WordsAnalyzer) or arguments != {"mode": "index"}:
            yield from super().word_values(value, analyzer, **arguments)
            return
        positions: dict[str, list[int]] = defaultdict(list)
        for position, word in analyzer.positioned(value):
            positions[word].append(position)
        for word, found in positions.items():
            yield word, len(found), len(found) * self.field_boost, self.encode(found)


class WORDS(TEXT):
    """A text field of words (WordsAnalyzer) with positions, for phrases."""

    def __init__(self, **arguments):
        super().__init__(analyzer=text_analyzer, **arguments)
        self.format = WordPositions(field_boost=self.format.field_boost)


class _IdentifierFilter(Filter):
    """Drops what cannot be an identifier: stop words and tokens without a letter or digit.
    A query word passes through every field's analyzer; were "the" or "&" kept here, a search
    for all the words would require them as identifiers and find nothing."""

    def __call__(self, tokens):
        for token in tokens:
            if token.text not in STOP_WORDS and WORD.search(token.text):
                yield token


# comma-separated identifiers, lower-cased, each kept whole
identifier_analyzer = KeywordAnalyzer(lowercase=True, commas=True) | _IdentifierFilter()
# unstemmed, accent-folded words of the title, for "starts with" autocomplete
prefix_analyzer = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


class _KeywordListColumn(columns.VarBytesListColumn):
    # what a segment without this column reads for each document (Whoosh expects a default)
    _default = ()


class FacetKeywords(KEYWORD):
    """Comma-separated keywords that are also kept as a per-document list column, so facets
    over several values per document are counted from the column, not rebuilt per search."""

    def __init__(self, **arguments):
        super().__init__(commas=True, lowercase=True, stored=True, **arguments)
        self.column_type = _KeywordListColumn()

    def to_column_value(self, value):
        return [word.strip().lower().encode("utf-8") for word in value.split(",") if word.strip()]

    def from_column_value(self, value):
        return [word.decode("utf-8") for word in value]


def build_schema() -> Schema:
    return Schema(
        # "<type>:<id>[#part]": the one true key of a document
        key=ID(unique=True, stored=True, sortable=True),
        # "<content type>:<id>" of the item the document comes from: all of an item's
        # documents are deleted and re-added together through this field
        item_key=ID(stored=True, sortable=True),
        # the document's type: article, release-note, patch, recording, topic, live-session
        type=ID(stored=True, sortable=True),
        # the database id of the item (several parts of one item share it)
        item_id=ID(stored=True),
        # the item's title (weighted in ranking.FIELD_WEIGHTS); stored for lists and locked entries
        title=WORDS(stored=True, spelling=True),
        # unstemmed title words for "starts with" autocomplete
        title_prefix=TEXT(analyzer=prefix_analyzer, phrase=False),
        # identifiers typed verbatim: slugs, fixed-issue numbers, error codes
        identifiers=KEYWORD(analyzer=identifier_analyzer, commas=True, scorable=True),
        # the summary or description
        summary=WORDS(stored=True),
        # plain text of the body (rendered Markdown, includes inlined); stored for snippets
        body=WORDS(stored=True),
        # product slugs the item applies to; filter and facet
        products=FacetKeywords(),
        # product versions as "product-slug@version"; filter and facet
        versions=FacetKeywords(),
        # article kind (how-to, reference, troubleshooting, workaround) or patch kind
        kind=ID(stored=True, sortable=True),
        # free tags; filter
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        # gate: the plan feature that reading the item needs (how_to, patches, ...)
        feature=ID(stored=True),
        # gate: the lowest plan that may read the item
        min_plan=ID(stored=True),
        # gate: "published" items reach customers; anything else only staff
        status=ID(stored=True),
        # gate: when a published item becomes visible to customers (scheduled publication);
        # absent for unpublished items, so no date range can reach them
        visible_from=DATETIME(stored=True),
        # last change of the item, for sorting by date
        updated=DATETIME(stored=True, sortable=True),
        # where the result opens (may carry a fragment such as #t=95 for transcripts)
        url=STORED(),
        # position of a part inside its item (transcript segment start, seconds)
        position=NUMERIC(stored=True),
        # hash of everything above for this document, so that `kb search check` finds stale
        # documents without comparing field by field
        fingerprint=ID(sortable=True),
    )
