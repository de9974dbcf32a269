"""The answers of /api/v1/patches."""

from __future__ import annotations

from pydantic import Field

from kb.api.responses import IsoDate, IsoDateTime, ResponseBody


class PatchFile(ResponseBody):
    id: int
    name: str
    size: int
    sha256: str
    content_type: str
    url: str = Field(description="downloads the file (Range, ETag)")


class VersionRange(ResponseBody):
    from_: str | None = Field(alias="from")
    to: str | None


class FixedIssue(ResponseBody):
    id: str
    text: str


class Withdrawal(ResponseBody):
    at: IsoDateTime
    reason: str
    replacement_id: int | None = Field(description="the patch to install instead, if any")


class Patch(ResponseBody):
    id: int
    kind: str
    title: str
    summary: str
    product: str
    versions: list[str]
    version_range: VersionRange | None
    applies_to: str
    released: IsoDate | None
    min_plan: str
    status: str
    fixed_issues: list[FixedIssue]
    supersedes: list[int]
    superseded_by: list[int]
    release_notes: list[str]
    page_url: str
    checksums_url: str
    files: list[PatchFile] = Field(description="empty once the patch is withdrawn")
    withdrawn: Withdrawal | None = Field(description="when, why and what replaces it; null "
                                                     "while the patch is not withdrawn")


class PatchPage(ResponseBody):
    total: int
    page: int
    per_page: int
    patches: list[Patch]
