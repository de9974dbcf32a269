"""Fixtures shared by every test: an app on its own data directory and database, clients,
sign-in helpers and factories. ``KB_DATABASE_URL`` switches the whole suite to PostgreSQL,
where each test gets a schema of its own (for the ``app`` fixture: one emptied for it, see
``TablesSchema``)."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from werkzeug.routing.rules import Rule

import kb.models  # noqa: F401 - every table on the metadata
from kb import create_app, db
from kb.db import Base

# the file stores (local, S3 on loopback): the ``storage`` and ``stored_files`` fixtures
pytest_plugins = ["tests.stores"]

POSTGRES_URL = os.environ.get("KB_DATABASE_URL", "")
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("KB_SHARED_DIR", REPO_ROOT.parent / "shared"))
DEMO_PASSWORD = "demo-password"
IN_CI = os.environ.get("CI", "").lower() == "true"


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip a test that reads the shared material (``../shared``) when a clone has none beside
    it; in CI, which always lays it there, never skip: the test runs and fails if it is gone."""
    return pytest.mark.skipif(not path.exists() and not IN_CI,
                              reason=f"shared material not present: {path}")


def on_postgres() -> bool:
    return POSTGRES_URL.startswith("postgresql")


class IsolatedDatabase:
    """A database nobody else uses: a SQLite file, or a fresh PostgreSQL schema."""

    def __init__(self, directory: Path | None):
        self.schema = None
        if on_postgres():
            self.schema = f"t_{uuid.uuid4().hex[:16]}"
            self._execute(f'CREATE SCHEMA "{self.schema}"')
            separator = "&" if "?" in POSTGRES_URL else "?"
            # a commit need not wait for its WAL to reach the disk: a test never outlives a
            # server crash, and what other connections see is the same
            options = f"-csearch_path={self.schema} -csynchronous_commit=off"
            self.url = f"{POSTGRES_URL}{separator}options={quote(options)}"
        else:
            self.url = f"sqlite:///{directory / 'kb.sqlite3'}"

    def drop(self) -> None:
        if self.schema:
            self._execute(f'DROP SCHEMA "{self.schema}" CASCADE')

    @staticmethod
    def _execute(statement: str) -> None:
        engine = create_engine(POSTGRES_URL, poolclass=NullPool)
        with engine.connect() as connection:
            connection.execute(text(statement))
            connection.commit()
        engine.dispose()


@pytest.fixture
def isolated_database(tmp_path):
    """A fresh, empty database: no tables (for tests that create the schema themselves)."""
    database = IsolatedDatabase(tmp_path)
    yield database
    database.drop()


# What a schema holds besides its rows, which TRUNCATE ... RESTART IDENTITY leaves alone: its
# objects (tables, views, sequences, types, functions...), and the tables' columns,
# constraints, indexes and triggers. Found through pg_depend's indexes, not by scanning pg_class.
# Each is taken as the catalog row that describes it and that row's version (xmin): any DDL
# writes a new version of a row it changes (DELETE, setval and VACUUM write none), so a change
# of the fingerprint means a change of shape. Describing each object instead (its definition
# as text: pg_get_indexdef, format_type, ...) took 15-35 ms a test, this 3 ms.
SCHEMA_SHAPE = text("""
WITH objects AS (
    SELECT classid, objid, objsubid FROM pg_depend
    WHERE refclassid = 'pg_namespace'::regclass AND refobjid = CAST(:schema AS regnamespace)
), relations AS (SELECT objid AS oid FROM objects WHERE classid = 'pg_class'::regclass)
SELECT md5(string_agg(line, ',' ORDER BY line)) FROM (
    SELECT concat_ws(' ', classid, objid, objsubid) AS line FROM objects
  UNION ALL
    SELECT concat_ws(' ', 'class', oid, xmin) FROM pg_class
    WHERE oid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'column', attrelid, attnum, xmin) FROM pg_attribute
    WHERE attrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'default', oid, xmin) FROM pg_attrdef
    WHERE adrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'constraint', oid, xmin) FROM pg_constraint
    WHERE conrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'index', indexrelid, xmin) FROM pg_index
    WHERE indrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'trigger', oid, xmin) FROM pg_trigger
    WHERE tgrelid IN (SELECT oid FROM relations)
  UNION ALL
    SELECT concat_ws(' ', 'sequence', seqrelid, xmin) FROM pg_sequence
    WHERE seqrelid IN (SELECT oid FROM relations)
) AS shape
""")


