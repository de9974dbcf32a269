"""Titles staff give live sessions, recordings and patches are one line: a line break or a
bidirectional override would otherwise ride into notices' titles, feeds and calendar invites."""

from __future__ import annotations

from kb import db
from kb.patches.models import Patch
from kb.sessions.models import LiveSession, Recording
from tests.alerts.critical_helpers import _patch

TYPED = "Queue\nmonitoring \u202elive\u202c  again"
SHOWN = "Queue monitoring live again"


def _title(app, model, item_id: int) -> str:
    with app.app_context():
        return db.session.get(model, item_id).title


def test_a_live_sessions_title_is_one_line(app, schedule):
    assert _title(app, LiveSession, schedule(title=TYPED)) == SHOWN


def test_a_recordings_title_is_one_line(app, publish):
    assert _title(app, Recording, publish(title=TYPED)) == SHOWN


def test_a_patchs_title_is_one_line(app, demo_accounts):
    assert _title(app, Patch, _patch(app, TYPED)) == SHOWN
