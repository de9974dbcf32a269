"""kb: the knowledge and learning portal of a software vendor's tiered support plans."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from kb import config as settings
from kb import data_directory

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then DATA_DIR/config.py, the environment, overrides."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    _configure(app, overrides or {})

    from kb import db, web
    from kb.accounts import auth

    db.init_app(app)
    auth.init_app(app)
    web.init_app(app)
    _register_areas(app)
    return app


def create_process_app(overrides: dict[str, Any] | None = None) -> Flask:
    """``create_app`` for an application that lives as long as its process: a ``kb`` command,
    a server worker, a process building a share of the index. Built with the cyclic garbage
    collector paused: importing every area makes some 150,000 lasting objects, and the full
    passes the collector made over them on the way were 0.4 s of CPU, a fifth of a command's
    start. Then frozen, so that later passes skip it too (in ``kb serve``'s master, before the
    workers fork, which is what ``gc.freeze`` is for)."""
    gc.disable()
    try:
        app = create_app(overrides)
    finally:
        gc.enable()
    gc.freeze()
    return app


def command_catalogue() -> Flask:
    """A bare application holding every area's ``kb`` commands, built without this
    installation's settings: ``kb --help`` lists them from it when those settings are unusable."""
    app = Flask(__name__)
    app.config.update(settings.DEFAULTS)
    _register_areas(app)
    return app


def _configure(app: Flask, overrides: dict[str, Any]) -> None:
    app.config.update(settings.DEFAULTS)
    data_dir = Path(
        overrides.get("DATA_DIR") or os.environ.get("KB_DATA_DIR") or settings.DEFAULTS["DATA_DIR"]
    ).resolve()
    app.config.from_pyfile(str(data_dir / "config.py"), silent=True)
    app.config.update(settings.from_environment(os.environ))
    app.config.update(overrides)
    app.config["DATA_DIR"] = str(data_dir)
    data_directory.prepare(data_dir)
    _check_storage(app.config)
    _check_mail(app.config)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = settings.default_database_url(data_dir)
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or settings.load_or_create_secret_key(
        data_dir
    )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(app.config["SECURE_COOKIES"]),
        SESSION_COOKIE_NAME="kb_session",
        MAX_CONTENT_LENGTH=app.config["MAX_UPLOAD_BYTES"],
        WTF_CSRF_TIME_LIMIT=None,
    )
    _check_search_backend(app.config)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _check_storage(config) -> None:
    """Refuse to start on a storage URL kb cannot use, or an X-Sendfile hand-off (a path on
    this server's disk) with files in an object store."""
    from kb.storage import check_storage_url

    check_storage_url(config["STORAGE_URL"])
    if config["STORAGE_URL"] and config["PATCH_SEND_VIA"] == "x-sendfile":
        raise settings.ConfigurationError(
            "KB_PATCH_SEND_VIA=x-sendfile needs files on this server's disk; "
            "with KB_STORAGE_URL=s3://... leave it empty.")


def _check_mail(config) -> None:
    """Refuse to start on an SMTP URL or an address e-mail could not be sent with (found
    otherwise only when the first message fails, or queueing it does)."""
    from kb.alerts.addresses import check_address_setting
    from kb.alerts.delivery import smtp_server

    if config["SMTP_URL"]:
        try:
            smtp_server(config["SMTP_URL"])
        except ValueError as problem:
            raise settings.ConfigurationError(str(problem)) from None
    for name in ("MAIL_FROM", "INVITE_ORGANIZER"):
        check_address_setting(name, config[name])


def _check_search_backend(config) -> None:
    """Refuse to start on a search engine kb does not have, or PostgreSQL search on a database
    that is not PostgreSQL."""
    from kb.search.backend import BACKENDS

    name = config["SEARCH_BACKEND"]
    if name not in BACKENDS:
        raise settings.ConfigurationError(
            f"KB_SEARCH_BACKEND={name!r}: choose one of {', '.join(BACKENDS)}.")
    if name == "postgresql" and not config["DATABASE_URL"].startswith("postgresql"):
        raise settings.ConfigurationError(
            "KB_SEARCH_BACKEND=postgresql searches inside the PostgreSQL "
            "database: set KB_DATABASE_URL=postgresql+psycopg://...")


def _register_areas(app: Flask) -> None:
    """Each area registers its blueprints, commands and navigation entries."""
    from kb import (
        alerts,
        api,
        articles,
        cli,
        community,
        elite,
        main,
        notifications,
        patches,
        products,
        programmes,
        search,
        sessions,
        support,
        transfer,
    )
    from kb.accounts import views as accounts_views

    main.init_app(app)
    accounts_views.init_app(app)
    search.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    articles.init_app(app)
    products.init_app(app)
    patches.init_app(app)
    notifications.init_app(app)
    sessions.init_app(app)
    alerts.init_app(app)
    support.init_app(app)
    elite.init_app(app)
    transfer.init_app(app)
    community.init_app(app)
    programmes.init_app(app)
