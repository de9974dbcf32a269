"""Fixtures shared by every test: an app on its own data directory and database, clients,
sign-in helpers and factories. ``KB_DATABASE_URL`` switches the whole suite to PostgreSQL,
where each test gets a schema of its own (for the ``app`` fixture: one emptied for it, see
``TablesSchema`` in ``tests/databases.py``)."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest
from jinja2 import BytecodeCache
from sqlalchemy.util import LRUCache
from werkzeug.routing.rules import Rule

import kb.models  # noqa: F401 - every table on the metadata
from kb import create_app, db
from kb.db import Base

# names tests import from here, kept where they were
from tests.databases import POSTGRES_URL, IsolatedDatabase, TablesSchema, on_postgres
from tests.engines import forget_search_tables
from tests.warm_connections import WARM_CONNECTIONS
from tests.web import CSRF_PATTERN, DEMO_PASSWORD, Auth, bearer, csrf_token

__all__ = ["CSRF_PATTERN", "DEMO_PASSWORD", "POSTGRES_URL", "REPO_ROOT", "SHARED_DIR", "Auth",
           "IsolatedDatabase", "TablesSchema", "app_settings", "bearer", "csrf_token",
           "indexed_status", "needs_shared", "on_postgres"]

pytest_plugins = [
    "tests.stores",  # the file stores (local, S3 on loopback): ``storage``, ``stored_files``
    "tests.engines",  # the search engines (Whoosh, PostgreSQL): ``search_engine``
    "tests.databases",  # ``isolated_database``, ``tables_schema``
    "tests.factories",  # ``auth``, ``make_organization``, ``make_user``, ``customer_on``, ...
]

# Each test builds an app, an engine and their mappings: objects enough that the collector's
# default thresholds (700, 10, 10) had a worker process make a full pass every 40 tests, each
# 0.2-0.3 s over everything earlier tests left alive, some 12 % of the tests' CPU all told
# (measured with gc.callbacks over tests/accounts, support and patches: 5.8 s of 46 s). Young
# objects are looked at every 10,000 allocations instead of 700, and full passes come rarely
# (there: 1 instead of 14; the collector's CPU 2.1 s); the memory a worker holds stayed at
# 340 MB
gc.set_threshold(10_000, 20, 10)


def _read_whole_answers() -> None:
    """A test client reads each answer whole and closes it, as a WSGI server closes what the
    app answers: left open, a file answer's file warned (an error here) when the collector
    came by, in whichever test was running then. A test that streams says buffered=False."""
    from flask.testing import FlaskClient

    unbuffered = FlaskClient.open

    def open_buffered(self, *args, buffered: bool = True, **kwargs):
        return unbuffered(self, *args, buffered=buffered, **kwargs)

    FlaskClient.open = open_buffered


_read_whole_answers()

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("KB_SHARED_DIR", REPO_ROOT.parent / "shared"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test that reads the shared material (``../shared``) when a clone has none beside
    it; in CI, which always lays it there, never skip: the test runs and fails if it is gone."""
    return pytest.mark.skipif(not path.exists() and not IN_CI,
                              reason=f"shared material not present: {path}")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """``--dist loadgroup`` sends the tests of one ``xdist_group`` to one worker by the
    ``@group`` suffix of their node ids, which pytest-xdist (3.8) writes to ``item._nodeid``;
    pytest 9.2 reads an id from ``item._id`` instead, so no test had a suffix and every group
    was spread over the workers: two live servers and two Chromiums for the browser tests,
    the demo portal of the robustness tests loaded twice, two Quick start clones. Adds the
    suffix where xdist's went unread (on a worker, after every conftest marked its tests)."""
    try:
        from _pytest.nodeid import NodeId  # pytest 9.2; before it, xdist's suffix is read
    except ImportError:
        return
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        groups = {str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                  for mark in item.iter_markers("xdist_group")}
        suffix = "@" + "_".join(sorted(groups))
        if groups and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def tables_file(tmp_path_factory) -> Path:
    """A SQLite file with every table and no rows, made once per worker process; each ``app``
    gets a copy (copying takes a millisecond, ``create_all`` of every table 0.1-0.4 s)."""
    path = tmp_path_factory.mktemp("tables") / "kb.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def empty_index(tmp_path_factory, request) -> Path:
    """The search index ``ensure_index`` builds from a database without rows, built once per
    worker process; each ``app`` gets a copy (building it takes 40 ms of CPU and several
    fsyncs, copying it a few milliseconds)."""
    directory = tmp_path_factory.mktemp("empty-index")
    application = create_app(app_settings(directory / "data",
                                          empty_database_url(request, directory)))
    with application.app_context():
        from kb import search

        search.ensure_index()
    application.extensions["kb.database"].engine.dispose()
    return directory / "data" / "index"


def empty_database_url(request, directory: Path) -> str:
    """A database with every table and no rows for a worker process's own use (a session
    fixture's): the worker's ``TablesSchema`` emptied, or a copy of ``tables_file`` in
    ``directory``."""
    if on_postgres():
        return request.getfixturevalue("tables_schema").take()
    shutil.copyfile(request.getfixturevalue("tables_file"), directory / "kb.sqlite3")
    return f"sqlite:///{directory / 'kb.sqlite3'}"


