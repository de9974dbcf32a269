"""Patches, service packs and regulatory updates: publishing, entitlement and downloads."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.articles.views import register_release_note_links, register_withdrawn_warnings
    from kb.demo import register_loader
    from kb.patches import commands, demo, queries, views, withdrawn_warnings
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    app.cli.add_command(commands.patch_group)
    add_nav_entry(app, NavEntry("Downloads", "patches.index", "patches"))
    add_nav_entry(app, NavEntry("Patch downloads", "patches.download_counts", staff_only=True,
                                group="Staff"))
    register_loader(app, demo.load)
    register_release_note_links(app, queries.release_note_links)
    register_withdrawn_warnings(app, withdrawn_warnings.withdrawn_patches_of)
