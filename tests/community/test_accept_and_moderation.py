"""The accepted answer (the asker or staff), the solved filter, outdated answers, and staff
moderation: hide, lock, merge duplicates, convert a solved question to a draft article."""

from __future__ import annotations

from kb import db
from kb.accounts.queries import user_by_email
from kb.community.models import Answer, Question
from tests.a11y import described_by, problems, refused_summary
from tests.community.conftest import answer, ask
from tests.conftest import indexed_status


def _accept(client, headers, question_id, answer_id):
    return client.put(f"/api/v1/community/questions/{question_id}/accepted-answer",
                      headers=headers, json={"answer_id": answer_id})


def test_only_the_asker_or_staff_accept_and_the_solved_filter_follows(client, world,
                                                                      token_for):
    refused = _accept(client, token_for("premium"), world.open_question, world.answer)
    assert refused.status_code == 403
    accepted = _accept(client, token_for("xtreme"), world.open_question, world.answer)
    assert accepted.status_code == 200 and accepted.json["solved"] is True
    assert accepted.json["answer_list"][0]["accepted"] is True
    listed = client.get("/api/v1/community/questions", query_string={"filter": "solved"},
                        headers=token_for("elite")).json
    assert [q["id"] for q in listed] == [world.open_question]
    unsolved = client.get("/api/v1/community/questions", query_string={"filter": "unsolved"},
                          headers=token_for("elite")).json
    assert world.open_question not in [q["id"] for q in unsolved]
    withdrawn = _accept(client, token_for("staff"), world.open_question, None)
    assert withdrawn.status_code == 200 and withdrawn.json["solved"] is False


def test_an_answer_of_another_question_cannot_be_accepted(app, client, world, token_for):
    other = ask(app, "xtreme@demo.test", world.open_slug, "Another question entirely")
    foreign = answer(app, "premium@demo.test", other, "Answer there.")
    refused = _accept(client, token_for("xtreme"), world.open_question, foreign)
    assert refused.status_code == 422


def test_the_solved_filter_on_the_page(world, signed_in, client, token_for):
    _accept(client, token_for("xtreme"), world.open_question, world.answer)
    page = signed_in("premium").client.get(f"/community/{world.open_slug}?filter=solved")
    html = page.get_data(as_text=True)
    assert "Posting job stuck in queue" in html and "Solved" in html
    none = signed_in("premium").client.get(f"/community/{world.open_slug}?filter=unanswered")
    assert "Posting job stuck in queue" not in none.get_data(as_text=True)
    bad = signed_in("premium").client.get(f"/community/{world.open_slug}?filter=nonsense")
    assert bad.status_code == 422


def test_the_asker_marks_an_answer_outdated_with_a_note_others_may_not(world, signed_in):
    path = f"/community/answers/{world.answer}/outdated"
    assert signed_in("premium").post(path, {"note": "nope"}).status_code == 403
    asker = signed_in("xtreme")
    assert asker.post(path, {"note": "Fixed in 12.0 SP1"}).status_code == 302
    html = asker.client.get(f"/community/questions/{world.open_question}").get_data(
        as_text=True)
    assert "Outdated." in html and "Fixed in 12.0 SP1" in html
    assert asker.post(f"/community/answers/{world.answer}/current").status_code == 302
    html = asker.client.get(f"/community/questions/{world.open_question}").get_data(
        as_text=True)
    assert "Fixed in 12.0 SP1" not in html


def test_hiding_a_question_hides_it_from_customers_and_search(app, world, signed_in,
                                                              token_for, client):
    staff = signed_in("staff")
    assert signed_in("xtreme").post(
        f"/community/questions/{world.open_question}/hide").status_code == 403
    hidden = staff.post(f"/community/questions/{world.open_question}/hide", {"note": "spam"})
    assert hidden.status_code == 302
    assert signed_in("premium").client.get(
        f"/community/questions/{world.open_question}").status_code == 404
    assert staff.client.get(f"/community/questions/{world.open_question}").status_code == 200
    with app.app_context():
        assert indexed_status(f"question:{world.open_question}") == "unpublished"
    listed = client.get("/api/v1/community/questions", headers=token_for("premium")).json
    assert world.open_question not in [q["id"] for q in listed]
    staff.post(f"/community/questions/{world.open_question}/show")
    assert signed_in("premium").client.get(
        f"/community/questions/{world.open_question}").status_code == 200


