"""Telling of a withdrawn patch. Who downloaded it gets a recall: once each, however many of its
files they fetched, and only those who can still sign in and whose plan still reads the patch;
told in the portal and by e-mail even to someone who turned off news of patches. The product's
subscribers (of a version it applies to, or every version) who may read it are told too, as
news of patches, through their preferences; one notice key, so nobody is told twice."""

from __future__ import annotations

from sqlalchemy import select

from kb import db, gating, policy
from kb.accounts.models import User
from kb.alerts import subscriptions
from kb.alerts.dispatch import Notice, tell
from kb.alerts.notices import patch_covers
from kb.links import absolute_url, path_for
from kb.patches.models import Download, Patch
from kb.patches.withdrawn import replacement_for


def downloaders(patch: Patch) -> list[User]:
    """Everyone who asked for any of the patch's files and may still open its page (the
    policy refuses a disabled account as a signed-out visitor, and a lapsed term)."""
    users = db.session.scalars(
        select(User).where(User.id.in_(
            select(Download.user_id).where(Download.patch_id == patch.id)))
        .order_by(User.id))
    return [user for user in users
            if policy.read_denial(user, patch, retired_too=True) is None]


def tell_downloaders(patch: Patch) -> int:
    """Tell each downloader (in the caller's transaction) that the patch was withdrawn, why,
    and what to install instead (only a replacement they may download); the number told."""
    return sum(tell(user, _notice(patch, replacement_for(user, patch)))
               for user in downloaders(patch))


def tell_subscribers(patch: Patch) -> int:
    """Tell the product's subscribers the patch covers who may read it (in the caller's
    transaction, after ``tell_downloaders``: a downloader already told is not told again);
    the number told."""
    readers = [user for user, _ in subscriptions.subscribers({patch.product_id},
                                                             patch_covers(patch))
               if policy.read_denial(user, patch, retired_too=True) is None]
    return sum(tell(user, _notice(patch, replacement_for(user, patch), recall=False))
               for user in readers)


def _notice(patch: Patch, replacement: gating.Offer, *, recall: bool = True) -> Notice:
    if replacement.item is not None:
        instead = (f"Install {replacement.item.kind_name.lower()} “{replacement.item.title}” "
                   "instead:\n" + absolute_url(path_for("patches.show",
                                                        patch_id=replacement.item.id),
                                               for_email=True))
    elif replacement.on_plan is not None:
        instead = (f"A replacement is available on {replacement.on_plans_phrase}; your plan "
                   "does not include it. Do not install this one; if you already have, follow "
                   "the reason above or contact support.")
    else:
        instead = ("There is no replacement yet. Do not install it; if you already have, "
                   "follow the reason above or contact support.")
    you = ("You downloaded" if recall else "You follow news of")
    about = f"{patch.product.name}. " if recall else f"{patch.product.name}: "
    body = (f"{you} {patch.kind_name.lower()} “{patch.title}” for {about}"
            f"It was withdrawn on {patch.withdrawn_at:%Y-%m-%d} and can no longer be "
            f"downloaded.\n\nWhy: {patch.withdrawal_reason}\n\n{instead}")
    if recall:
        body += ("\n\nThis is a recall notice. Everyone who downloaded the patch gets it, also "
                 "those who turned off e-mail about patches.")
    return Notice("patch.withdrawn", f"“{patch.title}” is withdrawn",
                  path_for("patches.show", patch_id=patch.id), body=body,
                  product_id=patch.product_id, key=f"patch:{patch.id}:withdrawn", recall=recall)
