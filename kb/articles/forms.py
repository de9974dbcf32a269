"""The staff editor's form and the readers' "was this helpful?" form."""

from __future__ import annotations

from datetime import UTC

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from kb import plans
from kb.articles.fields import ArticleFields, unknown_versions, version_names
from kb.articles.models import KINDS, Article
from kb.errors import Invalid
from kb.forms import choices, length, optional_database_id, required

TYPE_PAIRS = [("article", "Article"), ("release-note", "Release note")]
KIND_PAIRS = [("", "(none)")] + [(kind, kind.replace("-", " ").capitalize()) for kind in KINDS]
PLAN_PAIRS = [(plan, plans.plan_name(plan)) for plan in plans.PLANS]
# the editor's submit buttons: the status each one saves with
ACTIONS = {"draft": "draft", "review": "review", "publish": "published"}


def _alert_id(raw: str | None) -> int | None:
    try:
        return optional_database_id(raw)
    except ValueError:
        raise Invalid("Choose one of the open alerts, or none.", "answers_alert") from None


def split_list(text: str | None) -> list[str]:
    """'a, b\\nc' -> ['a', 'b', 'c']"""
    return [part.strip() for part in (text or "").replace("\n", ",").split(",") if part.strip()]


class ArticleForm(FlaskForm):
    type = SelectField("Type", choices=choices(TYPE_PAIRS),
                       invalid_choice_message="Choose a type from the list.")
    title = StringField("Title", validators=[required("a title"), length("the title", max=500)])
    slug = StringField("Slug", validators=[Optional(), length("the slug", max=300)],
                       description="The address: /articles/<slug>. Renaming keeps the old "
                                   "address working as a redirect.")
    summary = TextAreaField("Summary", validators=[length("the summary", max=2000)])
    body = TextAreaField("Body (Markdown)", render_kw={"rows": 18})
    kind = SelectField("Kind", choices=choices(KIND_PAIRS),
                       invalid_choice_message="Choose a kind from the list.")
    products = SelectMultipleField("Products", choices=[],
                                   invalid_choice_message="Choose products from the list.")
    versions = StringField("Versions", description=(
        "Comma-separated, e.g. 11.1, 12.0 (of the first product); "
        "name the product for another: Orbit ERP 12.0"))
    new_versions = BooleanField("Versions not known yet: create them")
    tags = StringField("Tags", description="Comma-separated")
    min_plan = SelectField("Minimum plan", choices=choices(PLAN_PAIRS),
                           invalid_choice_message="Choose a plan from the list.")
    critical = BooleanField(
        "Workaround for a critical issue",
        description="Its alert reaches the plans that may read this article: keep the minimum "
                    "plan at Xtreme to tell every customer who runs the product.")
    answers_alert = SelectField(
        "Answers the alert", choices=[], validate_choice=False,
        description="The open alert this workaround answers: publishing it moves that alert "
                    "on. None: publishing opens an alert of its own.")
    publish_at = DateTimeLocalField("Publish at (UTC)", validators=[Optional()],
                                    description="Leave empty to publish at once.")
    release_product = SelectField("Release of product", choices=[], validate_choice=False)
    release_version = StringField("Release version",
                                  validators=[length("the release version", max=60)])
    released_on = DateField("Released on", validators=[Optional()])
    highlights = TextAreaField("Highlights (Markdown)")
    linked_articles = TextAreaField("Linked articles", description="Slugs, one a line")
    note = StringField("Revision note", validators=[length("the revision note", max=300)])
    tell_followers = BooleanField(
        "Tell its followers about this change",
        description="They get the revision note as what changed. Leave it off for small "
                    "corrections.")

    def set_product_choices(self, product_names: list[str]) -> None:
        pairs = [(name, name) for name in product_names]
        self.products.choices = choices(pairs)
        self.release_product.choices = choices([("", "(none)")] + pairs)

    def fill_from(self, article: Article) -> None:
        """Show an existing article's values (on GET only: a POST keeps what was sent)."""
        self.process(obj=article)
        self.products.data = [product.name for product in article.products]
        self.versions.data = ", ".join(version_names(article))
        self.tags.data = ", ".join(tag.name for tag in article.tags)
        self.kind.data = article.kind or ""
        self.publish_at.data = article.publish_at.replace(tzinfo=None) \
            if article.publish_at else None
        self.release_product.data = article.release_product.name \
            if article.release_product else ""
        self.release_version.data = article.release_version.name \
            if article.release_version else ""
        self.linked_articles.data = "\n".join(a.slug for a in article.related_articles)
        self.note.data = ""

    def validate_versions(self, field) -> None:
        """Each version named is one its product has; a new one only on purpose."""
        named = list(self.products.data or []) or (
            [self.release_product.data] if self.release_product.data else [])
        unknown = [] if self.new_versions.data else unknown_versions(named, split_list(field.data))
        if unknown:
            raise ValidationError(f"Not a version its product has: {', '.join(map(repr, unknown))}"
                                  ". Correct it, or tick the box below to create it.")

    def to_fields(self, action: str) -> ArticleFields:
        publish_at = self.publish_at.data.replace(tzinfo=UTC) if self.publish_at.data else None
        return ArticleFields(
            title=self.title.data or "", body=self.body.data or "", type=self.type.data,
            slug=(self.slug.data or "").strip() or None, summary=self.summary.data or "",
            kind=self.kind.data or None, products=list(self.products.data or []),
            versions=split_list(self.versions.data), tags=split_list(self.tags.data),
            min_plan=self.min_plan.data, critical=bool(self.critical.data),
            answers_alert=_alert_id(self.answers_alert.data) if self.critical.data else None,
            status=ACTIONS.get(action, "draft"),
            publish_at=publish_at if action == "publish" else None,
            product=self.release_product.data or None,
            version=(self.release_version.data or "").strip() or None,
            released_on=self.released_on.data, highlights=self.highlights.data or "",
        )


class HelpfulForm(FlaskForm):
    helpful = RadioField("Was this helpful?", choices=choices([("yes", "Yes"), ("no", "No")]),
                         validators=[InputRequired(message="Choose yes or no.")],
                         invalid_choice_message="Choose yes or no.")
    comment = TextAreaField("Comment (optional)", validators=[
        Length(max=2000, message="Keep the comment to 2,000 characters.")])


class ImageForm(FlaskForm):
    image = FileField("Image (PNG, JPEG, GIF or WebP)")
