"""Reading: browsing with filters and pages, the article page (applicability, last update,
contents, related articles, "was this helpful?"), release notes newest first, print view."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.a11y import problems, refused_summary
from tests.articles import web_fixtures

article_state = web_fixtures.article_state  # a fixture shared by the article tests
write_article = web_fixtures.write_article  # a fixture shared by the article tests


@pytest.fixture
def catalogue(write_article):
    write_article("ERP posting errors", "Body", kind="troubleshooting", products=["Orbit ERP"],
                  versions=["12.0"], tags=["posting", "finance"])
    write_article("ERP ledger setup", "Body", kind="how-to", products=["Orbit ERP"],
                  versions=["11.1"], tags=["finance"])
    write_article("Hub connector reference", "Body", kind="reference",
                  products=["Orbit Integration Hub"], versions=["4.0"], tags=["connectors"])
    write_article("Analytics workaround", "Body", kind="workaround", critical=True,
                  products=["Orbit Analytics"], tags=["dashboards"], min_plan="elite")


def titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="[^"]+"(?: class="locked")?>([^<]+)</a></h2>', html)


@pytest.mark.parametrize("query, expected", [
    ("", {"ERP posting errors", "ERP ledger setup", "Hub connector reference",
          "Analytics workaround"}),
    ("?product=orbit-erp", {"ERP posting errors", "ERP ledger setup"}),
    ("?product=Orbit+Integration+Hub", {"Hub connector reference"}),
    ("?product=orbit-erp&version=11.1", {"ERP ledger setup"}),
    ("?version=4.0", {"Hub connector reference"}),
    ("?kind=workaround", {"Analytics workaround"}),
    ("?tag=finance", {"ERP posting errors", "ERP ledger setup"}),
    ("?tag=finance&kind=how-to", {"ERP ledger setup"}),
    ("?tag=FINANCE&kind=How-To", {"ERP ledger setup"}),
])
def test_browse_filters(client, auth, catalogue, query, expected):
    """(A tag nothing has is refused: tests/test_list_filter_pages.py.)"""
    auth.login("premium@demo.test")
    page = client.get("/articles/" + query)
    assert page.status_code == 200
    assert set(titles(page.get_data(as_text=True))) == expected


def test_browse_pages(client, auth, write_article):
    for number in range(25):
        write_article(f"Paged article {number:02d}", "Body")
    auth.login("xtreme@demo.test")
    first = client.get("/articles/").get_data(as_text=True)
    second = client.get("/articles/?page=2").get_data(as_text=True)
    assert len(titles(first)) == 20 and len(titles(second)) == 5
    assert not set(titles(first)) & set(titles(second))
    assert "Page 1 of 2" in first and 'href="/articles/?page=2"' in first
    assert "25 articles" in first


def test_article_page_shows_applicability_update_contents_and_related(client, auth,
                                                                       write_article):
    slug = write_article("Year-end closing", "## Prepare\n\nText\n\n## Close\n\nMore",
                         kind="how-to", products=["Orbit ERP"], versions=["11.1", "12.0"],
                         tags=["finance"])
    write_article("Finance reports", "Body", tags=["finance"])
    write_article("Other ERP topic", "Body", products=["Orbit ERP"])
    write_article("Elite finance secrets", "Body", tags=["finance"], min_plan="elite")
    write_article("Unrelated", "Body", products=["Orbit Analytics"])
    auth.login("premium@demo.test")
    page = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "Orbit ERP 11.1, 12.0" in page
    assert "Last updated" in page
    assert '<nav class="toc no-print" aria-label="Contents">' in page
    assert 'href="#doc-prepare"' in page and 'href="#doc-close"' in page
    related = page[page.index('id="related-heading"'):page.index('id="helpful"')]
    assert "Finance reports" in related and "Other ERP topic" in related
    assert "Elite finance secrets" not in related  # above the reader's plan
    assert "Unrelated" not in related


def test_helpful_vote_is_one_per_user_changeable_and_counted_for_staff(
        client, auth, write_article, article_state):
    slug = write_article("Vote on me", "Body")
    article_id = article_state(slug)["id"]
    auth.login("premium@demo.test")
    auth.post(f"/helpful-votes/{article_id}", {"helpful": "no", "comment": "Missing a step"})
    auth.post(f"/helpful-votes/{article_id}", {"helpful": "yes", "comment": "Now clear"})
    page = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "You answered “yes”" in page
    assert "found it helpful" not in page and "Now clear" not in page  # staff only
    auth.logout()
    auth.login("elite@demo.test")
    auth.post(f"/helpful-votes/{article_id}", {"helpful": "no"})
    invalid = auth.post(f"/helpful-votes/{article_id}", {"helpful": "maybe"})
    assert invalid.status_code == 422  # the elite reader's "no" stands
    auth.logout()
    auth.login("staff@demo.test")
    page = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "1 found it helpful, 1 did not." in page
    assert "Now clear" in page and "Missing a step" not in page
    assert "premium@demo.test" in page


@pytest.mark.parametrize(("answer", "comment", "field", "message"), [
    ({}, "The screenshots show the old menu.", "helpful", "Choose yes or no."),
    ({"helpful": "maybe"}, "Half of it worked.", "helpful", "Choose yes or no."),
    ({"helpful": "no"}, "Step 3 fails. " * 143, "comment",
     "Keep the comment to 2,000 characters."),
])
def test_a_refused_helpful_answer_shows_the_article_with_the_comment_kept(
        client, auth, write_article, article_state, answer, comment, field, message):
    slug = write_article("Vote on me", "Body of the article")
    article_id = article_state(slug)["id"]
    auth.login("premium@demo.test")
    response = auth.post(f"/helpful-votes/{article_id}", {**answer, "comment": comment})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Body of the article" in page  # the article's own page, not an error page
    assert f'<small id="{field}-error" class="field-error">{message}</small>' in page
    assert f">\r\n{comment}</textarea>" in page
    _, summary = refused_summary(response, "helpful-problem")
    link = "#helpful-0" if field == "helpful" else "#comment"
    assert "Your answer is not recorded yet:" in summary.text_content()
    assert problems(summary)[link].endswith(message)
    if answer.get("helpful") == "no":
        assert '<input checked id="helpful-1" name="helpful" required type="radio" ' \
            'value="no">' in page
    else:
        assert page.count('aria-invalid="true"') == 2  # both choices
    assert "You answered" not in client.get(f"/articles/{slug}").get_data(as_text=True)


def test_release_notes_newest_first_with_filters_and_linked_articles(client, auth,
                                                                     write_article):
    guide = write_article("Upgrade guide 12.0", "Body", products=["Orbit ERP"])
    elite_guide = write_article("Elite upgrade tuning", "Body", min_plan="elite")
    write_article("ERP 11.1 released", "Body", type="release-note", product="Orbit ERP",
                  version="11.1", released_on=date(2025, 6, 1))
    write_article("ERP 12.0 released", "Body", type="release-note", product="Orbit ERP",
                  version="12.0", released_on=date(2026, 2, 1), highlights="**Faster**",
                  linked=[guide, elite_guide])
    write_article("Hub 4.0 released", "Body", type="release-note",
                  product="Orbit Integration Hub", version="4.0", released_on=date(2025, 11, 1))
    auth.login("premium@demo.test")
    page = client.get("/release-notes/").get_data(as_text=True)
    assert titles(page) == ["ERP 12.0 released", "Hub 4.0 released", "ERP 11.1 released"]
    assert "<strong>Faster</strong>" in page
    assert f'href="/articles/{guide}"' in page and elite_guide not in page
    erp = client.get("/release-notes/?product=orbit-erp").get_data(as_text=True)
    assert titles(erp) == ["ERP 12.0 released", "ERP 11.1 released"]
    assert titles(client.get("/release-notes/?version=11.1").get_data(as_text=True)) == [
        "ERP 11.1 released"]


def _version_options(html: str) -> dict[str, list[tuple[str, str]]]:
    select = re.search(r'<select name="version">(.*?)</select>', html, re.S).group(1)
    return {group: re.findall(r'<option value="([^"]+)" ?(?:selected)?>([^<]+)</option>', inner)
            for group, inner in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>',
                                           select, re.S)}


def test_the_release_note_version_filter_names_each_version_with_its_product(
        client, auth, write_article):
    write_article("ERP 12.1 released", "Body", type="release-note", product="Orbit ERP",
                  version="12.1", released_on=date(2026, 2, 1))
    write_article("ERP 11.1 released", "Body", type="release-note", product="Orbit ERP",
                  version="11.1", released_on=date(2025, 6, 1))
    write_article("Hub 4.0 released", "Body", type="release-note",
                  product="Orbit Integration Hub", version="4.0", released_on=date(2025, 11, 1))
    auth.login("premium@demo.test")
    page = client.get("/release-notes/?version=orbit-erp@12.1").get_data(as_text=True)
    assert _version_options(page) == {
        "Orbit ERP": [("orbit-erp@12.1", "Orbit ERP 12.1"), ("orbit-erp@11.1", "Orbit ERP 11.1")],
        "Orbit Integration Hub": [("orbit-integration-hub@4.0", "Orbit Integration Hub 4.0")]}
    assert '<option value="orbit-erp@12.1" selected>Orbit ERP 12.1</option>' in page
    assert titles(page) == ["ERP 12.1 released"]


def test_release_note_links_hook_lets_another_area_add_links(app, client, auth, write_article):
    from kb.articles.views import register_release_note_links

    register_release_note_links(app, lambda note, user: [(f"Patches for {note.title}",
                                                          "/patches/")])
    slug = write_article("ERP 12.1 released", "Body", type="release-note", product="Orbit ERP",
                         version="12.1")
    auth.login("xtreme@demo.test")
    assert "Patches for ERP 12.1 released" in client.get("/release-notes/").get_data(
        as_text=True)
    assert "Patches for ERP 12.1 released" in client.get(f"/release-notes/{slug}").get_data(
        as_text=True)


def test_print_view_has_the_body_without_navigation(client, auth, write_article):
    slug = write_article("Printable", "## Part\n\nPrinted words")
    auth.login("xtreme@demo.test")
    page = client.get(f"/articles/{slug}?print=1").get_data(as_text=True)
    assert "Printed words" in page
    assert 'href="/static/print.css"' in page and 'media="print"' not in page
    assert "site-header" not in page and "Was this helpful?" not in page


def test_unknown_article_is_404(client, auth, demo_accounts):
    auth.login("xtreme@demo.test")
    assert client.get("/articles/no-such-thing").status_code == 404
    assert client.get("/release-notes/no-such-thing").status_code == 404
