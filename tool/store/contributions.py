"""Contributions and coverage: the revisions stored per wiki, and which spans of each history they cover."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tool.metrics.inputs import Contribution as ContributionRow
from tool.metrics.inputs import Coverage as CoverageMap
from tool.store import coverage as intervals
from tool.store import models as m
from tool.store.engine import INSERT_CHUNK, Database, chunks
from tool.store.facts import bump_stamp

_c = m.Contribution


# The record's fields, by name, in the order of the statement's values (``wiki`` is given apart).
_FIELDS = tuple(f.name for f in dataclasses.fields(ContributionRow) if f.name != "wiki")


class Contributions(Database):
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


def _between(wikis: Sequence[str], users: Sequence[str], start: datetime, end: datetime) -> Any:
    return sa.and_(
        _c.wiki.in_(list(wikis)), _c.user.in_(list(users)), _c.timestamp >= start, _c.timestamp <= end
    )
