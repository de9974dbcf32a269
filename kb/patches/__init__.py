"""Patches, service packs and regulatory updates: publishing, entitlement and downloads."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb.demo import register_loader
    from kb.patches import commands, demo, queries, views
    from kb.web import NavEntry, add_nav_entry

    app.register_blueprint(views.blueprint)
    app.cli.add_command(commands.patch_group)
    add_nav_entry(app, NavEntry("Patches", "patches.index", "patches"))
    add_nav_entry(app, NavEntry("Patch downloads", "patches.download_counts", staff_only=True))
    register_loader(app, demo.load)
    # for templates/patches/_for_release_note.html, included by the release-note page
    app.jinja_env.globals["patches_for_release_note"] = queries.patches_for_release_note