def test_a_hidden_answer_is_gone_for_customers_and_loses_its_acceptance(app, world, client,
                                                                        token_for, signed_in):
    _accept(client, token_for("xtreme"), world.open_question, world.answer)
    signed_in("staff").post(f"/community/answers/{world.answer}/hide", {"note": "wrong"})
    seen = client.get(f"/api/v1/community/questions/{world.open_question}",
                      headers=token_for("premium")).json
    assert seen["answer_list"] == [] and seen["solved"] is False
    staff_view = client.get(f"/api/v1/community/questions/{world.open_question}",
                            headers=token_for("staff")).json
    assert staff_view["answer_list"][0]["status"] == "hidden"


def test_a_locked_question_takes_no_answers_from_customers(world, signed_in, client,
                                                           token_for):
    signed_in("staff").post(f"/community/questions/{world.open_question}/lock")
    refused = client.post(f"/api/v1/community/questions/{world.open_question}/answers",
                          headers=token_for("premium"), json={"body": "late"})
    assert refused.status_code == 409 and "locked" in refused.json["error"]
    page = signed_in("premium").client.get(f"/community/questions/{world.open_question}")
    assert "Answers are closed" in page.get_data(as_text=True)
    staff = client.post(f"/api/v1/community/questions/{world.open_question}/answers",
                        headers=token_for("staff"), json={"body": "Staff may still."})
    assert staff.status_code == 201


def test_merging_moves_answers_and_followers_and_the_old_address_leads_there(
        app, world, signed_in, client, token_for):
    duplicate = ask(app, "premium@demo.test", world.open_slug, "Posting job hangs in queue")
    moved = answer(app, "elite@demo.test", duplicate, "Same here; restarting helped.")
    staff = signed_in("staff")
    merged = staff.post(f"/community/questions/{duplicate}/merge",
                        {"target_id": str(world.open_question)})
    assert merged.status_code == 302
    redirect = signed_in("premium").client.get(f"/community/questions/{duplicate}")
    assert redirect.status_code == 301
    assert redirect.headers["Location"].endswith(f"/community/questions/{world.open_question}")
    target = client.get(f"/api/v1/community/questions/{world.open_question}",
                        headers=token_for("premium")).json
    assert moved in [a["id"] for a in target["answer_list"]]
    told = client.get("/api/v1/notifications", headers=token_for("premium")).json
    assert any(n["kind"] == "community.merged" for n in told)
    with app.app_context():
        assert indexed_status(f"question:{duplicate}") is None


def test_a_merged_duplicates_text_stays_on_the_question_it_joins(app, world, signed_in):
    earlier = ask(app, "elite@demo.test", world.open_slug, "Posting queue stuck after restart",
                  "Stuck since we restarted the **posting server**.")
    duplicate = ask(app, "premium@demo.test", world.open_slug, "Posting job never finishes",
                    "Ours stops at 99 % every night on 12.0 SP1.")
    staff = signed_in("staff")
    staff.post(f"/community/questions/{earlier}/merge", {"target_id": str(duplicate)})
    staff.post(f"/community/questions/{duplicate}/merge",
               {"target_id": str(world.open_question)})
    with app.app_context():
        askers = [user_by_email(email).public_name
                  for email in ("elite@demo.test", "premium@demo.test")]
    page = signed_in("xtreme").client.get(
        f"/community/questions/{world.open_question}").get_data(as_text=True)
    merged = page[page.index('id="merged-heading"'):page.index('id="answers-heading"')]
    # both, the one merged into the duplicate before too, credited to their askers
    assert "Ours stops at 99 % every night on 12.0 SP1." in merged
    assert "Stuck since we restarted the <strong>posting server</strong>." in merged
    assert all(asker in merged for asker in askers)


