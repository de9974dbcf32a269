"""Finding patches: the policy's read scope, products and versions (listed, in a range, or
every version), an organisation's installed products, release notes, download counts."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import and_, case, false, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from kb import db, gating, policy
from kb.accounts.models import Organization
from kb.articles.models import Article
from kb.patches.models import Download, Patch, PatchFile
from kb.products import service as products
from kb.products.known import asked_ids, hidden_version_ids
from kb.products.models import Product, ProductVersion


def applies_to_version_clause(version: ProductVersion) -> ColumnElement[bool]:
    """Patches for this version: listed, inside the range, or for every version."""
    has_range = or_(Patch.range_from_key.is_not(None), Patch.range_to_key.is_not(None))
    in_range = and_(
        has_range,
        or_(Patch.range_from_key.is_(None), Patch.range_from_key <= version.sort_key),
        or_(Patch.range_to_key.is_(None), Patch.range_to_key >= version.sort_key),
    )
    every_version = and_(~Patch.versions.any(), ~has_range)
    listed = Patch.versions.any(ProductVersion.id == version.id)
    return and_(Patch.product_id == version.product_id, or_(listed, in_range, every_version))


def organization_clause(organization) -> ColumnElement[bool]:
    """Patches for any product (and version, where recorded) the organisation runs."""
    conditions = [
        applies_to_version_clause(entry.version) if entry.version is not None
        else Patch.product_id == entry.product_id
        for entry in (organization.installed if organization is not None else [])
    ]
    return or_(*conditions) if conditions else false()


@dataclass(frozen=True)
class Neighbours:
    """The patches and release notes a patch names, as far as its reader may learn of them."""

    supersedes: list[Patch]
    superseded_by: list[Patch]
    release_notes: list[Article]


def neighbours(user, patch: Patch) -> Neighbours:
    """What the patch's page and API name beside it: drafts only for staff."""
    return Neighbours(gating.visible(user, patch.supersedes), successors(user, patch),
                      gating.visible(user, patch.release_notes))


def successors(user, patch: Patch) -> list[Patch]:
    """The newer patches that replace this one, as far as ``user`` may learn of them; never a
    withdrawn one (nobody should install it instead)."""
    return [newer for newer in gating.visible(user, patch.superseded_by) if not newer.is_retired]


@dataclass
class PatchPage:
    patches: list[Patch]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def find_patches(user, *, product: str = "", version: str = "", kind: str = "",
                 for_my_organization: bool = False, readable_only: bool = True,
                 with_withdrawn: bool = False, page: int = 1, per_page: int = 20) -> PatchPage:
    """Patches filtered by product (name or slug), version, kind and the user's organisation,
    newest first. ``readable_only`` false includes titles the user may see but not open;
    ``with_withdrawn`` the withdrawn patches too that the user's plan read (their pages say
    why and what instead), asked for on purpose."""
    policy.require(user, "patches")
    shown = (gating.read_filter(Patch, policy.read_scope(user)) if readable_only
             else gating.title_filter(Patch, user))
    if with_withdrawn:
        shown = or_(shown, _withdrawn_readable(user))
    conditions = [shown] if with_withdrawn else [shown, Patch.status != Patch.retired_status]
    found = _product_named(product) if product else None
    if product:
        conditions.append(Patch.product_id == (found.id if found else -1))
    if version:
        named = _versions_named(user, version, found)
        conditions.append(or_(*map(applies_to_version_clause, named)) if named else false())
    if kind:
        conditions.append(Patch.kind == kind)
    if for_my_organization:
        conditions.append(organization_clause(user.organization))
    query = select(Patch).where(*conditions)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, page)
    rows = db.session.scalars(
        query.order_by(Patch.released_on.desc(), Patch.id.desc())
        .offset((page - 1) * per_page).limit(per_page))
    return PatchPage(list(rows), total, page, per_page)


def _withdrawn_readable(user):
    """Withdrawn patches whose page ``user`` may open (``policy.read_denial(retired_too)``)."""
    scope = policy.read_scope(user)
    if scope.everything:
        return Patch.status == Patch.retired_status
    if scope.nothing:
        return false()
    return and_(Patch.status == Patch.retired_status, Patch.published_at.is_not(None),
                Patch.feature_filter(scope.features), Patch.plan_filter(scope.plans),
                Patch.programme_filter(scope.programmes))


def _product_named(name: str) -> Product | None:
    return db.session.scalar(select(Product).where(
        or_(Product.name == name, Product.slug == products.slugify(name))))


