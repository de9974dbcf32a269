"""What people type, before any engine reads it: the filters they may type (``product:``,
``version:``, ``kind:``, ``type:``), which are cut out first and only ever narrow, and the plain
words of a query without its syntax."""

from __future__ import annotations

import re

from kb.articles.models import KINDS as ARTICLE_KINDS
from kb.patches.models import KIND_NAMES as PATCH_KIND_NAMES

# typed filters: `product:orbit-erp`, `type:release-note`, `version:"12.0"`, `kind:how-to`
TYPED_FILTER = re.compile(r'(?i)(?<![\w:])(product|version|kind|type):(?:"([^"]*)"|([^\s"]+))')
TYPED_FILTER_NAMES = ("product", "version", "kind", "type")
# what the search page calls each type; typed (type:download) or picked, the name shown is read
# as the type it names, as the type's own name is, so that a customer who reads "Download"
# finds patches by it
TYPE_LABELS = {"article": "Article", "release-note": "Release note", "patch": "Download",
               "recording": "Recording", "topic": "Topic request", "live-session": "Live session",
               "question": "Community question"}
# what the knowledge base and the downloads list call each kind (how-to: "How to")
KIND_LABELS = {**{kind: kind.replace("-", " ").capitalize() for kind in ARTICLE_KINDS},
               **PATCH_KIND_NAMES}
# a prefix needs two characters before the star; shorter stars are dropped
SHORT_PREFIX = re.compile(r"(?<!\w)(\w?)\*+")
OPERATORS = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[()\"'*^~:]")
# a dotted word with digits in each part is a version (12.0, 2026.1, 10.0.17763, v2.1): every
# engine finds it whole and by its parts and leading versions (``version_parts``)
VERSION_PATTERN = r"\w*\d\w*(?:\.\w*\d\w*)+"
VERSION = re.compile(VERSION_PATTERN)
PART = re.compile(r"\w+")


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


# a field prefix people type out of habit from other search engines (`title:excel`): kb's
# own fields and a few common names; each is dropped and its value searched as words
FIELD_NAMES = ("title", "summary", "body", "text", "content", "tag", "tags", "subject",
               "name", "keyword", "keywords", "identifiers", "feature", "min_plan", "status",
               "key", "url", "intitle", "intext")
# any other `word:value` (error:404, http://...) is its words, the colon a space between them
FIELD_PREFIX = re.compile(r"(?<![\w:])([^\W\d]\w*):(?=[^\s:])")


def without_field_prefixes(text: str) -> str:
    """The typed text with every ``name:`` prefix that is not a typed filter searched as
    words: a field name kb does not search by is dropped (``title:excel`` is ``excel``),
    another word kept beside its value (``error:404`` is ``error 404``). A "quoted phrase"
    stays as typed. Without this, the prefix was searched as a word every result must hold
    (so nothing was found) and did-you-mean "corrected" it (title to time)."""
    def prefix(match: re.Match) -> str:
        name = match.group(1)
        if name.lower() in TYPED_FILTER_NAMES:
            return match.group(0)
        return "" if name.lower() in FIELD_NAMES else f"{name} "

    return "".join(part if part.startswith('"') else FIELD_PREFIX.sub(prefix, part)
                   for part in QUOTED.split(text))


# letters glued to digits: a code typed without its dash (HUB430) or a version with a v (v12)
GLUED_CODE = re.compile(r"(?<![\w.-])(?P<letters>[^\W\d_]+)(?P<digits>\d+(?:\.\d+)*)(?![\w.-])")


def glued_apart(text: str) -> str:
    """Codes typed glued written as documents write them: "HUB430" as "HUB-430", "v12" as
    "12" (a release's abbreviation, SP1, stays: the engines know it)."""
    def apart(match: re.Match) -> str:
        letters, digits = match.group("letters"), match.group("digits")
        if letters.lower() in RELEASE_ABBREVIATIONS:
            return match.group(0)
        return digits if letters.lower() == "v" else f"{letters}-{digits}"

    return GLUED_CODE.sub(apart, text)


def _plural(name: str) -> str:
    return name + ("es" if name.endswith("h") else "s")


def _shown(name: str) -> str:
    return "-".join(TYPE_LABELS[name].lower().split())


