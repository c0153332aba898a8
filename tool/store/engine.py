"""The database under every part of the store: one engine, short transactions, the schema's version.

SQLite by default (a file in the instance folder), MariaDB on Toolforge (ToolsDB). Every store
method opens its own short transaction and commits, so a sync interrupted at any point keeps what
it already stored. A database that cannot be reached raises StoreUnavailable, never an empty answer.
The schema changes only through ``python -m tool db upgrade`` (``upgrade``). Everything else
checks the version before its first statement (``require_current``, once per process) and refuses
to run on a schema that is missing or behind: SchemaBehind, which says to run that command.
"""

from __future__ import annotations

import functools
import logging
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url

from tool.store.decoding import CONVERSIONS, read_json

T = TypeVar("T")
P = ParamSpec("P")
log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Bound parameters per IN (...) list: SQLite's default limit is 32,766 variables, MariaDB's packet
# size is the only limit; 500 keeps statements small on both.
CHUNK = 500
INSERT_CHUNK = 5000
# SQLite says "no such table: event", MariaDB "(1146, \"Table 'db.event' doesn't exist\")".
_MISSING_TABLE = re.compile(r"no such table|\(1146,")
UPGRADE_COMMAND = "python -m tool db upgrade"


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or refused the operation; the message says which and why."""


class Conflict(StoreUnavailable):
    """The database gave this transaction up for a concurrent one (MariaDB's deadlock victim or lock
    wait timeout, SQLite still locked after its busy timeout): it did nothing, and may run again."""


#: MariaDB's "Deadlock found when trying to get lock; try restarting transaction" and "Lock wait
#: timeout exceeded; try restarting transaction"; SQLite's "database is locked".
_CONFLICT_CODES = frozenset({1213, 1205})
_SQLITE_LOCKED = "database is locked"
#: Runs of a write given up for a concurrent one, before its Conflict is raised.
CONFLICT_TRIES = 5


def retried(method: Callable[P, T]) -> Callable[P, T]:
    """A store method whose one transaction is run again when the database gives it up for another.

    Workers refreshing events that share people write the same rows at once (the facts of the
    revisions they share); InnoDB then aborts one transaction of a deadlock, and MariaDB's advice
    is to run it again. Only for methods that write in one transaction and do nothing else: a run
    given up left nothing behind.
    """

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, CONFLICT_TRIES + 1):
            try:
                return method(*args, **kwargs)
            except Conflict as e:
                if attempt == CONFLICT_TRIES:
                    raise
                log.warning(
                    "%s, given up for a concurrent write: run again (%d of %d)",
                    e,
                    attempt + 1,
                    CONFLICT_TRIES,
                )
                # Apart, and longer each time, so the two transactions do not meet again.
                time.sleep(random.uniform(0.05, 0.2) * attempt)
        raise AssertionError("unreachable")

    return run


class SchemaBehind(StoreUnavailable):
    """The database's schema is missing or older than the code: ``python -m tool db upgrade`` fixes it."""

    def __init__(self, where: str, current: str | None, head: str) -> None:
        self.where, self.current, self.head = where, current, head
        found = f"version {current}" if current else "no schema"
        super().__init__(f"database {where}: {found}, the code needs {head}; run `{UPGRADE_COMMAND}`")


def redact(url: str) -> str:
    """The URL with its password replaced by ***, for messages and logs.

    SQLAlchemy's own parsing and rendering, so the password is exactly what it would send (a "/"
    in it included). An unescaped "@" in the password makes SQLAlchemy read its tail as part of the
    host: that tail is dropped too. A URL it cannot parse is not shown at all.
    """
    try:
        parsed = make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return "(a database URL that cannot be parsed)"
    if parsed.host and "@" in parsed.host:
        parsed = parsed.set(host=parsed.host.rsplit("@", 1)[1])
    return parsed.render_as_string(hide_password=True)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_alembic_config())


def schema_head() -> str:
    """The newest migration's revision: the schema this code reads and writes."""
    head = _scripts().get_current_head()
    assert head is not None, "tool/store/migrations has no migration"
    return head


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except AlembicError:
        return False


