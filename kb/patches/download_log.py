"""The record of every patch download: who asked for which bytes, and how many went out."""

from __future__ import annotations

from kb import db, policy
from kb.db import utcnow
from kb.patches.models import Download, PatchFile


def start_download(user, patch_file: PatchFile, start: int, stop: int,
                   handed_off: bool = False) -> int:
    """Record that a download of bytes [start, stop) begins; returns the record's id."""
    download = Download(
        file_id=patch_file.id, patch_id=patch_file.patch_id,
        user_id=user.id if policy.is_signed_in(user) else None,
        organization_id=getattr(user, "organization_id", None),
        range_start=start, bytes_requested=stop - start,
        outcome="handed-off" if handed_off else "started",
    )
    db.session.add(download)
    db.session.commit()
    return download.id


def finish_download(download_id: int, bytes_sent: int) -> None:
    """Record how many bytes of a download actually went out."""
    download = db.session.get(Download, download_id)
    if download is None:
        return
    download.bytes_sent = bytes_sent
    download.finished_at = utcnow()
    download.outcome = "completed" if bytes_sent >= download.bytes_requested else "interrupted"
    db.session.commit()
