"""Patches, service packs and regulatory updates, their stored files and every download."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb import plans
from kb.accounts.models import Organization, User
from kb.articles.models import Article
from kb.db import Base, UTCDateTime, utcnow
from kb.gating import Gated, KeptToProgramme
from kb.products.models import Product, ProductVersion
from kb.programmes.models import Programme

# "release": a product's full installation media, downloaded as patches are (the brochure's
# portal lets customers "download products or patches")
KINDS = ("patch", "service-pack", "regulatory", "release")
KIND_NAMES = {"patch": "Patch", "service-pack": "Service pack", "regulatory": "Regulatory update",
              "release": "Product release"}
# a withdrawn patch is offered nowhere and its files are gone, but its page still tells its
# readers why and what to install instead
STATUSES = ("draft", "published", "withdrawn")
# what became of one download request
OUTCOMES = ("started", "completed", "interrupted", "handed-off")

patch_versions = Table(
    "patch_versions", Base.metadata,
    Column("patch_id", ForeignKey("patches.id", ondelete="CASCADE"), primary_key=True),
    Column("version_id", ForeignKey("product_versions.id", ondelete="CASCADE"),
           primary_key=True),
)
# a newer patch (often a service pack) replaces older ones
patch_supersedes = Table(
    "patch_supersedes", Base.metadata,
    Column("newer_id", ForeignKey("patches.id", ondelete="CASCADE"), primary_key=True),
    Column("older_id", ForeignKey("patches.id", ondelete="CASCADE"), primary_key=True),
)
patch_release_notes = Table(
    "patch_release_notes", Base.metadata,
    Column("patch_id", ForeignKey("patches.id", ondelete="CASCADE"), primary_key=True),
    Column("release_note_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
)


class Patch(KeptToProgramme, Gated, Base):
    __tablename__ = "patches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="patch", index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"),
                                            index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    install_notes: Mapped[str] = mapped_column(Text, default="")
    known_issues: Mapped[str] = mapped_column(Text, default="")
    released_on: Mapped[date | None] = mapped_column(Date)
    min_plan: Mapped[str] = mapped_column(String(20), default=plans.LOWEST_PLAN)
    # a draft is visible to staff only; a patch is published once every file is verified
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # besides the listed versions, every version whose sort key lies in this range (either
    # end may be open); no versions and no range means every version of the product
    range_from: Mapped[str | None] = mapped_column(String(60))
    range_from_key: Mapped[str | None] = mapped_column(String(200))
    range_to: Mapped[str | None] = mapped_column(String(60))
    range_to_key: Mapped[str | None] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # only the members of this early-adopter programme may read it (kb/programmes)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # what to install instead of a withdrawn patch: another published patch of its product
    replacement_id: Mapped[int | None] = mapped_column(
        ForeignKey("patches.id", ondelete="SET NULL"))

    # rendering cache of the four Markdown sections, redone when a source or the renderer
    # version changes
    rendered: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    render_key: Mapped[str | None] = mapped_column(String(64))

    product: Mapped[Product] = relationship()
    author: Mapped[User | None] = relationship()
    programme: Mapped[Programme | None] = relationship()
    replacement: Mapped[Patch | None] = relationship(remote_side=[id],
                                                     foreign_keys=[replacement_id])
    versions: Mapped[list[ProductVersion]] = relationship(
        secondary=patch_versions, order_by="ProductVersion.sort_key")
    fixed_issues: Mapped[list[FixedIssue]] = relationship(
        back_populates="patch", cascade="all, delete-orphan", order_by="FixedIssue.position")
    files: Mapped[list[PatchFile]] = relationship(
        back_populates="patch", cascade="all, delete-orphan", order_by="PatchFile.position")
    supersedes: Mapped[list[Patch]] = relationship(
        secondary=patch_supersedes,
        primaryjoin=lambda: Patch.id == patch_supersedes.c.newer_id,
        secondaryjoin=lambda: Patch.id == patch_supersedes.c.older_id,
        back_populates="superseded_by", order_by="Patch.id",
    )
    superseded_by: Mapped[list[Patch]] = relationship(
        secondary=patch_supersedes,
        primaryjoin=lambda: Patch.id == patch_supersedes.c.older_id,
        secondaryjoin=lambda: Patch.id == patch_supersedes.c.newer_id,
        back_populates="supersedes", order_by="Patch.id",
    )
    release_notes: Mapped[list[Article]] = relationship(
        secondary=patch_release_notes, order_by="Article.title")

    access_feature = "patches"
    retired_status = "withdrawn"

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def applies_to_text(self) -> str:
        """The versions in words: '11.0, 11.1', '11.0 to 12.0', 'all versions'."""
        parts = [version.name for version in self.versions]
        if self.range_from or self.range_to:
            if self.range_from and self.range_to:
                parts.append(f"{self.range_from} to {self.range_to}")
            elif self.range_from:
                parts.append(f"{self.range_from} and later")
            else:
                parts.append(f"up to {self.range_to}")
        return ", ".join(parts) or "all versions"

    def __str__(self) -> str:
        return self.title


class FixedIssue(Base):
    """An issue a patch fixes: its identifier (e.g. ERP-4711) and a line of text."""

    __tablename__ = "patch_fixed_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    patch_id: Mapped[int] = mapped_column(ForeignKey("patches.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    identifier: Mapped[str] = mapped_column(String(60), index=True)
    text: Mapped[str] = mapped_column(Text, default="")

    patch: Mapped[Patch] = relationship(back_populates="fixed_issues")


class PatchFile(Base):
    """One downloadable file of a patch; its bytes live in the file store under ``key``."""

    __tablename__ = "patch_files"
    __table_args__ = (UniqueConstraint("patch_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patch_id: Mapped[int] = mapped_column(ForeignKey("patches.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    content_type: Mapped[str] = mapped_column(String(200), default="application/octet-stream")
    storage_key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the stored file's fingerprint (inode, size, times) when its SHA-256 was last checked:
    # a download re-hashes the file only when the fingerprint has changed since
    verified_fingerprint: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    patch: Mapped[Patch] = relationship(back_populates="files")


class Download(Base):
    """One download request of a patch file: who, for which organisation, how much arrived."""

    __tablename__ = "patch_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("patch_files.id", ondelete="CASCADE"),
                                         index=True)
    patch_id: Mapped[int] = mapped_column(ForeignKey("patches.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    range_start: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_requested: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_sent: Mapped[int] = mapped_column(BigInteger, default=0)
    outcome: Mapped[str] = mapped_column(String(20), default="started")

    file: Mapped[PatchFile] = relationship()
    patch: Mapped[Patch] = relationship()
    user: Mapped[User | None] = relationship()
    organization: Mapped[Organization | None] = relationship()
