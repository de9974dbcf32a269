"""Demo community: a space per product, an Elite early-adopter space, and questions with
answers, votes, an accepted answer and an outdated one (idempotent: by slug and title)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from kb import db
from kb.accounts.queries import user_by_email
from kb.community import service, spaces
from kb.community.models import Question, Space
from kb.db import utcnow

SPACES = [
    ("Orbit ERP", "Orbit ERP", "xtreme", "Ledgers, posting, period close, invoicing."),
    ("Orbit Integration Hub", "Orbit Integration Hub", "xtreme",
     "Connectors, message flows, EDI mappings."),
    ("Orbit Analytics", "Orbit Analytics", "xtreme", "Dashboards, data sources, reports."),
    ("Early adopters: Orbit ERP 13 preview", "Orbit ERP", "elite",
     "For organisations in the early adopter programme: the 13.0 preview builds."),
]

# space, asker, title, body, answers (author, body, votes by, outdated note), accepted index
QUESTIONS = [
    ("orbit-erp", "xtreme@demo.test", "Period close hangs at 'Revaluing open items'",
     "Since yesterday the period close for March stops at **Revaluing open items** and never "
     "finishes. Orbit ERP 11.1, SQL Server 2019. Anyone seen this?",
     [("staff@demo.test", "This is the deadlock described in the knowledge base article "
       "*Period close deadlocks on 11.1*. Stop the scheduled posting job while the close "
       "runs, then start the close again.", ["premium@demo.test", "elite@demo.test"], ""),
      ("premium@demo.test", "We had the same. Restarting the application server helped for "
       "us, but only once.", [], "Only a stop-gap: the deadlock returns; see the accepted "
                                 "answer.")], 0),
    ("orbit-erp", "premium@demo.test", "How do you number invoices across two posting servers?",
     "We are adding a second posting server. How do others keep invoice numbers unique "
     "without gaps?",
     [("elite@demo.test", "We reserve number ranges per server (Settings → Number series → "
       "*Ranges per server*). Gaps only appear when a range is abandoned.",
       ["xtreme@demo.test"], "")], None),
    ("orbit-integration-hub", "elite@demo.test", "SFTP connector: key rotation without downtime?",
     "Our partner rotates SSH host keys every 90 days. Can the Hub accept the new key before "
     "the old one is retired?", [], None),
    ("orbit-analytics", "xtreme@demo.test", "Dashboard totals differ from the ERP trial balance",
     "The cash-flow dashboard shows 1,203.50 more than the trial balance for February. "
     "Which refresh setting should I check?",
     [("staff@demo.test", "Check the data source's *currency conversion date*: dashboards "
       "convert at the refresh date unless set to the posting date.", ["elite@demo.test"], "")],
     0),
    ("early-adopters-orbit-erp-13-preview", "elite@demo.test",
     "13.0 preview: where do we report upgrade script errors?",
     "The 13.0 preview upgrade script stopped at step 7 of 12 on our test system. Where should "
     "we send the log?",
     [("staff@demo.test", "Attach it to an incident with the product *Orbit ERP 13 preview*; "
       "the preview team reads those daily.", [], "")], 0),
]


def load(echo: Callable[[str], None]) -> None:
    for name, product, min_plan, description in SPACES:
        if not db.session.scalar(select(Space.id).where(Space.name == name)):
            spaces.create_space(None, spaces.SpaceFields(
                name=name, product=product, min_plan=min_plan, description=description))
    created = sum(_question(*entry) for entry in QUESTIONS)
    echo(f"Community: {created} demo question(s) asked.")


def _question(slug, asker, title, body, answers, accepted) -> bool:
    if db.session.scalar(select(Question.id).where(Question.title == title)):
        return False
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    question = service.ask(user_by_email(asker), space, title, body)
    posted = []
    for author, text, voters, outdated_note in answers:
        answer = service.answer(user_by_email(author), question, text)
        for voter in voters:
            service.vote(user_by_email(voter), answer, 1)
        if outdated_note:
            service.mark_outdated(user_by_email(asker), answer, True, outdated_note)
        posted.append(answer)
    if accepted is not None:
        service.accept(user_by_email(asker), question, posted[accepted])
    _backdate(question, days=len(QUESTIONS) - QUESTIONS.index(
        next(entry for entry in QUESTIONS if entry[2] == title)))
    return True


def _backdate(question: Question, days: int) -> None:
    """Spread the demo questions over the past days, as a living community's are."""
    asked = utcnow() - timedelta(days=days, hours=3)
    question.created_at = question.updated_at = asked
    for number, answer in enumerate(question.answers, start=1):
        answer.created_at = answer.updated_at = asked + timedelta(hours=2 * number)
    question.last_activity_at = max([asked, *(a.created_at for a in question.answers)])
    service.record_index_change(question)
    db.session.commit()