def emptying_statement() -> str:
    """One round trip that leaves every table of the current schema without rows and every
    sequence where a fresh schema has it (its next value is its start), as ``TRUNCATE ...
    RESTART IDENTITY`` would. DELETE, children before parents, not TRUNCATE: TRUNCATE gives
    each table, index and sequence a new file, i.e. a new pg_class row (some 235 for every
    test), and on this autovacuum-less server the dead rows piled up and slowed every catalog
    lookup: TRUNCATE took 1-2 s a test, DELETE of the few tables with rows takes 20-60 ms.
    The used sequences are found among the schema's own: the ``pg_sequences`` view reads every
    sequence of the database (those of other workers' and left-over schemas too), 20-30 ms
    a test with 480 of them, against 3-10 ms."""
    children_first = ", ".join(f"'{table.name}'" for table in reversed(Base.metadata.sorted_tables))
    return f"""
DO $$
DECLARE
    table_name text;
    used record;
BEGIN
    FOREACH table_name IN ARRAY ARRAY[{children_first}] LOOP
        EXECUTE format('DELETE FROM %I', table_name);
    END LOOP;
    FOR used IN WITH own AS MATERIALIZED (
                    SELECT class.oid, class.relname, sequence.seqstart
                    FROM pg_sequence AS sequence JOIN pg_class AS class
                        ON class.oid = sequence.seqrelid
                    WHERE class.relnamespace = CAST(current_schema() AS regnamespace))
                SELECT relname, seqstart FROM own
                WHERE pg_sequence_last_value(oid) IS NOT NULL LOOP
        PERFORM setval(quote_ident(used.relname), used.seqstart, false);
    END LOOP;
END
$$"""


# The tables of the current schema whose rows (deleted ones included) fill more than 1 MB.
BLOATED_TABLES = text("""
SELECT relname FROM pg_class
WHERE relnamespace = CAST(current_schema() AS regnamespace) AND relkind = 'r'
  AND pg_table_size(oid) > 1024 * 1024
""")


class TablesSchema:
    """The PostgreSQL schema of one worker process's ``app`` fixtures: every table, no rows.

    Why: a fresh schema per test (CREATE SCHEMA and ``create_all`` of every table) costs about
    0.2 s and leaves dead catalog rows behind; emptying this one (``emptying_statement``)
    about 0.02 s, and leaves what a fresh schema would hold: no rows, ids starting at 1.
    Before reusing it, ``take`` checks that the previous test left its shape alone (no table,
    column, index, sequence, ... added, altered or dropped); if it did not, emptying cannot
    undo that, so the schema is dropped and a fresh one made. Tests that need an empty
    database (no tables, e.g. to run the migrations) use ``isolated_database``, which stays
    fresh per test.
    """

    def __init__(self):
        self.database: IsolatedDatabase | None = None
        self.engine = None
        self.shape = None
        self.emptying = text(emptying_statement())

    def take(self) -> str:
        """The URL of the schema, emptied; created on first use and after a change of shape."""
        if self.database is not None and not self._emptied():
            self.drop()
        if self.database is None:
            self.database = IsolatedDatabase(None)
            self.engine = create_engine(self.database.url)
            Base.metadata.create_all(self.engine)
            self.shape = self._shape()
        return self.database.url

    def _emptied(self) -> bool:
        """Empty the schema; False when its shape changed, or emptying it failed."""
        if self._shape() != self.shape:
            return False
        try:
            with self.engine.begin() as connection:
                connection.execute(self.emptying)
                bloated = connection.scalars(BLOATED_TABLES).all()
            if bloated:
                self._vacuum(bloated)
        except DBAPIError:
            return False
        return True

    def _vacuum(self, tables: list[str]) -> None:
        """Give the space of deleted rows back (the server runs without autovacuum): left,
        it would be scanned by every later DELETE and by every query reading a whole table."""
        names = ", ".join(f'"{table}"' for table in tables)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f"VACUUM {names}"))

    def _shape(self) -> str:
        with self.engine.connect() as connection:
            return connection.scalar(SCHEMA_SHAPE, {"schema": self.database.schema})

    def drop(self) -> None:
        if self.database is not None:
            self.engine.dispose()
            self.database.drop()
            self.database = None


@pytest.fixture(scope="session")
def tables_schema():
    """One ``TablesSchema`` per test session, i.e. per xdist worker process."""
    schema = TablesSchema()
    yield schema
    schema.drop()


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
    if on_postgres():
        database_url = request.getfixturevalue("tables_schema").take()
    else:
        database_url = f"sqlite:///{directory / 'kb.sqlite3'}"
        shutil.copyfile(request.getfixturevalue("tables_file"), directory / "kb.sqlite3")
    application = create_app(app_settings(directory / "data", database_url))
    with application.app_context():
        from kb import search

        search.ensure_index()
    application.extensions["kb.database"].engine.dispose()
    return directory / "data" / "index"


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