# every way a type may be asked for; a type's own name wins over another type's label
TYPE_NAMES = {spelled: name for name in TYPE_LABELS
              for spelled in (_shown(name), _plural(_shown(name)))}
TYPE_NAMES.update({spelled: name for name in TYPE_LABELS for spelled in (name, _plural(name))})


def type_name(value: str) -> str:
    """The type a typed or picked ``type`` asks for: by its name or by the name the search
    page shows, singular or plural, in any case, its words apart or joined by a dash
    ("Patches" and "downloads" are patch, "topic request" is topic). A value that names no
    type comes back lower-cased, to be refused."""
    spelled = "-".join(value.lower().split())
    return TYPE_NAMES.get(spelled, spelled)


def typed_filters(text: str) -> str:
    """The filters typed in ``text``, as typed."""
    return " ".join(match.group(0) for match in TYPED_FILTER.finditer(text))


def clean(text: str) -> str:
    return SHORT_PREFIX.sub(r"\1", text).strip()


def plain_words(text: str) -> str:
    """The words of a query without any syntax (the fallback for what cannot be parsed)."""
    return " ".join(OPERATORS.sub(" ", text).split())


def version_parts(word: str) -> list[str]:
    """What a version is also found by: its parts and its shorter leading versions
    ("12.4.1": "12", "4", "1", "12.4", so that "12.4" finds 12.4.1); none for a plain word."""
    if "." not in word:
        return []
    parts = PART.findall(word)
    leading = [".".join(parts[:count]) for count in range(2, len(parts))]
    return list(dict.fromkeys([*parts, *leading]))


# this domain's release names and their abbreviations: SP1 is service pack 1, CU1 cumulative
# update 1, HF1 hotfix 1. A query asks for the abbreviation; an index holds it beside the
# spelled-out form (``release_abbreviations``), so either finds both. Each pattern starts with
# a plain character set, which the regex engine looks for quickly (the indexer runs them over
# every text: written as (?i) alternatives after a look-behind they took a fifth of it); the
# look-behind after it says that character starts a word.
RELEASE = re.compile(
    r"[SsCcHh](?<![\w.][SsCcHh])(?i:(?<=s)(?P<sp>ervice[\s-]*pack|p)"
    r"|(?<=c)(?P<cu>umulative[\s-]*update|u)|(?<=h)(?P<hf>ot[\s-]*fix|f))"
    r"[\s-]*(?P<number>\d{1,3})(?!\w|\.\d)")
RELEASE_ABBREVIATIONS = ("sp", "cu", "hf")
# a version and a release glued together: 12.0CU1 is 12.0 CU1
GLUED_RELEASE = re.compile(r"(?P<version>[0-9](?<![\w.][0-9])\d*(?:\.\d+)+)"
                           r"(?P<release>(?i:sp|cu|hf)\d{1,3})(?!\w|\.\d)")
QUOTED = re.compile(r'("[^"]*"?)')


def _abbreviation(match: re.Match) -> str:
    short = next(name for name in RELEASE_ABBREVIATIONS if match.group(name))
    return f"{short}{int(match.group('number'))}"


def abbreviated(text: str) -> str:
    """The typed text with every release named as its abbreviation ("service pack 1", "SP 1"
    and "sp1" as SP1) and glued versions apart ("12.0CU1" as "12.0 CU1"); a "quoted phrase"
    stays as typed (it asks for exactly those words)."""
    def outside_quotes(part: str) -> str:
        if part.startswith('"'):
            return part
        part = GLUED_RELEASE.sub(
            lambda match: f"{match.group('version')} {match.group('release').upper()}", part)
        return RELEASE.sub(lambda match: _abbreviation(match).upper(), part)

    return "".join(outside_quotes(part) for part in QUOTED.split(text))


def release_abbreviations(text: str) -> dict[int, list[str]]:
    """What the releases named in ``text`` are also indexed as, lower-cased, by the character
    where each starts: "service pack 1" as sp1, "12.0CU1" as 12.0 and cu1 (SP1 is sp1
    already)."""
    found: dict[int, list[str]] = {}
    for match in RELEASE.finditer(text):
        if match.group(0).lower() != _abbreviation(match):
            found.setdefault(match.start(), []).append(_abbreviation(match))
    for match in GLUED_RELEASE.finditer(text):
        found.setdefault(match.start(), []).extend(
            [match.group("version"), match.group("release").lower()])
    return found
