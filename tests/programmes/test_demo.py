"""`kb demo` opens the demo programme with the Elite organisation accepted, a beta build and its
preview notes kept to it and a question in its members' space; run again, it changes
nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from kb import db
from kb.accounts.queries import user_by_email
from kb.patches.models import Patch
from kb.programmes.models import Programme, ProgrammeApplication
from kb.programmes.queries import articles_of, downloads_of, programmes_for


def test_demo_programme_with_the_elite_organisation_accepted(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Programmes: Orbit ERP 13 early access is open." in first.output
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Programme.id))) == 1
        application = db.session.scalar(select(ProgrammeApplication))
        assert (application.organization.name, application.status) == (
            "Fabrikam Logistics", "accepted")
        customer = user_by_email("elite@demo.test")
        (entry,) = programmes_for(customer)
        assert entry.member and entry.state == "open"
        assert [p.title for p in downloads_of(customer, entry.programme)] == [
            "Orbit ERP 13.0 beta 2"]
        beta = db.session.scalar(select(Patch).where(Patch.title == "Orbit ERP 13.0 beta 2"))
        assert beta.status == "published" and beta.programme_id == entry.programme.id
        assert [a.title for a in articles_of(customer, entry.programme)] == [
            "Orbit ERP 13.0 beta 2: what to try first"]
        assert articles_of(user_by_email("premium@demo.test"), entry.programme) == []