def _reuse_url_builders() -> None:
    """Werkzeug compiles Python source for every URL rule of every app created (two builders
    per rule: about a third of ``create_app``). A builder depends only on the rule's text, its
    defaults and its converters, the same in every test's app, so each worker compiles it once."""
    compile_builder = Rule._compile_builder
    builders = {}

    def reused_builder(rule: Rule, append_unknown: bool = True):
        key = (rule.rule, append_unknown, repr(sorted((rule.defaults or {}).items())),
               tuple((name, type(converter)) for name, converter in rule._converters.items()))
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    Rule._compile_builder = reused_builder


_reuse_url_builders()


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
def app(tmp_path, request, new_app, storage):
    """The application on a data directory of its own, with a database with every table and no
    rows (on SQLite a copy of ``tables_file``, on PostgreSQL the worker's ``TablesSchema``),
    the search index of such a database (a copy of ``empty_index``) and the file store of the
    ``storage`` fixture (``tests/stores.py``)."""
    index = request.getfixturevalue("empty_index")
    if on_postgres():
        database_url = request.getfixturevalue("tables_schema").take()
    else:
        database_url = f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    application = new_app({**app_settings(tmp_path / "data", database_url), **storage})
    # copied once create_app has set kb's owner-only umask, as kb would have created them
    if not on_postgres():
        shutil.copyfile(request.getfixturevalue("tables_file"), tmp_path / "kb.sqlite3")
    shutil.copytree(index, tmp_path / "data" / "index")
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


@pytest.fixture
def demo_accounts(app):
    """The demo organisations and users of ``kb demo`` (without the areas' demo content)."""
    from kb import demo

    with app.app_context():
        demo.load_accounts()


CSRF_PATTERN = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client, page: str = "/plans") -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF_PATTERN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


class Auth:
    """Signs a test client in and out through the real sign-in form."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = DEMO_PASSWORD, next_url: str = ""):
        token = csrf_token(self.client, "/sign-in")
        return self.client.post(
            "/sign-in",
            data={"email": email, "password": password, "next": next_url, "csrf_token": token},
        )

    def logout(self):
        return self.client.post("/sign-out", data={"csrf_token": csrf_token(self.client)})

    def post(self, url: str, data: dict | None = None, **kwargs):
        """POST a form with the session's CSRF token, as the page's own form would."""
        return self.client.post(
            url, data={**(data or {}), "csrf_token": csrf_token(self.client)}, **kwargs
        )


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make_organization(app):
    """Create an organisation: make_organization(plan="premium", lapsed=False, name=None)."""
    from kb.accounts.models import Organization
    from kb.policy import today

    def make(plan: str = "xtreme", *, lapsed: bool = False, name: str | None = None):
        start = today() - timedelta(days=400 if lapsed else 10)
        with app.app_context():
            organization = Organization(
                name=name or f"Org {uuid.uuid4().hex[:8]}",
                plan=plan,
                term_start=start,
                term_end=start + timedelta(days=364),
            )
            db.session.add(organization)
            db.session.commit()
            return organization.id

    return make


@pytest.fixture
def make_user(app):
    """Create a user: make_user(email, role="customer", organization_id=None, password=...)."""
    from kb.accounts.models import User
    from kb.accounts.passwords import set_password

    def make(email: str | None = None, *, role: str = "customer",
             organization_id: int | None = None, password: str = DEMO_PASSWORD,
             enabled: bool = True):
        with app.app_context():
            user = User(
                email=email or f"user-{uuid.uuid4().hex[:8]}@example.test",
                role=role,
                organization_id=organization_id,
                is_enabled=enabled,
            )
            set_password(user, password)
            db.session.add(user)
            db.session.commit()
            return user.email

    return make


@pytest.fixture
def customer_on(make_organization, make_user):
    """A signed-out customer on a plan: customer_on("premium", lapsed=False) -> e-mail."""

    def make(plan: str, *, lapsed: bool = False, role: str = "customer") -> str:
        return make_user(role=role, organization_id=make_organization(plan, lapsed=lapsed))

    return make


@pytest.fixture
def api_token(app):
    """A fresh API token for the user with this e-mail."""
    from kb.accounts.queries import user_by_email
    from kb.accounts.tokens import create_api_token


    def make(email: str) -> str:
        with app.app_context():
            return create_api_token(user_by_email(email), "test")[1]

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def indexed_status(item_key: str) -> str | None:
    """The status the search index holds for an item ("published"/"unpublished"), or None when
    the item is not in the index. Call inside an app context."""
    from kb.search.index import searcher

    for fields in searcher().documents(item_key=item_key):
        return fields["status"]
    return None
