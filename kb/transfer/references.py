"""Which stored files the database names: every column that holds a file store's key, by
namespace. Copying an installation and checking its store both ask here, so that a new kind
of stored file is added in one place."""

from __future__ import annotations

from sqlalchemy import select

from kb import db
from kb.articles.models import ArticleImage, ArticleRevisionImage
from kb.patches.models import PatchFile
from kb.sessions.models import Recording, RecordingAttachment
from kb.storage import FILES, MEDIA
from kb.support.models import IncidentAttachment

KEY_COLUMNS = {
    FILES: (PatchFile.storage_key, IncidentAttachment.storage_key, ArticleImage.storage_key,
            ArticleRevisionImage.storage_key),
    MEDIA: (Recording.media_path, RecordingAttachment.stored_path),
}


def referenced_keys(namespace: str) -> set[str]:
    """The keys of ``namespace`` that some row names."""
    return {key for column in KEY_COLUMNS[namespace]
            for key in db.session.scalars(select(column).where(column.is_not(None)))}


def is_referenced(namespace: str, key: str) -> bool:
    """Whether some row names ``key``, as committed now."""
    return any(db.session.scalar(select(column).where(column == key).limit(1)) is not None
               for column in KEY_COLUMNS[namespace])
