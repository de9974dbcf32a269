"""What a withdrawn patch still answers: its files and checksums are gone (410), saying when,
why and what replaces it (only a replacement the reader may download is named); the gate is
asked first, so a reader it refuses learns nothing."""

from __future__ import annotations

from kb import gating
from kb.errors import Gone
from kb.patches.models import Patch


def replacement_for(user, patch: Patch) -> gating.Offer:
    """What ``user`` is told of the replacement of withdrawn ``patch``."""
    return gating.offer(user, patch.replacement)


class PatchWithdrawn(Gone):
    """A withdrawn patch's file or checksums: when, why, and what replaces it (as far as the
    reader may download the replacement or learn of it, ``replacement_for``)."""

    def __init__(self, patch: Patch, replacement: gating.Offer):
        super().__init__(
            f"{patch.title} was withdrawn on {patch.withdrawn_at:%Y-%m-%d}: "
            f"{patch.withdrawal_reason} Its files can no longer be downloaded.")
        self.patch, self.replacement = patch, replacement

    def json_fields(self) -> dict:
        withdrawal = withdrawal_json(self.patch, self.replacement.item)
        return {"withdrawn": {**withdrawal, "at": withdrawal["at"].isoformat()}}


def withdrawal_json(patch: Patch, replacement: Patch | None) -> dict:
    """When, why, and the id of the replacement ``replacement`` (None: none the reader may
    download), as the API answers them."""
    return {"at": patch.withdrawn_at, "reason": patch.withdrawal_reason,
            "replacement_id": replacement.id if replacement is not None else None}


def refuse_if_withdrawn(user, patch: Patch) -> None:
    """Raise ``PatchWithdrawn`` for a withdrawn patch: asked after the gate, so a reader the
    gate refuses learns nothing of the withdrawal."""
    if patch.is_retired:
        raise PatchWithdrawn(patch, replacement_for(user, patch))
