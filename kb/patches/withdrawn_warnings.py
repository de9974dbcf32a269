"""The withdrawn patches an article or release note belongs with (the patch names the note) or
links to (``/patches/<id>`` in its body), so that its page warns "withdrawn: do not install"
rather than go on saying how to install it. Only patches the reader's plan reads are named, each
with the replacement as far as the reader may download it (``gating.offer``)."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from kb import db, gating, policy
from kb.articles.models import Article
from kb.patches.models import Patch
from kb.patches.withdrawn import replacement_for

PATCH_LINK = re.compile(r"/patches/(\d{1,18})\b")


def withdrawn_patches_of(article: Article, user) -> list[tuple[Patch, gating.Offer]]:
    linked = {int(number) for number in PATCH_LINK.findall(article.body or "")}
    query = (select(Patch).where(Patch.status == Patch.retired_status, or_(
        Patch.release_notes.any(Article.id == article.id), Patch.id.in_(linked)))
        .order_by(Patch.id))
    return [(patch, replacement_for(user, patch)) for patch in db.session.scalars(query)
            if policy.read_denial(user, patch, retired_too=True) is None]
