"""PostgreSQL connections handed on from one test's app to the next within a worker process.

Each test's app has an engine of its own, disposed when the test ends, and every one of them
opened new connections: a new server process, which then loads the catalog entries of every
table and index it touches before its first statements run (some 15-25 ms of both
processes' CPU per test). The connections an engine would close go idle into a small pool
of this worker's instead, and the next engine for the same URL (the same schema: the worker's
``TablesSchema``, emptied between tests) is handed them before it opens any.

Only a clean connection is kept: open, not broken, no transaction open (the engine's pool
rolled it back when it was returned). kb keeps no state on a connection outside a transaction
(its ``SET``s are ``SET LOCAL``, its advisory locks are transaction locks), so a kept one is
what a new one would be, its caches warm. A connection the engine terminates (one the garbage
collector found checked out, or invalidated) is closed as before."""

from __future__ import annotations

import atexit

from sqlalchemy.engine import Engine

MOST_KEPT = 4  # an app uses one or two at a time; a few for the threads of a live server


class WarmConnections:
    def __init__(self, most: int = MOST_KEPT):
        self.most = most
        self.idle: list[tuple[str, object]] = []  # (URL, DBAPI connection), oldest first

    def adopt(self, engine: Engine) -> None:
        """Have ``engine`` take kept connections of its URL first and keep those it closes."""
        if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
            return
        url = engine.url.render_as_string(hide_password=False)
        pool, dialect = engine.pool, engine.dialect
        create, close = pool._creator, dialect.do_close

        def creator(connection_record=None):
            return self.take(url) or create(connection_record)

        def keep_or_close(connection) -> None:
            if not self.keep(url, connection):
                close(connection)

        # a pool's copies (``dispose`` makes one) take the creator with them
        pool._creator = creator
        dialect.do_close = keep_or_close
        dialect.do_terminate = close

    def take(self, url: str):
        for position in range(len(self.idle) - 1, -1, -1):
            if self.idle[position][0] == url:
                return self.idle.pop(position)[1]
        return None

    def keep(self, url: str, connection) -> bool:
        from psycopg.pq import TransactionStatus

        if connection.closed or connection.broken \
                or connection.info.transaction_status != TransactionStatus.IDLE:
            return False
        _forget_notice_handlers(connection)
        self.idle.append((url, connection))
        while len(self.idle) > self.most:
            self.idle.pop(0)[1].close()
        return True

    def close_all(self) -> None:
        while self.idle:
            self.idle.pop()[1].close()


def _forget_notice_handlers(connection) -> None:
    """The dialect adds its notice handler on every connect: without this a kept connection
    would gather one more for every engine it served."""
    from sqlalchemy.dialects.postgresql.psycopg import _log_notices

    try:
        connection.remove_notice_handler(_log_notices)
    except ValueError:
        pass


WARM_CONNECTIONS = WarmConnections()
atexit.register(WARM_CONNECTIONS.close_all)
