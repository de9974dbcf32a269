"""``kb community space add|gate|list`` and ``kb demo``'s community questions."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.community.models import Answer, Question, Space


def test_space_add_gate_and_list(app, runner):
    added = runner.invoke(args=["community", "space", "add", "--name", "Orbit Payroll beta",
                                "--product", "Orbit Payroll", "--min-plan", "elite"])
    assert added.exit_code == 0, added.output
    assert added.output.strip().splitlines()[-1] == "/community/orbit-payroll-beta"
    again = runner.invoke(args=["community", "space", "add", "--name", "Orbit Payroll beta"])
    assert again.exit_code != 0 and "already a space" in again.output
    reserved = runner.invoke(args=["community", "space", "add", "--name", "Ask"])
    assert reserved.exit_code != 0 and "page of its own" in reserved.output
    gated = runner.invoke(args=["community", "space", "gate", "orbit-payroll-beta",
                                "--min-plan", "premium"])
    assert gated.exit_code == 0 and "Premium and Elite" in gated.output
    listed = runner.invoke(args=["community", "space", "list"])
    assert "orbit-payroll-beta\tpremium\tOrbit Payroll beta" in listed.output


def test_demo_holds_community_questions_and_is_idempotent(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Community: 5 demo question(s) asked." in first.output
    second = runner.invoke(args=["demo"])
    assert "Community: 0 demo question(s) asked." in second.output
    with app.app_context():
        # the early adopter programme's demo adds its members' space and a question there
        assert db.session.scalar(select(func.count(Space.id)).where(
            Space.programme_id.is_(None))) == 4
        assert db.session.scalar(select(func.count(Question.id)).where(
            Question.space.has(Space.programme_id.is_(None)))) == 5
        assert db.session.scalar(select(func.count(Question.id)).where(
            Question.accepted_answer_id.is_not(None))) == 3
        assert db.session.scalar(select(func.count(Answer.id)).where(Answer.outdated)) == 1
        elite = db.session.scalar(select(Space).where(Space.min_plan == "elite",
                                                      Space.programme_id.is_(None)))
        assert elite is not None
