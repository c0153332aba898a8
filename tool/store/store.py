"""The store: events, participants, accounts, contributions, coverage, snapshots and jobs in SQL.

SQLite by default (a file in the instance folder), MariaDB on Toolforge (ToolsDB). Every method
opens its own short transaction and commits, so a sync interrupted at any point keeps what it
already stored. A database that cannot be reached raises StoreUnavailable, never an empty answer.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url

from tool.metrics.inputs import Contribution as ContributionRow
from tool.metrics.inputs import Coverage as CoverageMap
from tool.store import coverage as intervals
from tool.store import models as m
from tool.store.records import (
    AccountRecord,
    CohortRecord,
    EventRecord,
    JobRecord,
    ParticipantRecord,
    SnapshotRecord,
)

T = TypeVar("T")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Bound parameters per IN (...) list: SQLite's default limit is 32,766 variables, MariaDB's packet
# size is the only limit; 500 keeps statements small on both.
CHUNK = 500
INSERT_CHUNK = 5000
# SQLite says "no such table: event", MariaDB "(1146, \"Table 'db.event' doesn't exist\")".
_MISSING_TABLE = re.compile(r"no such table|\(1146,")


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or refused the operation; the message says which and why."""


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


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        options: dict[str, Any] = {"pool_pre_ping": True}
        if url.startswith("mysql"):
            # ToolsDB closes idle connections; recycle before it does.
            options["pool_recycle"] = 900
        try:
            self.engine: Engine = sa.create_engine(url, **options)
        except (sa.exc.ArgumentError, ImportError) as e:
            raise StoreUnavailable(f"cannot use the database URL {redact(url)}: {e}") from e
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)

    # --- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.ProgrammingError) as e:
            reason = str(e.orig) if getattr(e, "orig", None) is not None else str(e)
            reason = reason.splitlines()[0] if reason else type(e).__name__
            if _MISSING_TABLE.search(reason):
                reason += " (the schema is not created yet: run `python -m tool db upgrade`)"
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
        """Create or migrate the schema to the latest version (idempotent)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._tx() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def ping(self) -> None:
        with self._tx() as conn:
            conn.execute(sa.text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

    def _insert_ignore(self, table: sa.Table) -> Any:
        if self.engine.dialect.name == "sqlite":
            return sqlite.insert(table).on_conflict_do_nothing()
        if self.engine.dialect.name in {"mysql", "mariadb"}:
            return mysql.insert(table).prefix_with("IGNORE")
        raise StoreUnavailable(f"unsupported database {self.engine.dialect.name} (use SQLite or MariaDB)")

    # --- events and cohorts -------------------------------------------------------------------

    def _upsert(self, model: type[m.Event] | type[m.Cohort], title: str, values: dict[str, Any]) -> None:
        """Insert or update the page's row, keyed by title (its id, and so its participants, stay)."""
        with self._tx() as conn:
            row = conn.execute(sa.select(model.id).where(model.title == title)).first()
            if row is None:
                conn.execute(sa.insert(model).values(**values))
            else:
                conn.execute(sa.update(model).where(model.id == row.id).values(**values))

    def save_event(self, record: EventRecord) -> None:
        self._upsert(m.Event, record.title, _values(record))

    def get_event(self, title: str, *, include_gone: bool = False) -> EventRecord | None:
        """The stored event; one whose page is gone (deleted, or no longer an event) only if asked."""
        query = sa.select(m.Event).where(m.Event.title == title)
        with self._tx() as conn:
            row = conn.execute(query if include_gone else query.where(m.Event.gone_at.is_(None))).first()
        return _record(EventRecord, row) if row else None

    def event_by_page_id(self, page_id: int) -> EventRecord | None:
        """Gone ones included: a page moved away from its old title is found by its id (discovery)."""
        with self._tx() as conn:
            row = conn.execute(sa.select(m.Event).where(m.Event.page_id == page_id)).first()
        return _record(EventRecord, row) if row else None

    def list_events(self, *, include_gone: bool = False) -> list[EventRecord]:
        query = sa.select(m.Event).order_by(m.Event.title)
        with self._tx() as conn:
            rows = conn.execute(query if include_gone else query.where(m.Event.gone_at.is_(None))).all()
        return [_record(EventRecord, row) for row in rows]

    def parsed_revision(self, title: str) -> int | None:
        """The revision the stored event or cohort was parsed from (discovery skips unchanged pages)."""
        with self._tx() as conn:
            for model in (m.Event, m.Cohort):
                rev = conn.execute(sa.select(model.rev_id).where(model.title == title)).scalar()
                if rev is not None:
                    return int(rev)
        return None

    def rename_event(self, old: str, new: str) -> None:
        """A page moved on the wiki: keep its participants, snapshots and history under the new title."""
        with self._tx() as conn:
            # Its old title no longer transcludes the template, but the page lives on: not gone.
            conn.execute(sa.update(m.Event).where(m.Event.title == old).values(title=new, gone_at=None))
            conn.execute(
                sa.update(m.Snapshot)
                .where(m.Snapshot.kind == "event", m.Snapshot.target == old)
                .values(target=new)
            )

    def delete_event(self, title: str) -> None:
        with self._tx() as conn:
            event_id = conn.execute(sa.select(m.Event.id).where(m.Event.title == title)).scalar()
            if event_id is not None:
                conn.execute(sa.delete(m.Participant).where(m.Participant.event_id == event_id))
                conn.execute(sa.delete(m.Event).where(m.Event.id == event_id))

    def save_cohort(self, record: CohortRecord) -> None:
        self._upsert(m.Cohort, record.title, _values(record))

    def get_cohort(self, title: str, *, include_gone: bool = False) -> CohortRecord | None:
        query = sa.select(m.Cohort).where(m.Cohort.title == title)
        with self._tx() as conn:
            row = conn.execute(query if include_gone else query.where(m.Cohort.gone_at.is_(None))).first()
        return _record(CohortRecord, row) if row else None

    def list_cohorts(self, *, include_gone: bool = False) -> list[CohortRecord]:
        query = sa.select(m.Cohort).order_by(m.Cohort.title)
        with self._tx() as conn:
            rows = conn.execute(query if include_gone else query.where(m.Cohort.gone_at.is_(None))).all()
        return [_record(CohortRecord, row) for row in rows]

    def events_in_cohort(self, name: str) -> list[str]:
        """Titles of the (not gone) events whose ``cohort =`` field names this cohort."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(m.Event.title)
                .where(m.Event.cohort == name, m.Event.gone_at.is_(None))
                .order_by(m.Event.title)
            )
            return [str(title) for (title,) in rows]

    # --- pages that left the wiki ---------------------------------------------------------------

    def mark_gone(self, kind: str, present: Sequence[str], now: datetime) -> list[str]:
        """Mark every stored page of ``kind`` not in ``present`` gone; bring present ones back.

        ``present`` is every title that transcludes the template now. Returns the titles newly gone.
        """
        model = _PAGE_MODELS[kind]
        here = set(present)
        with self._tx() as conn:
            rows = conn.execute(sa.select(model.title, model.gone_at)).all()
            leaving = sorted(title for title, gone_at in rows if gone_at is None and title not in here)
            back = [title for title, gone_at in rows if gone_at is not None and title in here]
            for chunk in _chunks(leaving):
                conn.execute(sa.update(model).where(model.title.in_(chunk)).values(gone_at=now))
            for chunk in _chunks(back):
                conn.execute(sa.update(model).where(model.title.in_(chunk)).values(gone_at=None))
        return leaving

    def purge_gone(self, before: datetime) -> list[tuple[str, str]]:
        """Remove what is stored of events and cohorts gone at or before ``before``: (kind, title) of each.

        Contributions and coverage stay: they belong to people, who may be in other events.
        """
        purged: list[tuple[str, str]] = []
        with self._tx() as conn:
            for kind, model in _PAGE_MODELS.items():
                rows = conn.execute(
                    sa.select(model.id, model.title).where(
                        model.gone_at.is_not(None), model.gone_at <= before
                    )
                ).all()
                for chunk in _chunks(rows):
                    ids, titles = [r.id for r in chunk], [r.title for r in chunk]
                    if kind == "event":
                        conn.execute(sa.delete(m.Participant).where(m.Participant.event_id.in_(ids)))
                    conn.execute(
                        sa.delete(m.Snapshot).where(m.Snapshot.kind == kind, m.Snapshot.target.in_(titles))
                    )
                    conn.execute(sa.delete(model).where(model.id.in_(ids)))
                purged += [(kind, r.title) for r in rows]
        return purged

    # --- participants and accounts ------------------------------------------------------------

    def replace_participants(self, title: str, participants: Sequence[ParticipantRecord]) -> None:
        with self._tx() as conn:
            event_id = conn.execute(sa.select(m.Event.id).where(m.Event.title == title)).scalar()
            if event_id is None:
                raise KeyError(f"no stored event {title!r}")
            conn.execute(sa.delete(m.Participant).where(m.Participant.event_id == event_id))
            rows = [
                {
                    "event_id": event_id,
                    "user": p.user,
                    "line": p.line,
                    "source": p.source,
                    "exists": p.exists,
                    "state": p.state,
                    "global_user_id": p.global_user_id,
                }
                for p in participants
            ]
            for chunk in _chunks(rows, INSERT_CHUNK):
                conn.execute(sa.insert(m.Participant), list(chunk))

    def participants(self, title: str) -> list[ParticipantRecord]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(m.Participant)
                .join(m.Event, m.Event.id == m.Participant.event_id)
                .where(m.Event.title == title)
                .order_by(m.Participant.id)
            ).all()
        return [
            ParticipantRecord(
                user=r.user,
                line=r.line,
                source=r.source,
                exists=r.exists,
                state=r.state,
                global_user_id=r.global_user_id,
            )
            for r in rows
        ]

    def save_accounts(self, wiki: str, accounts: Sequence[AccountRecord]) -> None:
        """Upsert what ``wiki`` ("global" for CentralAuth) says about these accounts."""
        with self._tx() as conn:
            for chunk in _chunks(list(accounts)):
                conn.execute(
                    sa.delete(m.Account).where(
                        m.Account.wiki == wiki, m.Account.user.in_([a.user for a in chunk])
                    )
                )
                conn.execute(
                    sa.insert(m.Account),
                    [
                        {
                            "wiki": wiki,
                            "user": a.user,
                            "user_id": a.user_id,
                            "registration": a.registration,
                            "state": a.state,
                        }
                        for a in {a.user: a for a in chunk}.values()
                    ],
                )

    def known_accounts(self, wiki: str, users: Sequence[str]) -> set[str]:
        """Which of ``users`` already have an account row for ``wiki`` ("global" included)."""
        known: set[str] = set()
        with self._tx() as conn:
            for chunk in _chunks(list(users)):
                rows = conn.execute(
                    sa.select(m.Account.user).where(m.Account.wiki == wiki, m.Account.user.in_(chunk))
                )
                known.update(user for (user,) in rows)
        return known

    def registrations(self, users: Sequence[str], wikis: Sequence[str]) -> dict[str, datetime | None]:
        """DESIGN §5: the global registration where known, else the earliest on the given wikis."""
        found: dict[str, dict[str, datetime | None]] = {}
        with self._tx() as conn:
            for chunk in _chunks(list(users)):
                rows = conn.execute(
                    sa.select(m.Account.user, m.Account.wiki, m.Account.registration).where(
                        m.Account.user.in_(chunk), m.Account.wiki.in_([*wikis, "global"])
                    )
                )
                for user, wiki, registration in rows:
                    found.setdefault(user, {})[wiki] = registration
        result: dict[str, datetime | None] = {}
        for user in users:
            by_wiki = found.get(user, {})
            if by_wiki.get("global") is not None:
                result[user] = by_wiki["global"]
                continue
            dates = [d for w, d in by_wiki.items() if w != "global" and d is not None]
            result[user] = min(dates) if dates else None
        return result

    # --- contributions and coverage -----------------------------------------------------------

    def add_contributions(self, wiki: str, rows: Sequence[ContributionRow]) -> int:
        """Store revisions, skipping ones already stored (same wiki and rev id); returns how many were new."""
        statement = self._insert_ignore(m.Contribution.__table__)  # type: ignore[arg-type]
        added = 0
        with self._tx() as conn:
            for chunk in _chunks(list(rows), INSERT_CHUNK):
                values = [
                    {
                        "wiki": wiki,
                        "rev_id": c.rev_id,
                        "user": c.user,
                        "page_id": c.page_id,
                        "namespace": c.namespace,
                        "title": c.title,
                        "timestamp": c.timestamp,
                        "sizediff": c.sizediff,
                        "new": c.new,
                    }
                    for c in chunk
                ]
                added += max(0, conn.execute(statement, values).rowcount)
        return added

    def _intervals(
        self, conn: Connection, wiki: str, users: Sequence[str]
    ) -> dict[str, list[intervals.Interval]]:
        found: dict[str, list[intervals.Interval]] = {}
        for chunk in _chunks(list(users)):
            rows = conn.execute(
                sa.select(m.Coverage.user, m.Coverage.start, m.Coverage.end).where(
                    m.Coverage.wiki == wiki, m.Coverage.user.in_(chunk)
                )
            )
            for user, start, end in rows:
                found.setdefault(user, []).append((start, end))
        return found

    def add_coverage(self, wiki: str, users: Sequence[str], start: datetime, end: datetime) -> None:
        """Record that every contribution of ``users`` on ``wiki`` in [start, end] is stored."""
        if end < start:
            raise ValueError(
                f"coverage must not end ({end.isoformat()}) before it starts ({start.isoformat()})"
            )
        with self._tx() as conn:
            existing = self._intervals(conn, wiki, users)
            for chunk in _chunks(list(dict.fromkeys(users))):
                conn.execute(sa.delete(m.Coverage).where(m.Coverage.wiki == wiki, m.Coverage.user.in_(chunk)))
                rows = [
                    {"wiki": wiki, "user": user, "start": low, "end": high}
                    for user in chunk
                    for low, high in intervals.merge([*existing.get(user, []), (start, end)])
                ]
                conn.execute(sa.insert(m.Coverage), rows)

    def uncovered(
        self, wiki: str, users: Sequence[str], start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime, list[str]]]:
        """The spans of [start, end] not yet stored, each with the users it is missing for.

        Users missing the same span are grouped, so one request can ask for all of them; a user with
        two gaps appears in two groups. Sorted by span, users in the order given.
        """
        with self._tx() as conn:
            existing = self._intervals(conn, wiki, users)
        groups: dict[intervals.Interval, list[str]] = {}
        for user in dict.fromkeys(users):
            for gap in intervals.gaps(existing.get(user, []), start, end):
                groups.setdefault(gap, []).append(user)
        return [(low, high, members) for (low, high), members in sorted(groups.items())]

    def coverage(self, wikis: Sequence[str], users: Sequence[str]) -> CoverageMap:
        """Every stored span of each (wiki, user); the definitions pick the one at each event's floor.

        ``wikis`` may include tool.metrics.inputs.COMMONS_FILES (Commons' File namespace only).
        """
        spans: dict[tuple[str, str], list[intervals.Interval]] = {}
        with self._tx() as conn:
            for wiki in dict.fromkeys(wikis):
                for user, found in self._intervals(conn, wiki, users).items():
                    spans[(wiki, user)] = intervals.merge(found)
        return CoverageMap(spans)

    def _contribution_query(
        self, wikis: Sequence[str], users: Sequence[str], start: datetime, end: datetime
    ) -> Any:
        c = m.Contribution
        return sa.select(
            c.wiki, c.rev_id, c.user, c.page_id, c.namespace, c.title, c.timestamp, c.sizediff, c.new
        ).where(c.wiki.in_(list(wikis)), c.user.in_(list(users)), c.timestamp >= start, c.timestamp <= end)

    def contribution_tuples(
        self, wikis: Sequence[str], users: Sequence[str], start: datetime, end: datetime
    ) -> list[tuple[Any, ...]]:
        """(wiki, rev_id, user, page_id, namespace, title, timestamp, sizediff, new) in [start, end]."""
        result: list[tuple[Any, ...]] = []
        with self._tx() as conn:
            for chunk in _chunks(list(dict.fromkeys(users))):
                result.extend(
                    tuple(row) for row in conn.execute(self._contribution_query(wikis, chunk, start, end))
                )
        return result

    def contributions_for(
        self, wikis: Sequence[str], users: Sequence[str], start: datetime, end: datetime
    ) -> list[ContributionRow]:
        return [ContributionRow(*row) for row in self.contribution_tuples(wikis, users, start, end)]

    def count_contributions(self) -> int:
        with self._tx() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(m.Contribution)).scalar_one())

    # --- snapshots and jobs ---------------------------------------------------------------------

    def save_snapshot(
        self,
        kind: str,
        target: str,
        figures_json: str,
        *,
        definitions_version: int,
        data_time: datetime,
        partial: bool,
        computed_at: datetime | None = None,
    ) -> int:
        with self._tx() as conn:
            result = conn.execute(
                sa.insert(m.Snapshot).values(
                    kind=kind,
                    target=target,
                    computed_at=computed_at or datetime.now(UTC),
                    data_time=data_time,
                    definitions_version=definitions_version,
                    figures=figures_json,
                    partial=partial,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def snapshots(self, kind: str, target: str) -> list[SnapshotRecord]:
        """Newest first."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(m.Snapshot)
                .where(m.Snapshot.kind == kind, m.Snapshot.target == target)
                .order_by(m.Snapshot.computed_at.desc(), m.Snapshot.id.desc())
            ).all()
        return [
            SnapshotRecord(
                r.id,
                r.kind,
                r.target,
                r.computed_at,
                r.data_time,
                r.definitions_version,
                r.figures,
                r.partial,
            )
            for r in rows
        ]

    def latest_snapshot(self, kind: str, target: str) -> SnapshotRecord | None:
        found = self.snapshots(kind, target)
        return found[0] if found else None

    def create_job(self, kind: str, target: str) -> int:
        with self._tx() as conn:
            result = conn.execute(
                sa.insert(m.Job).values(
                    kind=kind,
                    target=target,
                    state="queued",
                    progress=0.0,
                    message="",
                    error=None,
                    created=datetime.now(UTC),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def update_job(self, job_id: int, **changes: Any) -> None:
        allowed = {"state", "progress", "message", "error", "started", "finished"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"a job has no field(s) {', '.join(sorted(unknown))}")
        with self._tx() as conn:
            conn.execute(sa.update(m.Job).where(m.Job.id == job_id).values(**changes))

    def get_job(self, job_id: int) -> JobRecord | None:
        with self._tx() as conn:
            r = conn.execute(sa.select(m.Job).where(m.Job.id == job_id)).first()
        if r is None:
            return None
        return JobRecord(
            r.id, r.kind, r.target, r.state, r.progress, r.message, r.error, r.created, r.started, r.finished
        )

    def with_connection(self, action: Callable[[Connection], T]) -> T:
        """Run ``action`` in one transaction (for the SQL aggregation in tool.store.tally)."""
        with self._tx() as conn:
            return action(conn)


_PAGE_MODELS: dict[str, type[m.Event] | type[m.Cohort]] = {"event": m.Event, "cohort": m.Cohort}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: the web app reads while a sync writes; the busy timeout waits for the writer instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _values(record: EventRecord | CohortRecord) -> dict[str, Any]:
    """A record's fields as column values (the tables use the records' field names)."""
    return dataclasses.asdict(record)


R = TypeVar("R", EventRecord, CohortRecord)


def _record(kind: type[R], row: Any) -> R:
    """A row as a record: the columns named like the record's fields (the id stays in the store)."""
    return kind(**{f.name: getattr(row, f.name) for f in dataclasses.fields(kind)})
