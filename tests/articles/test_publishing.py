"""Staff publishing: the editor, the workflow, revisions (history, diff, restore), stable slugs
with redirects, the preview endpoint and release notes edited with the same editor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.a11y import described_by, problems, refused_summary
from tests.articles import web_fixtures

article_state = web_fixtures.article_state  # a fixture shared by the article tests
write_article = web_fixtures.write_article  # a fixture shared by the article tests

EDITOR_DEFAULTS = {"type": "article", "min_plan": "xtreme", "kind": "how-to", "summary": "",
                   "body": "", "versions": "", "tags": "", "note": ""}


def editor_data(**values) -> dict:
    return {**EDITOR_DEFAULTS, **values}


@pytest.fixture
def staff_client(auth, demo_accounts):
    auth.login("staff@demo.test")
    return auth


def create_in_editor(staff_client, action: str = "draft", **values) -> str:
    response = staff_client.post("/staff/articles/new",
                                 editor_data(action=action, **values))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def test_staff_writes_a_draft_that_customers_cannot_see(staff_client, client, auth,
                                                        article_state):
    edit_url = create_in_editor(staff_client, title="Reset a stuck batch job",
                                body="## Steps\n\nRestart the **scheduler**.")
    state = article_state("reset-a-stuck-batch-job")
    assert state["status"] == "draft"
    assert state["source_root"] is None
    assert state["author"] == "staff@demo.test"
    assert state["revisions"] == [(1, "Saved as draft", "staff@demo.test",
                                   "Reset a stuck batch job",
                                   "## Steps\n\nRestart the **scheduler**.")]
    assert state["indexed_status"] == "unpublished"
    assert "Reset a stuck batch job" in client.get(edit_url).get_data(as_text=True)
    assert client.get("/articles/reset-a-stuck-batch-job").status_code == 200  # staff see drafts

    auth.logout()
    auth.login("elite@demo.test")
    assert client.get("/articles/reset-a-stuck-batch-job").status_code == 404
    assert "Reset a stuck batch job" not in client.get("/articles/").get_data(as_text=True)


def test_publish_review_unpublish_and_archive_each_leave_a_revision(
        staff_client, client, auth, write_article, article_state, customer_on):
    slug = write_article("Configure SSO", "Body", status="draft")
    article_id = article_state(slug)["id"]
    for action, status in [("review", "review"), ("publish", "published"),
                           ("draft", "draft"), ("publish", "published"),
                           ("archive", "archived")]:
        response = staff_client.post(f"/staff/articles/{article_id}/{action}")
        assert response.status_code == 302
        assert article_state(slug)["status"] == status
    notes = [note for _, note, _, _, _ in article_state(slug)["revisions"]]
    assert notes == ["Saved as draft", "Sent for review", "Published", "Saved as draft",
                     "Published",
                     "Archived"]
    assert article_state(slug)["indexed_status"] == "unpublished"

    auth.logout()
    auth.login(customer_on("elite"))
    assert client.get(f"/articles/{slug}").status_code == 404


def test_published_article_appears_in_the_list_for_customers(staff_client, client, auth,
                                                            customer_on):
    create_in_editor(staff_client, action="publish", title="Rotate API keys",
                     summary="Rotate keys without downtime.", body="Rotate them.")
    auth.logout()
    auth.login(customer_on("xtreme"))
    page = client.get("/articles/").get_data(as_text=True)
    assert "Rotate API keys" in page and "Rotate keys without downtime." in page
    assert "Rotate them." in client.get("/articles/rotate-api-keys").get_data(as_text=True)


def test_scheduled_publication_stays_hidden_until_its_time(staff_client, client, auth,
                                                         write_article, article_state,
                                                         customer_on):
    slug = write_article("Upcoming feature", "Soon.", status="draft")
    article_id = article_state(slug)["id"]
    later = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    staff_client.post(f"/staff/articles/{article_id}/edit", editor_data(
        action="publish", title="Upcoming feature", slug=slug, body="Soon.", publish_at=later))
    state = article_state(slug)
    assert state["status"] == "published" and state["publish_at"] > datetime.now(UTC)
    assert state["revisions"][-1][1].startswith("Scheduled for ")
    earlier_slug = write_article("Already live", "Now.",
                                 publish_at=datetime.now(UTC) - timedelta(minutes=5))

    auth.logout()
    auth.login(customer_on("elite"))
    assert client.get(f"/articles/{slug}").status_code == 404
    listing = client.get("/articles/").get_data(as_text=True)
    assert "Upcoming feature" not in listing and "Already live" in listing
    assert client.get(f"/articles/{earlier_slug}").status_code == 200


def test_publish_at_in_the_editor_schedules(staff_client, article_state):
    later = (datetime.now(UTC) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    create_in_editor(staff_client, action="publish", title="Scheduled in the editor",
                     publish_at=later)
    state = article_state("scheduled-in-the-editor")
    assert state["status"] == "published"
    assert state["publish_at"].strftime("%Y-%m-%dT%H:%M") == later
    # the editor says so: published for later is not published yet
    page = staff_client.client.get(f"/staff/articles/{state['id']}/edit").get_data(as_text=True)
    assert "has been saved (scheduled for " in page and "has been saved (published)" not in page
    assert "Save and keep scheduled" in page and "Save and keep published" not in page


def test_the_edit_page_offers_one_publication_time(staff_client, write_article, article_state):
    article_id = article_state(write_article("Upcoming feature", "Soon.", status="draft"))["id"]
    page = staff_client.client.get(f"/staff/articles/{article_id}/edit").get_data(as_text=True)
    assert page.count('name="publish_at"') == 1
    assert page.count("Publish at (UTC)") == 1


def test_title_change_keeps_the_slug_and_a_renamed_slug_redirects(
        staff_client, client, write_article, article_state):
    slug = write_article("Printing invoices", "Body")
    article_id = article_state(slug)["id"]
    response = staff_client.post(f"/staff/articles/{article_id}/edit", editor_data(
        action="publish", title="Printing invoices in bulk", slug=slug, body="Body"))
    assert response.status_code == 302
    assert article_state(slug)["title"] == "Printing invoices in bulk"

    staff_client.post(f"/staff/articles/{article_id}/edit", editor_data(
        action="publish", title="Printing invoices in bulk", slug="invoices/bulk-printing",
        body="Body"))
    assert article_state("invoices/bulk-printing")["id"] == article_id
    old = client.get(f"/articles/{slug}?print=1")
    assert old.status_code == 301
    assert old.headers["Location"].endswith("/articles/invoices/bulk-printing?print=1")
    api_old = client.get(f"/api/v1/articles/{slug}")
    assert api_old.status_code == 301
    assert api_old.headers["Location"].endswith("/api/v1/articles/invoices/bulk-printing")


def test_a_slug_in_use_is_refused_and_nothing_is_lost(staff_client, write_article,
                                                     article_state):
    write_article("First", "One")
    slug = write_article("Second", "Two")
    article_id = article_state(slug)["id"]
    response = staff_client.post(f"/staff/articles/{article_id}/edit", editor_data(
        action="publish", title="Second, edited", slug="first", body="Two, edited"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    tree, summary = refused_summary(response, "article-problem")  # not a flash message
    message = "Another article already has the slug 'first'."
    assert problems(summary) == {"#slug": f"Slug: {message}"}
    assert described_by(tree, "slug")[-1] == message
    assert "flash-error" not in page
    assert "Two, edited" in page  # the author's text is still in the form
    assert article_state(slug)["title"] == "Second"
    assert len(article_state(slug)["revisions"]) == 1


def test_an_empty_title_is_refused_with_the_text_kept(staff_client, article_state):
    response = staff_client.post("/staff/articles/new",
                                 editor_data(action="draft", title="", body="Precious text"))
    assert response.status_code == 422
    assert "Precious text" in response.get_data(as_text=True)


def test_history_diff_and_restore(staff_client, client, write_article, article_state):
    slug = write_article("Tuning the cache", "Line one\nLine two\n")
    article_id = article_state(slug)["id"]
    staff_client.post(f"/staff/articles/{article_id}/edit", editor_data(
        action="publish", title="Tuning the cache", slug=slug,
        body="Line one\nLine <script>alert(1)</script> changed\n", note="Clarified step two"))

    history = client.get(f"/staff/articles/{article_id}/history").get_data(as_text=True)
    assert "Clarified step two" in history and "staff@demo.test" in history

    diff = client.get(f"/staff/articles/{article_id}/diff?from=1&to=2")
    text = diff.get_data(as_text=True)
    assert '<span class="diff-removed">-Line two</span>' in text
    assert ('<span class="diff-added">+Line &lt;script&gt;alert(1)&lt;/script&gt; changed'
            '</span>') in text
    assert "<script>alert(1)" not in text

    response = staff_client.post(f"/staff/articles/{article_id}/revisions/1/restore")
    assert response.status_code == 302
    state = article_state(slug)
    assert state["body"] == "Line one\nLine two\n"
    assert state["revisions"][-1][:3] == (3, "Restored revision 1", "staff@demo.test")
    assert state["status"] == "published"
    assert "Line two" in client.get(f"/articles/{slug}").get_data(as_text=True)


def test_diff_of_an_unknown_revision_is_404(staff_client, client, write_article,
                                           article_state):
    article_id = article_state(write_article("Alone", "Only one revision"))["id"]
    assert client.get(f"/staff/articles/{article_id}/diff?from=1&to=9").status_code == 404


def test_preview_returns_sanitised_html_to_staff_only(staff_client, client, auth, customer_on):
    response = staff_client.post("/staff/articles/preview",
                                 {"body": "# Title\n\n<img src=x onerror=alert(1)> **bold**"})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>bold</strong>" in html and "onerror" not in html

    no_token = client.post("/staff/articles/preview", data={"body": "x"})
    assert no_token.status_code == 400

    auth.logout()
    auth.login(customer_on("elite"))
    assert auth.post("/staff/articles/preview", {"body": "x"}).status_code == 403
    assert client.get("/staff/articles/").status_code == 403
    assert client.get("/staff/articles/new").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_from_the_editor(client):
    response = client.get("/staff/articles/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_release_note_in_the_editor_links_articles(staff_client, client, write_article,
                                                  article_state):
    article_slug = write_article("Migrating to 12.0", "How to migrate.", products=["Orbit ERP"])
    create_in_editor(
        staff_client, action="publish", type="release-note", title="Orbit ERP 12.0",
        release_product="Orbit ERP", release_version="12.0", released_on="2026-03-01",
        highlights="- Faster posting", linked_articles=article_slug, body="Details.")
    state = article_state("orbit-erp-12-0")
    assert state["status"] == "published"
    page = client.get("/release-notes/").get_data(as_text=True)
    assert "Orbit ERP 12.0" in page and "Faster posting" in page
    assert f'href="/articles/{article_slug}"' in page
    note_page = client.get("/release-notes/orbit-erp-12-0").get_data(as_text=True)
    assert "Migrating to 12.0" in note_page and "released 2026-03-01" in note_page
    # a release note's address under /articles/ leads to its own page
    assert client.get("/articles/orbit-erp-12-0").headers["Location"].endswith(
        "/release-notes/orbit-erp-12-0")


def test_linking_an_unknown_article_is_refused(staff_client, article_state):
    response = staff_client.post("/staff/articles/new", editor_data(
        action="publish", type="release-note", title="Hub 4.0",
        release_product="Orbit Integration Hub", release_version="4.0",
        linked_articles="no-such-article"))
    assert response.status_code == 422
    tree, summary = refused_summary(response, "article-problem")
    message = "No article with the slug no-such-article."
    assert problems(summary) == {"#linked_articles": f"Linked articles: {message}"}
    assert described_by(tree, "linked_articles")[-1] == message


def test_publish_now_overrides_an_earlier_schedule(staff_client, client, auth, write_article,
                                                   article_state, customer_on):
    slug = write_article("Rescheduled", "Body",
                         publish_at=datetime.now(UTC) + timedelta(days=5))
    article_id = article_state(slug)["id"]
    staff_client.post(f"/staff/articles/{article_id}/publish")
    assert article_state(slug)["publish_at"] is None
    auth.logout()
    auth.login(customer_on("xtreme"))
    assert client.get(f"/articles/{slug}").status_code == 200
    listed = client.get("/api/v1/articles").get_json()["items"]
    assert [item["slug"] for item in listed] == [slug]