def app_settings(data_dir: Path, database_url: str) -> dict:
    return {
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "BASE_URL": "http://kb.test",
        # fast hashing in tests; production uses scrypt
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for every app a worker process creates: each test's
    app would otherwise parse and compile every template it renders again (a sixth of the
    suite's time)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def _reuse_compiled_rules() -> None:
    """Werkzeug parses every URL rule of every app created and compiles Python source for two
    URL builders per rule: about half of ``create_app``, for some 1,200 apps a worker process.
    What compiling gives (the rule's parts, its converters, its builders) depends only on the
    rule's text, defaults, host or subdomain and the map's converters, the same in every test's
    app: each worker compiles a rule once and gives its twins in later apps the same parts,
    with the builders bound to them."""
    compile_rule = Rule.compile
    compiled: dict[tuple, Rule] = {}

    def reused_compile(rule: Rule) -> None:
        key = (rule.rule, rule.map.host_matching, rule.host, rule.subdomain, rule.merge_slashes,
               repr(sorted((rule.defaults or {}).items())),
               tuple(sorted(rule.map.converters.items())))
        twin = compiled.get(key)
        if twin is None:
            compile_rule(rule)
            compiled[key] = rule
            return
        rule._parts, rule._trace, rule._converters = twin._parts, twin._trace, twin._converters
        rule.arguments = set(twin.arguments)
        rule._build = twin._build.__func__.__get__(rule, None)
        rule._build_unknown = twin._build_unknown.__func__.__get__(rule, None)

    Rule.compile = reused_compile


_reuse_compiled_rules()


class CompiledStatements(LRUCache):
    """SQLAlchemy's cache of compiled statements, shared by every engine of one dialect that a
    worker process's apps create. Each engine keeps its own, keyed by its dialect object, so
    every test's app compiled every statement it ran again: the PostgreSQL pass took 512 s
    instead of 432 s. The engines kb makes for one kind of database differ only in their URL
    (file, schema), which no compiled statement holds, so the key leaves the dialect out."""

    def get(self, key, default=None):
        return super().get(key[1:], default)

    def __setitem__(self, key, compiled) -> None:
        super().__setitem__(key[1:], compiled)


def _share_compiled_statements() -> None:
    make_engine = db.make_engine
    shared: dict[type, CompiledStatements] = {}

    def sharing_make_engine(url: str, **options):
        engine = make_engine(url, **options)
        engine._compiled_cache = shared.setdefault(type(engine.dialect), CompiledStatements(5000))
        WARM_CONNECTIONS.adopt(engine)  # PostgreSQL: the previous test's connections, warm
        return engine

    db.make_engine = sharing_make_engine


_share_compiled_statements()


@pytest.fixture
def new_app():
    """``create_app`` for a test, whose database connections are closed when the test ends
    (an engine left to the garbage collector leaves its pooled connections open)."""
    created = []

    def make(settings: dict):
        application = create_app(settings)
        application.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        created.append(application)
        return application

    yield make
    for application in created:
        application.extensions["kb.database"].engine.dispose()


@pytest.fixture
def app(tmp_path, request, new_app, storage, search_engine):
    """The application on a data directory of its own, with a database with every table and no
    rows (on SQLite a copy of ``tables_file``, on PostgreSQL the worker's ``TablesSchema``),
    the search index of such a database (a copy of ``empty_index``) and the file store of the
    ``storage`` fixture (``tests/stores.py``), searching with the engine of the
    ``search_engine`` fixture (``tests/engines.py``)."""
    index = request.getfixturevalue("empty_index")
    if on_postgres():
        database_url = request.getfixturevalue("tables_schema").take()
    else:
        database_url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    application = new_app({**app_settings(tmp_path / "data", database_url), **storage,
                           **search_engine})
    # copied once create_app has set kb's owner-only umask, as kb would have created them
    if not on_postgres():
        shutil.copyfile(request.getfixturevalue("tables_file"), tmp_path / "kb.sqlite3")
    shutil.copytree(index, tmp_path / "data" / "index")
    if search_engine:
        request.addfinalizer(lambda: forget_search_tables(application))
    with application.app_context():
        from kb import search

        search.ensure_index()  # finds the copy current: the index it would build
    return application


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def indexed_status(item_key: str) -> str | None:
    """The status the search index holds for an item ("published"/"unpublished"), or None when
    the item is not in the index, whichever engine holds it. Call inside an app context."""
    from kb.search.backend import backend_name

    if backend_name() == "postgresql":
        from sqlalchemy import text

        with db.database().engine.connect() as connection:
            return connection.scalar(text(
                "SELECT status FROM search_documents WHERE item_key = :key LIMIT 1"),
                {"key": item_key})
    from kb.search.whoosh.index import searcher

    for fields in searcher().documents(item_key=item_key):
        return fields["status"]
    return None