def _versions_named(user, name: str, product: Product | None) -> list[ProductVersion]:
    """Versions with this name, in any case: of ``product``, or of every product when it is
    None; "Orbit ERP@12.0" (product name or slug) names the product too. Only those ``user``
    may learn of (``kb.products.known``): one only a draft names lists what a made-up one
    does, not the patches for every version."""
    product_name, at, name = name.rpartition("@")
    query = select(ProductVersion).where(func.lower(ProductVersion.name) == name.strip().lower())
    if at:
        query = query.where(ProductVersion.product.has(
            Product.slug == products.slugify(product_name)))
    if product is not None:
        query = query.where(ProductVersion.product_id == product.id)
    named = list(db.session.scalars(query))
    hidden = hidden_version_ids(user, asked_ids({version.id for version in named}))
    return [version for version in named if version.id not in hidden]


def products_with_patches(user) -> list[Product]:
    """Products having at least one patch whose title ``user`` may see, for browsing."""
    query = (select(Product).join(Patch, Patch.product_id == Product.id)
             .where(gating.title_filter(Patch, user)).distinct().order_by(Product.name))
    return list(db.session.scalars(query))


def patches_for_release_note(user, note: Article) -> list[Patch]:
    """The patches linked to a release note that ``user`` may see the titles of, withdrawn
    ones never."""
    query = (select(Patch).where(Patch.release_notes.any(Article.id == note.id),
                                 gating.title_filter(Patch, user),
                                 Patch.status != Patch.retired_status).order_by(Patch.id))
    return list(db.session.scalars(query))


def release_note_links(note: Article, user) -> list[tuple[str, str]]:
    """Links from a release-note page to the patches of that release the user may open."""
    return [(f"{patch.kind_name}: {patch.title}", url_for("patches.show", patch_id=patch.id))
            for patch in patches_for_release_note(user, note) if policy.can_read(user, patch)]


@dataclass(frozen=True)
class DownloadCount:
    patch_id: int
    patch_title: str
    organization: str
    downloads: int
    completed: int
    bytes_sent: int


def download_counts(actor) -> list[DownloadCount]:
    """Downloads per patch and organisation, for staff."""
    policy.require_staff(actor)
    query = (
        select(Patch.id, Patch.title, func.coalesce(Organization.name, "(staff / no organisation)"),
               func.count(Download.id),
               func.sum(case((Download.outcome == "completed", 1), else_=0)),
               func.coalesce(func.sum(Download.bytes_sent), 0))
        .join(Patch, Patch.id == Download.patch_id)
        .outerjoin(Organization, Organization.id == Download.organization_id)
        .group_by(Patch.id, Patch.title, Organization.name)
        .order_by(Patch.id.desc(), Organization.name)
    )
    return [DownloadCount(pid, title, org, count, int(done or 0), int(sent))
            for pid, title, org, count, done, sent in db.session.execute(query)]


def identical_files(patch_file: PatchFile) -> list[PatchFile]:
    """Files of other patches with the same SHA-256 (stored once, by content address)."""
    return list(db.session.scalars(select(PatchFile).where(
        PatchFile.sha256 == patch_file.sha256, PatchFile.id != patch_file.id)
        .order_by(PatchFile.id)))


def staff_picklists(actor, patch: Patch | None = None) -> dict[str, list]:
    """What a patch form offers staff to pick by title: the patches it may supersede, by
    product (``supersedable``), every release note (to belong to), and every product name."""
    policy.require_staff(actor)
    notes = db.session.execute(select(Article.slug, Article.title).where(
        Article.type == "release-note").order_by(Article.title)).all()
    return {
        "patches": supersedable(patch),
        "release_notes": [(slug, title) for slug, title in notes],
        "products": [(product.name, product.name) for product in products.all_products()],
    }


def supersedable(patch: Patch | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The patches a new patch (None) or ``patch`` may supersede, as (product name, [(id,
    label)]), newest first: a patch supersedes patches of its own product only, so ``patch``
    is offered those of its product but itself. None withdrawn, but those it supersedes
    already (left out, an edit would drop them)."""
    kept = [older.id for older in patch.supersedes] if patch is not None else []
    query = (select(Patch.id, Patch.title, Patch.status, Product.name)
             .join(Product, Patch.product_id == Product.id)
             .where(or_(Patch.status != Patch.retired_status, Patch.id.in_(kept))))
    if patch is not None:
        query = query.where(Patch.product_id == patch.product_id, Patch.id != patch.id)
    groups: dict[str, list[tuple[str, str]]] = {}
    for id_, title, status, product in db.session.execute(query.order_by(
            Product.name, Patch.released_on.desc().nulls_last(), Patch.id.desc())):
        state = "" if status == "published" else f", {status}"
        groups.setdefault(product, []).append((str(id_), f"{title} (#{id_}{state})"))
    return list(groups.items())
