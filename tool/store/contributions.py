"""Contributions and coverage: the revisions stored per wiki, and which spans of each history they cover."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tool.metrics.inputs import COMMONS, FILE_NAMESPACE
from tool.metrics.inputs import Contribution as ContributionRow
from tool.metrics.inputs import Coverage as CoverageMap
from tool.store import coverage as intervals
from tool.store import models as m
from tool.store.engine import INSERT_CHUNK, Database, chunks, retried
from tool.store.facts import bump_stamp

_c = m.Contribution


# The record's fields, by name, in the order of the statement's values (``wiki`` is given apart).
_FIELDS = tuple(f.name for f in dataclasses.fields(ContributionRow) if f.name != "wiki")
_COLUMNS = tuple(getattr(_c, f.name) for f in dataclasses.fields(ContributionRow))

#: Where a list of counted revisions stands: (timestamp, wiki, rev_id) of its last row.
ListKey = tuple[datetime, str, int]


@dataclass(frozen=True)
class Counting:
    """The revisions an event counts (DESIGN §5), as tool.store.facts counts them.

    By its listed accounts, in [low, high] (tool.store.facts.window_bounds of its window W), on
    its tracked wikis; and their file uploads on Commons when it does not track Commons, which
    count as uploads only.
    """

    event: str  # the event's title: its participants are read from the participant table
    wikis: tuple[str, ...]
    low: datetime
    high: datetime

    @property
    def commons_uploads_apart(self) -> bool:
        return COMMONS not in self.wikis


@dataclass(frozen=True)
class CountedOf:
    """One person's counted revisions: edits on the tracked wikis, uploads counted only as uploads."""

    edits: int
    uploads_only: int


