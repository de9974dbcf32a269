"""The staff editor: write and edit articles and release notes with a live preview, move them
through the workflow, read their history, compare and restore revisions."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from kb import markdown, policy
from kb.alerts import queries as alert_queries
from kb.alerts.critical import alert_of_article
from kb.articles import follows, image_html, image_uploads, image_views, images, queries, service
from kb.articles.forms import ArticleForm, ImageForm
from kb.errors import Conflict, DomainError, Invalid
from kb.forms import choices, database_id
from kb.paging import page_number
from kb.products.service import all_products
from kb.storage import Upload
from kb.time_zones import local_time
from kb.web import csrf, json_error

blueprint = Blueprint("article_editor", __name__, url_prefix="/staff/articles")
STATUS_ACTIONS = {"draft": "draft", "review": "review", "publish": "published",
                  "archive": "archived"}


@blueprint.before_request
@login_required
def _staff_only():
    policy.require_staff(current_user)


@blueprint.get("/")
def index():
    filters = queries.Filters(type=request.args.get("type", ""),
                              status=request.args.get("status", ""),
                              title=request.args.get("title", "").strip())
    listing = queries.staff_list(filters, page_number(request.args))
    return render_template("articles/staff_list.html", listing=listing, filters=filters)


def _editor_form(answered=None) -> ArticleForm:
    """The editor's form; ``answered`` is the alert the article is the workaround of."""
    form = ArticleForm()
    form.set_product_choices([product.name for product in all_products()])
    open_alerts = ([answered] if answered else []) + alert_queries.alerts_awaiting_a_workaround()
    form.answers_alert.choices = choices(
        [("", "None: a new alert")]
        + [(str(alert.id), f"#{alert.id} {alert.title}") for alert in open_alerts])
    return form


def _linked_slugs(form: ArticleForm) -> list[str] | None:
    if form.type.data != "release-note":
        return None
    return [line for line in (form.linked_articles.data or "").splitlines() if line.strip()]


def _state(article) -> str:
    """The article's status as readers meet it: published for later is not published yet."""
    if article.visible_from is not None and not article.is_published:
        return f"scheduled for {local_time(article.visible_from)}"
    return article.status


def _refused(form: ArticleForm, refusal: DomainError) -> int:
    """Put a refusal of the service in the form's summary, and beside the field it names
    (atop the form where it names none the editor shows)."""
    if refusal.field and refusal.field in form:
        form[refusal.field].errors = [*form[refusal.field].errors, refusal.message]
    else:
        form.form_errors.append(refusal.message)
    return refusal.status


def _saved_or_form(form: ArticleForm, article, save):
    """Run ``save(fields, note, linked)`` for a valid form; on a refusal show the form again
    with everything the author typed and the reason."""
    status = 200
    if form.validate_on_submit():
        try:
            article = save(form.to_fields(request.form.get("action", "draft")),
                           form.note.data or "", _linked_slugs(form))
        except (Invalid, Conflict) as refusal:
            status = _refused(form, refusal)
        else:
            flash(f"“{article.title}” has been saved ({_state(article)}).", "success")
            return redirect(url_for("article_editor.edit", article_id=article.id))
    elif form.is_submitted():
        status = 422
    return render_template("articles/editor.html", form=form, article=article,
                           image_form=ImageForm(),
                           followers=follows.follower_count(article) if article else 0,
                           images=images.images_of(article) if article else []), status


@blueprint.route("/new", methods=["GET", "POST"])
def new():
    form = _editor_form()
    if not form.is_submitted():
        form.type.data = request.args.get("type", "article")
    return _saved_or_form(form, None, lambda fields, note, linked: service.create_article(
        current_user, fields, note, linked))


@blueprint.route("/<int:article_id>/edit", methods=["GET", "POST"])
def edit(article_id: int):
    article = service.get_article(article_id)
    answered = alert_of_article(article)
    form = _editor_form(answered)
    if not form.is_submitted():
        form.fill_from(article)
        form.answers_alert.data = str(answered.id) if answered else ""
    return _saved_or_form(form, article, lambda fields, note, linked: service.update_article(
        current_user, article, fields, note, linked, tell_followers=form.tell_followers.data))


@blueprint.post("/<int:article_id>/<any(draft, review, publish, archive):action>")
def change_status(article_id: int, action: str):
    article = service.get_article(article_id)
    service.change_status(current_user, article, STATUS_ACTIONS[action])
    flash(f"“{article.title}”: {service.STATUS_NOTES[article.status].lower()}.", "success")
    return redirect(url_for("article_editor.edit", article_id=article.id))


