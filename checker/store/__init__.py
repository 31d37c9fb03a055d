"""The store: every check run remembered (``check --store``), for the history of a project and the portfolio.
May import: the layers below (text … report); only checker.cli and checker.web import it.

A SQLite file (default ``renovcheck.db``, WAL mode) or a PostgreSQL database, through SQLAlchemy Core; the schema
is made and upgraded by the Alembic migrations in ``checker/store/migrations``. Opening a store checks what it is
before anything is written: a file that is not SQLite, a database without our marker table, a corrupt file or a
schema from a newer renovcheck is a :class:`StoreError` (the CLI's exit 2), and the file is left as it was.

Writers take the store's write lock for the whole of a run (SQLite ``BEGIN IMMEDIATE`` with a busy timeout,
PostgreSQL an advisory transaction lock while the schema is made), so two runs writing at once both land whole.

May import: text, i18n, model, inputs, schema, lang, engine, rulebook, modes, check, report (it records check
results, recommends modes for them, and renders its answers with the report layer's helpers).
"""
from __future__ import annotations

import operator
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

    from checker.store.record import RunRow

DEFAULT_FILE = "renovcheck.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FORMAT = "renovcheck-store"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 60  # how long a writer waits for another run's write to finish
_PG_LOCK = 0x72656E6F  # the advisory lock key of schema creation ("reno")


class StoreError(Exception):
    """A store that cannot be used as asked; ``key`` and ``params`` name the message (checker/i18n/messages.py)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def url_of(target: str) -> str:
    """A SQLAlchemy URL for what the user gave: a URL (``postgresql://…`` uses psycopg 3) or a file path."""
    if "://" in target:
        for scheme in ("postgresql://", "postgres://"):
            if target.startswith(scheme):
                return "postgresql+psycopg://" + target[len(scheme):]
        return target
    return "sqlite:///" + os.path.abspath(target)


def shown(target: str) -> str:
    """The store as messages name it: a file name, or a URL without its password."""
    if "://" not in target:
        return target
    from sqlalchemy.engine import make_url

    try:
        return make_url(url_of(target)).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported by open_store; here only its scheme is safe to show
        return target.split("://", 1)[0] + "://…"


def open_store(target: str, write: bool) -> "Store":
    """The store at ``target`` (a path or a URL), checked; with ``write`` a new one is made or an old one upgraded.

    Raises StoreError before anything is written when it is not a usable store."""
    from sqlalchemy import create_engine, exc
    from sqlalchemy.engine import make_url

    url = url_of(target)
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        raise StoreError("store.bad_url", store=shown(target)) from None
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(parsed.database or "", target, write)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})
        _sqlite_transactions(engine)
    elif parsed.get_backend_name() == "postgresql":
        try:
            engine = create_engine(url, pool_pre_ping=False)
        except (ImportError, exc.NoSuchModuleError):
            raise StoreError("store.no_driver", store=shown(target)) from None
    else:
        raise StoreError("store.bad_url", store=shown(target))
    store = Store(engine, target)
    try:
        store.prepare(write)
    except StoreError:
        engine.dispose()
        raise
    except exc.OperationalError as error:
        engine.dispose()
        raise StoreError("store.unreachable", store=shown(target), reason=error_reason(error)) from None
    except exc.DatabaseError as error:
        engine.dispose()
        raise StoreError("store.corrupt", store=shown(target), reason=error_reason(error)) from None
    return store


def error_reason(error: Exception) -> str:
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0] if str(error).strip() else ""


def _check_sqlite_file(path: str, target: str, write: bool) -> None:
    """A SQLite store is a regular file that starts with SQLite's header; a new one only when writing."""
    if path in ("", ":memory:"):
        raise StoreError("store.bad_url", store=target)
    if not os.path.exists(path):
        if not write:
            raise StoreError("store.not_found", store=target)
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise StoreError("store.no_folder", store=target)
        return
    if not os.path.isfile(path):
        raise StoreError("store.not_a_store", store=target)
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StoreError("store.unreadable", store=target, reason=error.strerror or str(error)) from None
    if head and head != SQLITE_HEADER:
        raise StoreError("store.not_a_store", store=target)
    if not head and not write:
        raise StoreError("store.not_a_store", store=target)