class Contributions(Database):
    @retried
    def add_contributions(self, wiki: str, rows: Sequence[ContributionRow]) -> int:
        """Store revisions, skipping ones already stored (same wiki and rev id); returns how many were new.

        A sync stores every revision it reads, so this is its own cost (docs/performance.md): the
        statement is compiled once and each row's values converted by the columns' own bind
        processors (the same conversions SQLAlchemy applies, so the rows are the same), instead of
        SQLAlchemy building parameters for each row: a quarter of a full sync's time under cProfile.
        """
        if not rows:
            return 0
        added = 0
        with self._tx() as conn:
            sql, convert = self._contribution_insert(conn)
            for chunk in chunks(list(rows), INSERT_CHUNK):
                values = [convert(wiki, row) for row in chunk]
                added += max(0, conn.exec_driver_sql(sql, values).rowcount)
            if added:
                bump_stamp(conn)
        return added

    def _contribution_insert(self, conn: Connection) -> tuple[str, Any]:
        """The statement's SQL, and a function turning a row into its driver parameters.

        SQLite's driver takes positional parameters (``?``), PyMySQL named ones (``%(name)s``).
        """
        table = m.Contribution.__table__
        names = ("wiki", *_FIELDS)
        statement = self._insert_ignore(table).values({name: sa.bindparam(name) for name in names})  # type: ignore[arg-type]
        compiled = statement.compile(dialect=conn.dialect)
        # dialect_impl: the engine's own type (SQLite keeps datetimes as text of a fixed form).
        processors = [
            (index, table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect))
            for index, name in enumerate(names)
        ]
        active = [(index, process) for index, process in processors if process is not None]
        fields = attrgetter(*_FIELDS)

        def values(wiki: str, row: ContributionRow) -> list[Any]:
            found = [wiki, *fields(row)]
            for index, process in active:
                if found[index] is not None:
                    found[index] = process(found[index])
            return found

        if not compiled.positional:
            return str(compiled), lambda wiki, row: dict(zip(names, values(wiki, row), strict=True))
        order = list(compiled.positiontup or ())
        if sorted(order) != sorted(names):
            raise RuntimeError(f"unexpected parameters {order}")
        if order == list(names):
            return str(compiled), lambda wiki, row: tuple(values(wiki, row))
        where = [names.index(name) for name in order]
        return str(compiled), lambda wiki, row: tuple(values(wiki, row)[i] for i in where)

    def _intervals(
        self, conn: Connection, wiki: str, users: Sequence[str]
    ) -> dict[str, list[intervals.Interval]]:
        found: dict[str, list[intervals.Interval]] = {}
        for chunk in chunks(list(users)):
            rows = conn.execute(
                sa.select(m.Coverage.user, m.Coverage.start, m.Coverage.end).where(
                    m.Coverage.wiki == wiki, m.Coverage.user.in_(chunk)
                )
            )
            for user, start, end in rows:
                found.setdefault(user, []).append((start, end))
        return found

    @retried
    def add_coverage(self, wiki: str, users: Sequence[str], start: datetime, end: datetime) -> None:
        """Record that every contribution of ``users`` on ``wiki`` in [start, end] is stored."""
        if end < start:
            raise ValueError(
                f"coverage must not end ({end.isoformat()}) before it starts ({start.isoformat()})"
            )
        with self._tx() as conn:
            existing = self._intervals(conn, wiki, users)
            for chunk in chunks(list(dict.fromkeys(users))):
                conn.execute(sa.delete(m.Coverage).where(m.Coverage.wiki == wiki, m.Coverage.user.in_(chunk)))
                rows = [
                    {"wiki": wiki, "user": user, "start": low, "end": high}
                    for user in chunk
                    for low, high in intervals.merge([*existing.get(user, []), (start, end)])
                ]
                conn.execute(sa.insert(m.Coverage), rows)
            if users:
                bump_stamp(conn)

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

    def contribution_tuples(
        self, wikis: Sequence[str], users: Sequence[str], start: datetime, end: datetime
    ) -> list[tuple[Any, ...]]:
        """(wiki, rev_id, user, page_id, namespace, title, timestamp, sizediff, new) in [start, end].

        Plain tuples, for callers that hold a million of them (objects would cost several times the memory).
        """
        columns = (_c.wiki, _c.rev_id, _c.user, _c.page_id, _c.namespace, _c.title, _c.timestamp)
        result: list[tuple[Any, ...]] = []
        with self._tx() as conn:
            for chunk in chunks(list(dict.fromkeys(users))):
                query = sa.select(*columns, _c.sizediff, _c.new).where(_between(wikis, chunk, start, end))
                result.extend(tuple(row) for row in conn.execute(query))
        return result

    # --- what an event counts, for the page that shows why its numbers are what they are ----------

    def counted_contributions(
        self,
        counting: Counting,
        *,
        user: str | None = None,
        offset: int = 0,
        after: ListKey | None = None,
        limit: int = 200,
    ) -> list[ContributionRow]:
        """The counted revisions in time order (then wiki, then revision), one slice of them.

        A slice is ``offset`` rows in (the page's numbered pages), or the rows after ``after``
        (keyset: an export reads the whole list in slices, without counting its way past the rows
        already read each time); with ``user``, that person's only.
        """
        query = sa.select(*_COLUMNS)
        if user is not None:
            query = query.where(_c.user == user)
        if after is not None:
            when, wiki, rev_id = after
            query = query.where(
                sa.or_(
                    _c.timestamp > when,
                    sa.and_(
                        _c.timestamp == when,
                        sa.or_(_c.wiki > wiki, sa.and_(_c.wiki == wiki, _c.rev_id > rev_id)),
                    ),
                )
            )
        query = query.order_by(_c.timestamp, _c.wiki, _c.rev_id).offset(offset).limit(limit)
        with self._tx() as conn, _counted(conn, counting) as (source, counted):
            query = query.select_from(source).where(counted)
            return [ContributionRow(*row) for row in conn.execute(query)]

    def counted_per_user(self, counting: Counting) -> dict[str, CountedOf]:
        """Each participant with a counted revision, and how many: counted in SQL, one row a person."""
        upload_only = _flag(sa.not_(_c.wiki.in_(list(counting.wikis))))
        with self._tx() as conn, _counted(conn, counting) as (source, counted):
            query = (
                sa.select(_c.user, sa.func.count(), sa.func.sum(upload_only))
                .select_from(source)
                .where(counted)
                .group_by(_c.user)
            )
            return {
                user: CountedOf(int(total) - int(uploads or 0), int(uploads or 0))
                for user, total, uploads in conn.execute(query)
            }

    def edits_outside(
        self, wikis: Sequence[str], users: Sequence[str], low: datetime, high: datetime
    ) -> dict[str, tuple[datetime | None, datetime | None]]:
        """Who has revisions on ``wikis`` stored outside [low, high]: (the last before, the first after).

        A MAX and a MIN per wiki and person, each a query of its own: on (wiki, user, timestamp)
        MariaDB reads one index entry per group for them, not the person's whole history.
        """
        last: dict[str, datetime] = {}
        first: dict[str, datetime] = {}
        with self._tx() as conn:
            for chunk in chunks(list(dict.fromkeys(users))):
                where = (_c.wiki.in_(list(wikis)), _c.user.in_(chunk))
                before = sa.select(_c.user, sa.func.max(_c.timestamp)).where(*where, _c.timestamp < low)
                for user, when in conn.execute(before.group_by(_c.wiki, _c.user)):
                    last[user] = max(when, last.get(user, when))
                after = sa.select(_c.user, sa.func.min(_c.timestamp)).where(*where, _c.timestamp > high)
                for user, when in conn.execute(after.group_by(_c.wiki, _c.user)):
                    first[user] = min(when, first.get(user, when))
        return {user: (last.get(user), first.get(user)) for user in {*last, *first}}

    def edits_elsewhere(
        self, wikis: Sequence[str], users: Sequence[str], low: datetime, high: datetime
    ) -> dict[str, list[str]]:
        """For people with stored revisions in [low, high] on wikis other than ``wikis``: those wikis.

        The store holds a person's revisions on every wiki an event of theirs tracks, so this finds
        what they did during this event on another event's wikis; it cannot know of wikis no event
        tracks. The wikis to look at are those of the coverage table (a sync stores a span's
        revisions with its coverage), a small table, so each wiki is then read on its own index.
        """
        found: dict[str, list[str]] = {}
        with self._tx() as conn:
            stored = conn.execute(sa.select(m.Coverage.wiki).distinct()).scalars()
            # Commons' File namespace alone is a coverage key; its revisions are Commons' own.
            others = sorted({key.split("#", 1)[0] for key in stored} - set(wikis))
            for wiki in others:
                for chunk in chunks(list(dict.fromkeys(users))):
                    rows = conn.execute(
                        sa.select(_c.user)
                        .where(_c.wiki == wiki, _c.user.in_(chunk), _c.timestamp.between(low, high))
                        .distinct()
                    )
                    for (user,) in rows:
                        found.setdefault(user, []).append(wiki)
        return found


