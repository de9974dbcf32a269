"""What the patch download tests share: the size of the Elite patch file, the download records."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.patches.models import Download

SIZE = 300_000


def downloads(app) -> list[Download]:
    with app.app_context():
        return list(db.session.scalars(select(Download).order_by(Download.id)))
