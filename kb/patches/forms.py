from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, Regexp, ValidationError

from kb import plans
from kb.forms import choices, length, required
from kb.patches.changes import MAX_REASON_LENGTH
from kb.patches.details import PatchDetails, details_from_text, issue_line, split_list
from kb.patches.models import KIND_NAMES, Patch
from kb.patches.reach import choice_label
from kb.patches.service import RANGE_SEPARATOR
from kb.products.models import Product
from kb.products.names import slugify
from kb.products.service import all_products

KIND_PAIRS = list(KIND_NAMES.items())
PLAN_PAIRS = [(plan, f"{plans.plan_name(plan)} and above") for plan in plans.PLANS]


class ListField(StringField):
    """Comma-separated values, typed, or picked several at once from a ``<select multiple>``
    of the same name (every value the form sent is kept, not only the first)."""

    def process_formdata(self, valuelist):
        self.data = ", ".join(value for value in valuelist if value.strip()) if valuelist else ""

    @property
    def values(self) -> list[str]:
        return split_list((self.data or "").replace("#", ""))


class PatchForm(FlaskForm):
    """The metadata of a new patch; its files arrive in the same multipart request."""

    product = StringField("Product", validators=[required("the product"),
                                                 length("the product", max=200)],
                          description="Start typing to pick a product. A name not known yet "
                                      "needs the box below ticked, so a typo never creates one.",
                          render_kw={"list": "products", "autocomplete": "off"})
    new_product = BooleanField("This is a new product: create it")
    versions = StringField(
        "Versions it applies to", validators=[Optional(), length("the versions", max=500)],
        description="Comma-separated, and/or one range such as 11.0..12.0; "
                    "empty means every version.")
    new_versions = BooleanField("Versions not known yet: create them")
    title = StringField("Title", validators=[required("a title"), length("the title", max=300)])
    kind = SelectField("Kind", choices=choices(KIND_PAIRS), default="patch",
                       invalid_choice_message="Choose a kind from the list.")
    min_plan = SelectField("Available to", choices=choices(PLAN_PAIRS), default=plans.LOWEST_PLAN,
                           invalid_choice_message="Choose a plan from the list.")
    released_on = DateField("Release date", validators=[Optional()])
    summary = TextAreaField("Summary", validators=[Optional(), length("the summary", max=2000)])
    description = TextAreaField("Description (Markdown)", validators=[Optional()])
    fixed_issues = TextAreaField(
        "Fixed issues", validators=[Optional()],
        description="One a line: identifier, a colon, the text (ERP-4711: Totals rounded).")
    prerequisites = TextAreaField("Prerequisites (Markdown)", validators=[Optional()])
    install_notes = TextAreaField("Installation notes (Markdown)", validators=[Optional()])
    known_issues = TextAreaField("Known issues (Markdown)", validators=[Optional()])
    supersedes = ListField(
        "Supersedes patches", validators=[Optional(), Regexp(r"^[\d,\s#]*$")],
        description="The patches of its product this one replaces (Ctrl or ⌘ picks "
                    "several).")
    release_notes = ListField(
        "Release notes", validators=[Optional(), length("the release notes", max=1000)],
        description="Release notes this patch belongs to (Ctrl or ⌘ picks several).")
    publish = BooleanField("Publish now (otherwise keep as a draft)", default=True)

    def validate_product(self, field) -> None:
        """A known product by its name in any case; an unknown name only on purpose."""
        by_slug = {product.slug: product.name for product in all_products()}
        known = by_slug.get(slugify(field.data or ""))
        if known is not None:
            field.data = known
        elif not self.new_product.data:
            raise ValidationError(f"There is no product {field.data.strip()!r}. Pick one from "
                                  "the list, or tick the box to create it.")

    def validate_versions(self, field) -> None:
        """Each version listed is one its product has; a new one only on purpose (a range's
        ends need not be versions)."""
        product = self.product_of_patch()
        if product is None or self.new_versions.data:
            return
        known = {version.name.casefold() for version in product.versions}
        unknown = [name for name in split_list(field.data or "")
                   if RANGE_SEPARATOR not in name and name.casefold() not in known]
        if unknown:
            raise ValidationError(
                f"{product.name} has no version {', '.join(map(repr, unknown))}. Correct it, "
                "or tick the box below to create it.")

    def product_of_patch(self) -> Product | None:
        """The known product named (None for a new one)."""
        return next((product for product in all_products()
                     if product.slug == slugify(self.product.data or "")), None)

    def details(self) -> PatchDetails:
        typed = {name: value or "" for name, value in self.data.items()
                 if isinstance(value, str) or value is None}
        return details_from_text(typed, [self.versions.data or ""], self.released_on.data)


class PatchEditForm(PatchForm):
    """Corrections of a patch: everything the publishing form says but its product and files
    (and whether to publish: that stays as it is)."""

    product = None
    new_product = None
    publish = None
    edited: Patch | None = None  # set by the view, before validating

    def product_of_patch(self) -> Product | None:
        return self.edited.product if self.edited is not None else None


def edit_form_data(patch: Patch) -> dict:
    """What the edit form starts with: the patch as it stands, written as a publisher types."""
    versions = [version.name for version in patch.versions]
    if patch.range_from or patch.range_to:
        versions.append(f"{patch.range_from or ''}{RANGE_SEPARATOR}{patch.range_to or ''}")
    return {
        "title": patch.title, "kind": patch.kind, "min_plan": patch.min_plan,
        "released_on": patch.released_on, "summary": patch.summary,
        "description": patch.description, "prerequisites": patch.prerequisites,
        "install_notes": patch.install_notes, "known_issues": patch.known_issues,
        "versions": ", ".join(versions),
        "fixed_issues": "\n".join(issue_line(issue.identifier, issue.text)
                                  for issue in patch.fixed_issues),
        "supersedes": ", ".join(str(older.id) for older in patch.supersedes),
        "release_notes": ", ".join(note.slug for note in patch.release_notes),
    }


class WithdrawForm(FlaskForm):
    """Withdrawing a published patch: why (customers read it), what to install instead, and a
    tick that says staff mean it."""

    reason = TextAreaField(
        "Why it is withdrawn", validators=[DataRequired("Say why the patch is withdrawn."),
                                           length("the reason", max=MAX_REASON_LENGTH)],
        description="Customers read this on the patch page and in the e-mail to everyone who "
                    "downloaded it.")
    replacement = SelectField("Install instead", choices=[],
                              invalid_choice_message="Choose a published patch of the same "
                                                     "product from the list, or none.",
                              description="Another published patch of the same product.")
    fewer_reached = BooleanField(
        "Name it anyway, although fewer customers may download it than this patch")
    confirm = BooleanField(
        "Yes, withdraw it: its files can no longer be downloaded and everyone who downloaded "
        "them is told", validators=[DataRequired("Tick the box to confirm the withdrawal.")])

    def offer(self, candidates: list[Patch]) -> None:
        self.replacement.choices = choices(
            [("", "No replacement")]
            + [(str(patch.id), choice_label(patch)) for patch in candidates])

    @property
    def replacement_id(self) -> int | None:
        return int(self.replacement.data) if self.replacement.data else None