@blueprint.get("/<int:article_id>/history")
def history(article_id: int):
    article = service.get_article(article_id)
    return render_template("articles/history.html", article=article,
                           revisions=queries.revisions_of(article))


@blueprint.get("/<int:article_id>/diff")
def diff(article_id: int):
    article = service.get_article(article_id)
    older = queries.get_revision(article, request.args.get("from", 0, type=database_id))
    newer = queries.get_revision(article, request.args.get("to", 0, type=database_id))
    if older.number > newer.number:
        older, newer = newer, older
    return render_template("articles/diff.html", article=article, older=older, newer=newer,
                           lines=queries.diff_revisions(older, newer))


@blueprint.post("/<int:article_id>/revisions/<int:number>/restore")
def restore(article_id: int, number: int):
    article = service.get_article(article_id)
    restored = service.restore_revision(current_user, article, number)
    flash(f"Revision {number} has been restored as a new revision."
          + _listed(" Images brought back: ", restored.brought_back), "success")
    if restored.lost:
        flash(_listed("Images no longer stored, shown as missing: ", restored.lost), "error")
    return redirect(url_for("article_editor.history", article_id=article.id))


def _listed(intro: str, names: list[str]) -> str:
    return f"{intro}{', '.join(names)}." if names else ""


@blueprint.post("/preview")
def preview():
    """The sanitised HTML of the Markdown sent, as readers would get it; with ``article_id``,
    its ``images/<name>`` show that article's images (and notes for those it lacks)."""
    rendered = markdown.render(request.form.get("body", ""), local_images=True)
    article_id = request.form.get("article_id", type=database_id)
    body = (image_views.article_html(service.get_article(article_id), rendered.html)
            if article_id else image_html.with_images(rendered.html, [], image_views.no_address,
                                                      show_missing=True))
    return jsonify({"html": str(markdown.scrolling_tables(body)), "toc": rendered.toc})


@blueprint.post("/<int:article_id>/images")
@csrf.exempt  # the size is checked before the body is read; ImageForm checks CSRF
def upload_image(article_id: int):
    """Upload an image (one of the same name is replaced). A script gets JSON (the new list
    of images, or the error), so the author's unsaved text stays in the page."""
    article = service.get_article(article_id)
    return image_uploads.answered(
        _answer_images(article, lambda: _uploaded(article, image_uploads.received_image_form())))


def _uploaded(article, form: ImageForm) -> str:
    file = form.image.data
    if not form.validate_on_submit() or file is None or not file.filename:
        raise Invalid("Choose an image file to upload.")
    image = images.add_image(current_user, article,
                             Upload(file.filename, file.stream, file.mimetype or ""))
    return f"{image.name} has been uploaded: paste {image.markdown} into the text to show it."


@blueprint.route("/<int:article_id>/images/<int:image_id>/remove", methods=["GET", "POST"])
def remove_image(article_id: int, image_id: int):
    """Say what removing an image does and ask; only the confirmed form removes it (a removal
    sent without ``confirm`` is asked about first)."""
    article = service.get_article(article_id)
    image = images.get_image(article, image_id)
    if request.method == "GET":
        return render_template("articles/remove_image.html", article=article, image=image,
                               uses=article.body.count(f"images/{image.name}"))
    name = image.name
    if request.form.get("confirm") != "yes":
        if _wants_json():
            return json_error(f"Confirm that {name} is to be removed.", 422)
        return redirect(request.path, 303)

    def removed() -> str:
        images.remove_image(current_user, image)
        return f"{name} has been removed."
    return _answer_images(article, removed)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _answer_images(article, change: Callable[[], str]):
    """Run ``change``; answer a script with JSON (the message and the new list of images, or
    the refusal and its status), a browser without scripts with a redirect to the editor."""
    as_json = _wants_json()
    try:
        message, category = change(), "success"
    except DomainError as refusal:
        if as_json:
            return json_error(refusal.message, refusal.status)
        message, category = refusal.message, "error"
    if as_json:
        return jsonify({"message": message, "html": render_template(
            "articles/_images.html", article=article, images=images.images_of(article),
            image_form=ImageForm(formdata=None))})  # the body is read already
    flash(message, f"image-{category}")  # shown beside the upload, where the page lands
    return redirect(url_for("article_editor.edit", article_id=article.id) + "#images")