def _sqlite_transactions(engine: Engine) -> None:
    """pysqlite's own transaction handling off; a writer's transaction takes the write lock at BEGIN, so two runs
    never both read and then fail to upgrade their lock (SQLite's busy handler does not retry that case)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def schema_head() -> str:
    """The newest schema version this renovcheck knows (the last migration's revision id)."""
    head = _scripts().get_current_head()
    assert head is not None  # the migrations folder ships with renovcheck and has a head
    return head


def _scripts() -> ScriptDirectory:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


_OUTCOME_COLUMNS = ("rule_id", "dimension", "force", "outcome", "path", "field_values", "missing")
_outcome_values = operator.itemgetter(*_OUTCOME_COLUMNS)


def _columns(row: Mapping[str, object], names: Iterable[str]) -> dict[str, object]:
    return {name: row[name] for name in names}


def _insert_sql(connection: Connection, table: str, columns: tuple[str, ...]) -> str:
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


class Store:
    def __init__(self, engine: Engine, target: str) -> None:
        self.engine = engine
        self.target = target
        self.backend = engine.dialect.name

    @property
    def shown(self) -> str:
        return shown(self.target)

    def writing(self) -> AbstractContextManager[Connection]:
        """A transaction that holds the store's write lock until it commits (or rolls back on an error)."""
        return self.engine.execution_options(write=True).begin()

    def reading(self) -> AbstractContextManager[Connection]:
        return self.engine.begin()

    def close(self) -> None:
        self.engine.dispose()

    # --- what the store is -------------------------------------------------------------------------------------

    def prepare(self, write: bool) -> None:
        """Check the schema version; make (or upgrade) the schema only when writing, under the write lock."""
        with self.reading() as connection:
            state = self._state(connection)
        if state == "current":
            return
        if not write:
            raise StoreError("store.needs_upgrade" if state == "old" else "store.not_a_store", store=self.shown)
        if self.backend == "sqlite":
            raw = self.engine.raw_connection()  # WAL is set outside a transaction, and only on our own store
            try:
                driver = raw.driver_connection
                assert driver is not None  # a connection just taken from the pool
                driver.execute("PRAGMA journal_mode = WAL")
            finally:
                raw.close()
        with self.writing() as connection:
            if self.backend == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK})")
            state = self._state(connection)  # again, under the lock: another run may have made it meanwhile
            if state in ("empty", "old"):
                from alembic import command

                command.upgrade(_alembic_config(connection), "head")

    def _state(self, connection: Connection) -> str:
        """empty (nothing in it), current, old (an earlier schema of ours); raises when it is not a usable store."""
        from sqlalchemy import inspect, text
        from alembic.runtime.migration import MigrationContext

        names = set(inspect(connection).get_table_names())
        if not names:
            return "empty"
        if "renovcheck_store" not in names or "alembic_version" not in names:
            raise StoreError("store.not_a_store", store=self.shown)
        marker = connection.execute(text("SELECT value FROM renovcheck_store WHERE key = 'format'")).scalar()
        if marker != FORMAT:
            raise StoreError("store.not_a_store", store=self.shown)
        revision = MigrationContext.configure(connection).get_current_revision()
        scripts = _scripts()
        if revision == scripts.get_current_head():
            return "current"
        known = {script.revision for script in scripts.walk_revisions()}
        if revision not in known:
            raise StoreError("store.newer", store=self.shown, version=str(revision))
        return "old"

    def schema_version(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.reading() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    # --- writing ------------------------------------------------------------------------------------------------

    def record(self, runs: list[RunRow]) -> int:
        """Write runs (checker/store/record.py rows, each with its ``dossiers``) in one transaction, all or none.

        A run whose ``run_uuid`` the store already holds is left out (an import read twice adds nothing).
        Returns the number of runs written."""
        with self.writing() as connection:
            return sum(1 for run in runs if self._record_run(connection, run))

    def _record_run(self, connection: Connection, run: RunRow) -> bool:
        from sqlalchemy import insert, select

        from checker.store import tables as t

        exists = connection.execute(select(t.run.c.id).where(t.run.c.run_uuid == run["run_uuid"])).first()
        if exists is not None:
            return False
        fields = {c.name for c in t.run.columns if c.name != "id"}
        run_id = connection.execute(insert(t.run).returning(t.run.c.id),
                                    _columns(run, fields)).scalar_one()
        dossiers = run["dossiers"]
        if not dossiers:
            return True
        columns = [c.name for c in t.dossier_run.columns if c.name not in ("id", "run_id")]
        rows = [dict(_columns(d, columns), run_id=run_id) for d in dossiers]
        ids = connection.execute(insert(t.dossier_run).returning(t.dossier_run.c.id, sort_by_parameter_order=True),
                                 rows).scalars().all()
        outcomes = [(i, *_outcome_values(o)) for i, d in zip(ids, dossiers) for o in d["outcomes"]]
        if outcomes:  # the bulk of a run (every rule per dossier): plain tuples, without a dict per row
            connection.exec_driver_sql(_insert_sql(connection, "outcome", ("dossier_run_id",) + _OUTCOME_COLUMNS),
                                       outcomes)
        waivers = [dict(w, dossier_run_id=i) for i, d in zip(ids, dossiers) for w in d["waivers"]]
        if waivers:
            connection.execute(insert(t.waiver), waivers)
        return True
