"""Articles and release notes: typed, versioned, product-scoped Markdown items."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from kb import demo
    from kb.articles import commands

    app.cli.add_command(commands.import_command)
    demo.register_loader(app, commands.load_demo_content)