def test_a_hidden_question_is_not_merged(app, world, signed_in):
    duplicate = ask(app, "premium@demo.test", world.open_slug, "Posting job hangs", "Spam?")
    staff = signed_in("staff")
    staff.post(f"/community/questions/{duplicate}/hide", {"note": "off topic"})
    refused = staff.post(f"/community/questions/{duplicate}/merge",
                         {"target_id": str(world.open_question)})
    assert refused.status_code == 409
    page = signed_in("xtreme").client.get(f"/community/questions/{world.open_question}")
    assert "Spam?" not in page.get_data(as_text=True)


def test_a_merge_into_a_question_not_on_the_list_is_refused_beside_the_list(
        app, world, signed_in):
    duplicate = ask(app, "premium@demo.test", world.open_slug, "Posting job hangs", "Again.")

    refused = signed_in("staff").post(f"/community/questions/{duplicate}/merge",
                                      {"target_id": "999999"})

    assert refused.status_code == 422
    page, summary = refused_summary(refused, "merge-problem")
    message = "Choose a question of this space from the list."
    assert problems(summary) == {"#target_id": f"Merge into: {message}"}
    assert described_by(page, "target_id")[-1] == message
    with app.app_context():
        assert db.session.get(Question, duplicate).status != "merged"


def test_a_question_hidden_when_it_was_merged_before_merging_refused_that_stays_hidden(
        app, world, signed_in):
    # merging did not refuse a hidden question before the merged text was shown: such a
    # duplicate kept its moderation note (showing a question clears it), and stays unread
    duplicate = ask(app, "premium@demo.test", world.open_slug, "Posting job hangs",
                    "Our licence key is ABCD-1234, please look.")
    signed_in("staff").post(f"/community/questions/{duplicate}/hide",
                            {"note": "holds a licence key"})
    with app.app_context():
        hidden = db.session.get(Question, duplicate)
        hidden.status, hidden.merged_into_id = "merged", world.open_question
        db.session.commit()
    for who in ("xtreme", "staff"):
        page = signed_in(who).client.get(f"/community/questions/{world.open_question}")
        assert "ABCD-1234" not in page.get_data(as_text=True)


def test_merging_across_spaces_is_refused(app, world, signed_in):
    from kb.community import moderation
    from kb.errors import Invalid

    with app.app_context():
        staff = user_by_email("staff@demo.test")
        try:
            moderation.merge(staff, db.session.get(Question, world.elite_question),
                             db.session.get(Question, world.open_question))
        except Invalid as refusal:
            assert "same space" in refusal.message
        else:
            raise AssertionError("merged across spaces")


def test_convert_to_article_makes_a_draft_of_question_and_accepted_answer(
        app, world, signed_in, client, token_for):
    staff = signed_in("staff")
    too_early = staff.post(f"/community/questions/{world.open_question}/convert")
    assert too_early.status_code == 409
    _accept(client, token_for("xtreme"), world.open_question, world.answer)
    assert signed_in("xtreme").post(
        f"/community/questions/{world.open_question}/convert").status_code == 403
    converted = staff.post(f"/community/questions/{world.open_question}/convert")
    assert converted.status_code == 302 and "/staff/articles/" in converted.headers["Location"]
    with app.app_context():
        question = db.session.get(Question, world.open_question)
        article = question.article
        assert article.status == "draft" and article.title == "Posting job stuck in queue"
        assert "Restart the posting job." in article.body
        assert db.session.get(Answer, world.answer).body in article.body
        slug = article.slug
    assert client.get(f"/api/v1/articles/{slug}", headers=token_for("xtreme")).status_code \
        == 404
    again = staff.post(f"/community/questions/{world.open_question}/convert")
    assert again.status_code == 409


def test_staff_answers_carry_the_staff_badge(world, signed_in):
    html = signed_in("premium").client.get(
        f"/community/questions/{world.open_question}").get_data(as_text=True)
    assert 'class="staff-badge"' in html