class Database:
    """An engine and its transactions; the concept modules of the store build on it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._schema_checked = False
        options: dict[str, Any] = {"pool_pre_ping": True, "json_deserializer": read_json}
        if url.startswith("mysql"):
            # ToolsDB closes idle connections; recycle before it does.
            options["pool_recycle"] = 900
        if url.startswith("mysql+pymysql"):
            options["connect_args"] = {"conv": CONVERSIONS}
        try:
            self.engine: Engine = sa.create_engine(url, **options)
        except (sa.exc.ArgumentError, ImportError) as e:
            raise StoreUnavailable(f"cannot use the database URL {redact(url)}: {e}") from e
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A transaction on a schema known to be the code's (checked before the first one)."""
        self.require_current()
        with self._begin() as conn:
            yield conn

    @contextmanager
    def _begin(self, *, migrating: bool = False) -> Iterator[Connection]:
        """A transaction, with the driver's failures said as the store's (no schema check)."""
        try:
            if migrating and self.engine.dialect.name == "sqlite":
                with _foreign_keys_off(self.engine) as conn, conn.begin():
                    yield conn
            else:
                with self.engine.begin() as conn:
                    yield conn
        except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.ProgrammingError) as e:
            reason = str(e.orig) if getattr(e, "orig", None) is not None else str(e)
            reason = reason.splitlines()[0] if reason else type(e).__name__
            if _MISSING_TABLE.search(reason):
                reason += f" (the schema is not created yet: run `{UPGRADE_COMMAND}`)"
            code = getattr(e.orig, "args", (None,))[0] if getattr(e, "orig", None) is not None else None
            if code in _CONFLICT_CODES or _SQLITE_LOCKED in reason:
                raise Conflict(f"database {redact(self.url)}: {reason}") from e
            raise StoreUnavailable(f"database {redact(self.url)}: {reason}") from e
        except sa.exc.DataError as e:
            # A value the database refuses (too long for its column, a number out of range): the
            # caller's input, so a ValueError saying which, never a crash deep in the driver.
            reason = str(e.orig).splitlines()[0] if e.orig is not None else type(e).__name__
            raise ValueError(f"the database refused a value: {reason}") from e
        except sa.exc.StatementError as e:
            # A value refused before it reached the database (UTCDateTime refuses naive times):
            # the caller's mistake, so the caller's exception, not SQLAlchemy's wrapper.
            if isinstance(e.orig, ValueError):
                raise ValueError(str(e.orig)) from e
            raise

    def upgrade(self) -> None:
        """Create or migrate the schema to the latest version (idempotent). Only `db upgrade` calls it."""
        config = _alembic_config()
        with self._begin(migrating=True) as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        self._schema_checked = True

    def schema_revision(self) -> str | None:
        """The revision the database's schema is at; None when it has none (never upgraded)."""
        with self._begin() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def require_current(self) -> None:
        """Raise SchemaBehind unless the schema is the code's; once it is, it is not asked again.

        A schema does not go backwards under a running process, so one good answer lasts as long
        as the process. A bad one is not remembered: after ``db upgrade`` a running web app serves
        again without a restart.
        """
        if self._schema_checked:
            return
        current, head = self.schema_revision(), schema_head()
        if current is not None and current != head and not _known(current):
            # Newer code migrated it (a rollback?): `db upgrade` cannot help, so do not say it would.
            raise StoreUnavailable(
                f"database {redact(self.url)}: schema version {current} is newer than this code "
                f"knows ({head}); run the code that migrated it"
            )
        if current != head:
            raise SchemaBehind(redact(self.url), current, head)
        self._schema_checked = True

    def ping(self) -> None:
        """Reach the database (StoreUnavailable if it cannot be), whatever its schema."""
        with self._begin() as conn:
            conn.execute(sa.text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

    def _insert_ignore(self, table: sa.Table) -> Any:
        if self.engine.dialect.name == "sqlite":
            return sqlite.insert(table).on_conflict_do_nothing()
        if self.engine.dialect.name in {"mysql", "mariadb"}:
            return mysql.insert(table).prefix_with("IGNORE")
        raise StoreUnavailable(f"unsupported database {self.engine.dialect.name} (use SQLite or MariaDB)")


@contextmanager
def _foreign_keys_off(engine: Engine) -> Iterator[Connection]:
    """A SQLite connection with its foreign keys off, on again before it goes back to the pool.

    Alembic's batch mode changes a SQLite table by copying it and dropping the old one; with
    foreign keys on, dropping ``event`` deletes every participant and fact row through ON DELETE
    CASCADE (a store upgraded from 0001 lost its participants so). The pragma is a no-op inside
    a transaction, so it is set before one begins.
    """
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
        try:
            yield conn
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: the web app reads while a sync writes; the busy timeout waits for the writer instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
