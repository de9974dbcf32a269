"""The index schema: one document per searchable item (or per part of one, such as a
transcript segment). Changing a field means raising SCHEMA_VERSION: an index written with
another version is rebuilt, never misread."""

from __future__ import annotations

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 1

# words: split on letters/digits (keeping dotted and dashed identifiers such as 10.2 or KB-1042
# apart from the words around them), fold accents, lower-case, drop stop words, stem
text_analyzer = StemmingAnalyzer(
    expression=r"\w+(?:[.\-]\w+)*", minsize=1
) | CharsetFilter(accent_map)
# titles keep every word (no stop list) so short titles and exact phrases still match
title_analyzer = StemmingAnalyzer(
    expression=r"\w+(?:[.\-]\w+)*", minsize=1, stoplist=None
) | CharsetFilter(accent_map)
# unstemmed, accent-folded words of the title, for prefix autocomplete
prefix_analyzer = RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


def build_schema() -> Schema:
    return Schema(
        # "<type>:<id>[#part]": the one true key of a document
        key=ID(unique=True, stored=True),
        # the content type: article, release-note, patch, recording, topic, live-session
        type=ID(stored=True),
        # the database id of the item the document comes from (several parts share it)
        item_id=ID(stored=True),
        # the item's title, boosted; stored for result lists and locked entries
        title=TEXT(analyzer=title_analyzer, stored=True, field_boost=3.0, spelling=True),
        # title words for "starts with" autocomplete
        title_prefix=TEXT(analyzer=prefix_analyzer, phrase=False),
        # identifiers typed verbatim: slugs, fixed-issue numbers, error codes; boosted
        identifiers=KEYWORD(lowercase=True, commas=True, field_boost=4.0, scorable=True),
        # the summary or description
        summary=TEXT(analyzer=text_analyzer, stored=True, field_boost=1.5),
        # plain text of the body (rendered Markdown, includes inlined); stored for snippets
        body=TEXT(analyzer=text_analyzer, stored=True, spelling=True),
        # product slugs the item applies to; filter and facet
        products=KEYWORD(stored=True, commas=True, lowercase=True),
        # product versions ("product-slug@version"); filter and facet
        versions=KEYWORD(stored=True, commas=True, lowercase=True),
        # article kind (how-to, reference, troubleshooting, workaround) or patch kind
        kind=ID(stored=True),
        # free tags; filter
        tags=KEYWORD(stored=True, commas=True, lowercase=True),
        # the plan feature that gates reading the item (how_to, patches, ...)
        feature=ID(stored=True),
        # the lowest plan that may read the item
        min_plan=ID(stored=True),
        # published items are visible to customers; anything else only to staff
        status=ID(stored=True),
        # last change of the item, for sorting by date
        updated=DATETIME(stored=True, sortable=True),
        # where the result opens (may carry a fragment such as #t=95 for transcripts)
        url=STORED(),
        # position of a part inside its item (transcript segment start, seconds)
        position=NUMERIC(stored=True),
    )
