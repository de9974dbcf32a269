"""The database: declarative base, one engine per app, one session per app context."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

from kb.config import ConfigurationError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC datetime is required")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class KbSession(Session):
    """kb's sessions. kb's own session events (the search index sync) listen on this class,
    so they never fire for a session some other code opens."""


class Database:
    """The engine and session factory of one application."""

    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10):
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size, max_overflow=max_overflow)
        self.sessionmaker = sessionmaker(self.engine, class_=KbSession, expire_on_commit=False)


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 10) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size,
                         max_overflow=max_overflow)


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def init_app(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    try:
        app.extensions["kb.database"] = Database(
            url, pool_size=int(app.config["DATABASE_POOL_SIZE"]),
            max_overflow=int(app.config["DATABASE_MAX_OVERFLOW"]))
    except ArgumentError as problem:  # the scheme only: the rest may hold a password
        raise ConfigurationError(
            f"KB_DATABASE_URL: kb cannot use a database URL starting {url.partition(':')[0]+':'!r}"
            f" ({problem}); PostgreSQL is postgresql+psycopg://USER@HOST/DATABASE.") from None
    app.teardown_appcontext(_close_session)


def database() -> Database:
    return current_app.extensions["kb.database"]


def get_session() -> Session:
    if "db_session" not in g:
        g.db_session = database().sessionmaker()
    return g.db_session


def _close_session(exception: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is None:
        return
    if exception is not None:
        db_session.rollback()
    db_session.close()


session: Session = LocalProxy(get_session)  # type: ignore[assignment]
"""The current app context's session; services commit it, views never do."""