@contextmanager
def _counted(conn: Connection, counting: Counting) -> Iterator[tuple[Any, Any]]:
    """The revisions an event counts (Counting): the rows to read them from, and their condition.

    The event's people are copied into a temporary table keyed by name, as tool.store.facts
    counts them: MariaDB then reads the window's revisions on the time index and looks each
    author up by key. Read as ``user IN (SELECT …)`` from the participant table, which has no
    index on the name, it compared every revision with every participant (7 s for 10,000 people).
    """
    people = sa.Table(
        "counted_people", sa.MetaData(), sa.Column("user", m.USER, primary_key=True), prefixes=["TEMPORARY"]
    )
    people.create(conn)
    try:
        listed = (
            sa.select(m.Participant.user)
            .join(m.Event, m.Event.id == m.Participant.event_id)
            .where(m.Event.title == counting.event, m.Participant.exists.is_(True))
            .distinct()
        )
        conn.execute(people.insert().from_select(["user"], listed))
        tracked = list(counting.wikis)
        wikis: list[str] = tracked
        kind: sa.ColumnElement[bool] = sa.true()
        if counting.commons_uploads_apart:
            upload = sa.and_(_c.wiki == COMMONS, _c.namespace == FILE_NAMESPACE, _c.new.is_(True))
            # As tool.store.facts reads them: one IN (…) with the time range, read on the index; the
            # OR only filters.
            wikis, kind = [*tracked, COMMONS], sa.or_(_c.wiki.in_(tracked), upload)
        source = _c.__table__.join(people, people.c.user == _c.user)
        yield source, sa.and_(_c.wiki.in_(wikis), _c.timestamp.between(counting.low, counting.high), kind)
    finally:
        people.drop(conn)


def _flag(condition: Any) -> Any:
    """1 or 0: summed the same way on SQLite and MariaDB."""
    return sa.case((condition, 1), else_=0)


def _between(wikis: Sequence[str], users: Sequence[str], start: datetime, end: datetime) -> Any:
    return sa.and_(
        _c.wiki.in_(list(wikis)), _c.user.in_(list(users)), _c.timestamp >= start, _c.timestamp <= end
    )
