"""Articles and release notes: typed, versioned, product-scoped Markdown items."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb import demo
    from kb.articles import commands, image_views, images, staff_views, views
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    app.register_blueprint(staff_views.blueprint)
    app.register_blueprint(image_views.blueprint)
    app.jinja_env.globals.update(item_url=views.item_url,
                                 linked_articles_of=views.linked_articles_of,
                                 release_note_links=views.release_note_links,
                                 withdrawn_warnings=views.withdrawn_warnings,
                                 article_html=image_views.article_html,
                                 image_url=image_views.image_url, image_limit=images.image_limit)
    app.jinja_env.filters["markdown_html"] = views.markdown_html
    add_nav_entry(app, NavEntry("Knowledge base", "articles.index", feature="how_to"))
    add_nav_entry(app, NavEntry("Release notes", "articles.release_notes",
                                feature="updates_and_docs"))
    add_nav_entry(app, NavEntry("Article editor", "article_editor.index", staff_only=True,
                                group="Staff"))
    app.cli.add_command(commands.import_command)
    demo.register_loader(app, commands.load_demo_content)
