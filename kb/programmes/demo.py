"""The demo's early adopter programme: Orbit ERP 13 early access, open for another 90 days, with
Fabrikam Logistics (the Elite organisation) accepted, a beta patch and its preview notes kept to
its members, and a question in the members' space."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kb import db, policy
from kb.accounts.models import Organization
from kb.accounts.queries import user_by_email
from kb.articles import service as articles
from kb.articles.fields import ArticleFields
from kb.community import service as community
from kb.community.models import Space
from kb.demo import staff_actor
from kb.patches import service as patches
from kb.patches.demo import demo_file
from kb.programmes import service
from kb.programmes.models import Programme
from kb.storage import Upload, file_store

TITLE = "Orbit ERP 13 early access"
ELITE_ORGANIZATION = "Fabrikam Logistics"
BETA_PATCH = "Orbit ERP 13.0 beta 2"
PREVIEW_NOTES = "Orbit ERP 13.0 beta 2: what to try first"


def load(echo) -> None:
    if db.session.scalar(select(Programme.id).where(Programme.title == TITLE)):
        return
    staff = staff_actor()
    today = policy.today()
    programme = service.open_programme(staff, service.ProgrammeFields(
        title=TITLE, product="Orbit ERP",
        offer="Orbit ERP 13.0 beta builds before general availability, a weekly call with the "
              "development team, and a say in what ships.",
        conditions="Run the beta on a test system only; report what you find within two weeks "
                   "of each build; keep the builds inside your organisation.",
        seats=5, opens_on=today - timedelta(days=7), ends_on=today + timedelta(days=90)))
    echo(f"Programmes: {programme.title} is open.")
    _restrict_a_beta_patch(staff, programme)
    _preview_notes(staff, programme)
    organization = db.session.scalar(
        select(Organization).where(Organization.name == ELITE_ORGANIZATION))
    customer = user_by_email("elite@demo.test")
    if organization is None or customer is None:
        return
    application = service.apply(customer, programme.id,
                                "We plan to move our three plants to 13.0 next spring.")
    service.decide(staff, application.id, True, "Welcome aboard: the first build is ready.")
    space = db.session.scalar(select(Space).where(Space.programme_id == programme.id))
    community.ask(customer, space, "Does beta 2 keep 12.0 custom reports?",
                  "We have forty custom reports on 12.0. Do they carry over to beta 2 as they "
                  "are, or do we export them first?")


def _restrict_a_beta_patch(staff, programme: Programme) -> None:
    staged = file_store().stage(filename="erp-13.0-beta2.zip")
    staged.write(demo_file("erp-13.0-beta2.zip", 64_000))
    draft = patches.publish_patch(staff, patches.PatchDetails(
        product="Orbit ERP", title=BETA_PATCH, versions=["13.0"], released_on=policy.today(),
        summary="The second beta build of Orbit ERP 13.0, for the early adopter programme.",
        description="Install on a test system only."),
        [Upload("erp-13.0-beta2.zip", staged)], publish=False)
    service.keep_to_programme(staff, programme.id, "patch", draft.id, True)
    patches.publish_draft(staff, draft.id)


def _preview_notes(staff, programme: Programme) -> None:
    articles.create_article(staff, ArticleFields(
        title=PREVIEW_NOTES, kind="how-to", products=["Orbit ERP"], min_plan="elite",
        summary="The three changes of beta 2 worth a test run, and how to report what you find.",
        body="## Worth a test run\n\n"
             "1. **Parallel posting**: post a month's journals with *Posting threads* set to 4 "
             "and compare the run time with 12.0.\n"
             "2. **Report designer**: open two of your custom reports and save them again; "
             "tell us what moved.\n"
             "3. **Bank import**: import last month's CAMT.053 statements.\n\n"
             "## Reporting\n\nAsk in the members' space, one question per finding, with the "
             "build number from *Help > About*.\n"), programme_id=programme.id)
