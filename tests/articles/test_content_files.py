"""Reading one content file: the CONTRACT's front matter, real-world quirks, precise errors."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kb.articles.importing.content_files import parse_content_file


def parse(tmp_path, text: str, name: str = "guide.md", raw: bytes | None = None):
    path = tmp_path / name
    path.write_bytes(raw if raw is not None else text.encode())
    return parse_content_file(path, name)


def problems(parsed) -> list[tuple[int, str]]:
    return [(problem.line, problem.message) for problem in parsed.problems]


def test_every_contract_key_is_read(tmp_path):
    parsed = parse(tmp_path, """---
type: article
title: Rotate the integration certificate
slug: hub/rotate-certificate
summary: Replace the TLS certificate before it expires.
kind: how-to
products: [Orbit Integration Hub]
versions: [3.5, "4.0", 12.10]
tags: [certificates, TLS]
min_plan: Premium
critical: true
status: draft
published: 2026-01-31
---
Body text.
""")
    fields = parsed.fields
    assert problems(parsed) == []
    assert fields.title == "Rotate the integration certificate"
    assert fields.slug == "hub/rotate-certificate" and parsed.explicit_slug
    assert fields.summary == "Replace the TLS certificate before it expires."
    assert (fields.kind, fields.min_plan, fields.critical, fields.status) == (
        "how-to", "premium", True, "draft")
    assert fields.products == ["Orbit Integration Hub"]
    # versions as written: YAML would turn 12.10 into the number 12.1
    assert fields.versions == ["3.5", "4.0", "12.10"]
    assert fields.tags == ["certificates", "TLS"]
    assert fields.published == date(2026, 1, 31)
    assert fields.publish_at == datetime(2026, 1, 31, tzinfo=UTC)
    assert fields.body == "Body text.\n"


def test_release_note_keys_and_highlights_list(tmp_path):
    parsed = parse(tmp_path, """---
type: release-note
title: Orbit ERP 12.0
product: Orbit ERP
version: 12.0
released: 2026-03-02
highlights:
  - Faster period close
  - New VAT engine
---
Notes.
""")
    fields = parsed.fields
    assert problems(parsed) == []
    assert (fields.type, fields.product, fields.version) == ("release-note", "Orbit ERP", "12.0")
    assert fields.released_on == date(2026, 3, 2)
    assert fields.highlights == "- Faster period close\n- New VAT engine"
    assert fields.summary == "Faster period close; New VAT engine"


def test_unknown_keys_are_kept_as_json_and_never_fail(tmp_path):
    parsed = parse(tmp_path, """---
title: T
description: Used as the summary.
ms.date: 8/5/2024
ms:assetid: 0b7e1b6f
ai-seo-date: 2024-01-02
f1_keywords: [a, b]
---
""")
    assert problems(parsed) == []
    assert parsed.fields.summary == "Used as the summary."
    assert parsed.fields.extra == {
        "description": "Used as the summary.", "ms.date": "8/5/2024", "ms:assetid": "0b7e1b6f",
        "ai-seo-date": "2024-01-02", "f1_keywords": ["a", "b"]}
    # ms.date (MM/DD/YYYY text) dates the article when 'published' is absent
    assert parsed.fields.published == date(2024, 8, 5)
    assert parsed.fields.publish_at is None


def test_crlf_bom_and_microsoft_docs_suffix(tmp_path):
    text = "---\r\ntitle: Post Invoices | Microsoft Docs\r\n---\r\n# Post\r\nText\r\n"
    parsed = parse(tmp_path, "", raw=b"\xef\xbb\xbf" + text.encode())
    assert problems(parsed) == []
    assert parsed.fields.title == "Post Invoices"
    assert parsed.fields.body == "# Post\nText\n"


def test_front_matter_indented_as_a_block(tmp_path):
    parsed = parse(tmp_path, "---\n    title: Indented\n    ms.date: 07/01/2017\n\n---\nBody\n")
    assert problems(parsed) == []
    assert parsed.fields.title == "Indented"
    assert parsed.fields.extra["ms.date"] == "07/01/2017"


def test_unquoted_colon_inside_a_value_is_tolerated(tmp_path):
    parsed = parse(tmp_path, """---
    title: Troubleshooting: Compression Option in IIS | Microsoft Docs
    description: The status bar shows the following information:
    author: someone
    ms.search.keywords:
---
""")
    assert problems(parsed) == []
    assert parsed.fields.title == "Troubleshooting: Compression Option in IIS"
    assert parsed.fields.summary == "The status bar shows the following information:"
    assert parsed.fields.extra["ms.search.keywords"] is None


def test_no_front_matter(tmp_path):
    parsed = parse(tmp_path, "# Heading only\n\nText\n")
    assert problems(parsed) == [] and parsed.fields.title == ""
    assert parsed.fallback_title == "Guide"


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ("---\ntitle: Never closed\n\nBody\n", 1, "never closed"),
    ("---\ntitle: T\ntags: [a, b\nkind: how-to\n---\n", 4, "not valid YAML"),
    ("---\ntitle: T\n  bad indent: x\n nested: [\n---\n", 3, "not valid YAML"),
    ("---\n- just\n- a list\n---\n", 2, "key: value"),
    ("---\ntitle: T\npublished: 2026-13-45\n---\n", 3, "'published' is not a date"),
    ("---\ntitle: T\nreleased: next week\n---\n", 3, "'released' is not a date"),
    ("---\ntitle: T\n\nkind: tutorial\n---\n", 4, "unknown kind 'tutorial'"),
    ("---\ntitle: T\ntype: blog\n---\n", 3, "unknown type 'blog'"),
    ("---\ntitle: T\nmin_plan: gold\n---\n", 3, "unknown min_plan 'gold'"),
    ("---\ntitle: T\nstatus: live\n---\n", 3, "unknown status 'live'"),
    ("---\ntitle: T\ncritical: maybe\n---\n", 3, "'critical' must be true or false"),
    ("---\ntitle: [a, b]\n---\n", 2, "'title' must be a single value"),
    ("---\ntitle: T\ntags: {a: 1}\n---\n", 3, "'tags' must be a list"),
    ("---\ntype: release-note\ntitle: T\n---\n", 2, "needs 'product:'"),
    ("---\ntitle: T\ntags: [ok, " + "x" * 81 + "]\n---\n", 3, "longer than 80 characters"),
    ("---\ntitle: T\nversion: " + "1" * 61 + "\n---\n", 3, "longer than 60 characters"),
])
def test_malformed_front_matter_names_the_line(tmp_path, text, line, fragment):
    found = problems(parse(tmp_path, text))
    assert found and found[0][0] == line, found
    assert fragment in found[0][1]


def test_every_bad_key_is_reported(tmp_path):
    found = problems(parse(tmp_path, "---\nkind: x\nmin_plan: y\npublished: z\n---\n"))
    assert [line for line, _ in found] == [2, 3, 4]


def test_text_that_is_not_utf8(tmp_path):
    found = problems(parse(tmp_path, "", raw=b"---\ntitle: caf\xe9\n---\n"))
    assert found[0][0] == 1 and "not UTF-8" in found[0][1]
