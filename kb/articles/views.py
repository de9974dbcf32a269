"""Readers' pages: the knowledge base, one article (and its print view), release notes, the
"was this helpful?" vote and following an item."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from kb import filter_pages, markdown, policy
from kb.articles import follows, list_filters, queries, service
from kb.articles.forms import HelpfulForm
from kb.articles.models import ACCESS_FEATURE_BY_TYPE, KINDS, Article
from kb.filter_values import UnknownFilter
from kb.paging import page_number
from kb.safe_redirect import safe_next_url
from kb.web import wants_json

blueprint = Blueprint("articles", __name__)
# a reader who may not open an item still learns its title and why: these refusals give the
# locked page; the others (not found, anonymous) are raised as they are
LOCKED_REASONS = {"plan", "term_lapsed", "no_organization"}
ReleaseNoteLinks = Callable[[Article, object], list[tuple[str, str]]]


def item_url(article: Article, **values) -> str:
    """The reader's address of an article or release note."""
    endpoint = "articles.release_note" if article.is_release_note else "articles.show"
    return url_for(endpoint, slug=article.slug, **values)


def register_release_note_links(app, provider: ReleaseNoteLinks) -> None:
    """Let another area (patches) add (label, url) links under each release note."""
    app.extensions.setdefault("kb.release_note_links", []).append(provider)


def register_withdrawn_warnings(app, provider) -> None:
    """Let the patches area name the withdrawn patches an article warns of:
    ``provider(article, user)`` gives (patch, replacement offer) pairs."""
    app.extensions["kb.withdrawn_warnings"] = provider


def withdrawn_warnings(article: Article) -> list:
    provider = current_app.extensions.get("kb.withdrawn_warnings")
    return provider(article, current_user) if provider else []


def markdown_html(source: str) -> Markup:
    """Markdown rendered and sanitised, for short fields such as a release note's highlights."""
    return markdown.scrolling_tables(markdown.render(source or "").html)


def linked_articles_of(note: Article) -> list[Article]:
    return queries.readable_linked_articles(current_user, note)


def release_note_links(note: Article) -> list[tuple[str, str]]:
    providers = current_app.extensions.get("kb.release_note_links", [])
    return [link for provider in providers for link in provider(note, current_user)]


def _list_page(type_: str, template: str, tags: list[str] | None = None, **context):
    """A list of ``type_``, or (422) the page saying which filter value no item can have, with
    its filters still shown and no entries; ``tags``: those its tag filter offers."""
    policy.require_list(current_user, ACCESS_FEATURE_BY_TYPE[type_])
    try:
        filters = list_filters.checked(current_user, request.args, type_, tags)
    except UnknownFilter as problem:
        filters, refused = filter_pages.as_read(
            lambda kept: list_filters.checked(current_user, kept, type_, tags), request.args,
            problem.field), problem
    else:
        refused = None
    listing = (queries.Page() if refused
               else queries.browse(current_user, filters, page_number(request.args)))
    return render_template(
        template, listing=listing, filters=filters, tags=tags,
        products=queries.products_in_use(current_user, type_),
        versions=queries.versions_in_use(current_user, type_),
        **(filter_pages.refusal(refused) if refused else {}), **context,
    ), filter_pages.STATUS if refused else 200


@blueprint.get("/articles/")
@login_required
def index():
    return _list_page("article", "articles/index.html", tags=queries.tags_in_use(current_user),
                      kinds=KINDS)


@blueprint.get("/release-notes/")
@login_required
def release_notes():
    return _list_page("release-note", "articles/release_notes.html")


def open_item(slug: str, type_: str, address: Callable[[Article], str] = item_url):
    """The article to show, a redirect (renamed slug, other type: to ``address`` of the item)
    or the locked page. Its images answer exactly so too (``image_views``)."""
    opened = queries.open_by_slug(current_user, slug)
    if opened.renamed_to is not None:
        return None, _moved(url_for(request.endpoint,
                                    **{**request.view_args, "slug": opened.renamed_to}))
    if opened.article is None:
        abort(404)
    if opened.article.type != type_:
        return None, _moved(address(opened.article))
    if opened.denial is not None and opened.denial.reason in LOCKED_REASONS \
            and not wants_json():  # a script with a token gets the denial as JSON
        return None, (render_template("articles/locked.html", article=opened.article,
                                      denial=opened.denial), 403)
    if opened.denial is not None:
        raise opened.denial
    return opened.article, None


def _moved(path: str):
    """A permanent redirect to ``path`` on this site, keeping the query string as it came:
    its arguments never reach ``url_for`` (``_external``, ``_method``, ``slug``...)."""
    query = urlencode(list(request.args.items(multi=True)))
    return redirect(f"{path}?{query}" if query else path, 301)


def _render_item(article: Article, helpful_form: HelpfulForm | None = None):
    """The item's page; ``helpful_form``: a refused "was this helpful?" answer, as given."""
    service.refresh_rendering(article)
    template = "articles/print.html" if request.args.get("print") else "articles/show.html"
    return render_template(
        template, article=article,
        related=queries.related_articles(current_user, article),
        vote=queries.vote_of(current_user, article),
        helpful_form=helpful_form or HelpfulForm(formdata=None),
        alert=_alert_it_answers(article), following=follows.is_following(current_user, article),
        helpful=queries.helpful_summary(article) if policy.acts_as_staff(current_user)
        else None)


def _alert_it_answers(article: Article):
    """The critical-issue alert whose workaround the article is, if the reader may read it."""
    from kb.alerts.critical import alert_of_article  # the alerts area builds on articles

    alert = None if article.is_release_note else alert_of_article(article)
    return alert if alert is not None and policy.can_read(current_user, alert) else None


@blueprint.get("/articles/<path:slug>")
def show(slug: str):
    article, answer = open_item(slug, "article")
    return answer if article is None else _render_item(article)


@blueprint.get("/release-notes/<path:slug>")
def release_note(slug: str):
    article, answer = open_item(slug, "release-note")
    return answer if article is None else _render_item(article)


@blueprint.post("/helpful-votes/<int:article_id>")
@login_required
def vote(article_id: int):
    article = service.get_article(article_id)
    policy.require_read(current_user, article, "article")  # before any redirect names it
    form = HelpfulForm()
    if not form.validate_on_submit():  # the choice and the comment as given, each reason beside
        return _render_item(article, form), 422
    service.record_helpful_vote(current_user, article, form.helpful.data == "yes",
                                form.comment.data or "")
    flash("Thank you: your answer has been recorded.", "success")
    return redirect(item_url(article) + "#helpful")


@blueprint.post("/article-follows/<int:article_id>/<any(follow, unfollow):action>")
@login_required
def follow(article_id: int, action: str):
    article = service.get_article(article_id)
    follows.set_following(current_user, article, action == "follow")
    noun = "release note" if article.is_release_note else "article"
    flash(f"You follow this {noun}: you are told when it changes in a way that matters, as your "
          "notification settings say." if action == "follow"
          else f"You no longer follow this {noun}.", "success")
    return redirect(safe_next_url(request.form.get("next")) or item_url(article))
