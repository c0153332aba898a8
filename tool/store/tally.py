"""The counts of any set of events — one event, a cohort, a context group — gathered in SQL.

This is the one counting path of the tool: an event is the group of one. The events' windows
(tool.metrics.windows, worked out once in tool.metrics.tally.Plan) are written into a window
table, next to who takes part in which event and which wikis each event counts on; one join of
those with the stored contributions says "which revisions fall in which window". No revision
passes through Python except the few inside W (to keep pages and revisions distinct across
events), so a group of 50,000 people and millions of revisions is aggregated by the database.

Group semantics (tool.metrics.compute): a revision counts when it lies in the window of an event
its author takes part in, on a wiki that event tracks — or, for uploads only, on Commons when the
event does not track it; "before" is taken from a person's first event and "after" from their
last; everything is bounded at ``now``. The same Tally is filled as the pure reference
(tool.metrics.tally.tally_contributions), which the tests compare this against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tool.metrics.inputs import COMMONS, FILE_NAMESPACE, Contribution
from tool.metrics.tally import (
    Attendance,
    Plan,
    Tally,
    observe_commons_upload,
    observe_during,
)
from tool.metrics.windows import RETENTION_KEYS, Window
from tool.store import models as m
from tool.store.engine import INSERT_CHUNK, chunks
from tool.store.store import Store
from tool.store.types import UTCDateTime

_c = m.Contribution
_DURING, _BEFORE, _AFTER = "during", "before", "after"


def group_tally(store: Store, attendance: Mapping[str, Attendance], now: datetime) -> Tally:
    """The Tally of a group (each person with their events) over the stored contributions up to ``now``.

    Bounded at ``now`` as every figure is: a revision stored with a later time (a sync run after
    the ``now`` asked for) must not count in an open-ended window such as retained_7d.
    """
    return store.with_connection(lambda conn: _WindowTable(attendance).tally(conn, now))


class _WindowTable:
    """The events, their windows, wikis and people as three temporary tables for one aggregation."""

    def __init__(self, attendance: Mapping[str, Attendance]) -> None:
        self.attendance = attendance
        # Events numbered in the order met. A Plan is one object per event (tool.metrics.compute),
        # and is not hashable (its spec holds dicts): known by identity.
        number: dict[int, int] = {}
        self.plans: list[Plan] = []
        for person in attendance.values():
            for plan in person.plans:
                if id(plan) not in number:
                    number[id(plan)] = len(self.plans)
                    self.plans.append(plan)
        meta = sa.MetaData()
        self.member = sa.Table(
            "tally_member",
            meta,
            sa.Column("event_no", sa.Integer, primary_key=True),
            sa.Column("user", m.USER, primary_key=True),
            sa.Column("first", sa.Boolean, nullable=False),  # "before" is counted at this event
            sa.Column("last", sa.Boolean, nullable=False),  # "after" is counted at this event
            prefixes=["TEMPORARY"],
        )
        self.scope = sa.Table(
            "tally_scope",
            meta,
            sa.Column("event_no", sa.Integer, primary_key=True),
            sa.Column("wiki", m.DBNAME, primary_key=True),
            sa.Column("tracked", sa.Boolean, nullable=False),  # False: Commons, for its uploads only
            prefixes=["TEMPORARY"],
        )
        self.window = sa.Table(
            "tally_window",
            meta,
            sa.Column("event_no", sa.Integer, primary_key=True),
            sa.Column("kind", sa.String(32), primary_key=True),
            sa.Column("low", UTCDateTime, nullable=False),
            sa.Column("high", UTCDateTime, nullable=True),  # None: open-ended
            prefixes=["TEMPORARY"],
        )
        self.members = [
            {"event_no": n, "user": user, "first": plan is person.first, "last": plan is person.last}
            for user, person in attendance.items()
            for n, plan in {number[id(plan)]: plan for plan in person.plans}.items()
        ]
        self.scopes = [
            {"event_no": n, "wiki": wiki, "tracked": True}
            for n, plan in enumerate(self.plans)
            for wiki in sorted(plan.spec.wikis)
        ] + [
            {"event_no": n, "wiki": COMMONS, "tracked": False}
            for n, plan in enumerate(self.plans)
            if COMMONS not in plan.spec.wikis
        ]
        self.windows = [
            {"event_no": n, "kind": kind, "low": window.start, "high": window.stop}
            for n, plan in enumerate(self.plans)
            for kind, window in _windows(plan)
        ]
        # Each kind of window has the same inclusive ends for every event; the SQL is written from them.
        self.shape = {kind: window for kind, window in _windows(self.plans[0])} if self.plans else {}

    def tally(self, conn: Connection, now: datetime) -> Tally:
        tally = Tally()
        if not self.plans:
            return tally
        tables = (self.member, self.scope, self.window)
        for table in tables:
            table.create(conn)
        try:
            contents: tuple[list[dict[str, Any]], ...] = (self.members, self.scopes, self.windows)
            for table, rows in zip(tables, contents, strict=True):
                for chunk in chunks(rows, INSERT_CHUNK):
                    conn.execute(table.insert(), list(chunk))
            self._during(conn, now, tally)
            self._rates(conn, now, tally)
            self._retention(conn, now, tally)
            return tally
        finally:
            for table in reversed(tables):
                table.drop(conn)

    def _in(self, kind: str, now: datetime) -> Any:
        """SQL for "the contribution's time is in the event's ``kind`` window, and not after ``now``"."""
        shape, w, time = self.shape[kind], self.window.c, _c.timestamp
        low = time >= w.low if shape.start_inclusive else time > w.low
        high = time <= w.high if shape.stop_inclusive else time < w.high
        # retained_7d is open-ended: no high bound (the other retention windows share its shape).
        return sa.and_(low, sa.or_(w.high.is_(None), high), time <= now)

    def _during(self, conn: Connection, now: datetime, tally: Tally) -> None:
        """Revisions in W, one row per (event, revision), sorted as the pure tally sorts them.

        Read by time range on the covering index contribution_wiki_time_cover, then kept if their
        author takes part in that event. On Commons for an event that does not track it, only
        uploads are read (tool.metrics.tally.observe_commons_upload).
        """
        member, scope, window = self.member, self.scope, self.window
        query = (
            sa.select(
                window.c.event_no,
                scope.c.tracked,
                *(getattr(_c, name) for name in _CONTRIBUTION_FIELDS),
            )
            .select_from(
                window.join(scope, scope.c.event_no == window.c.event_no)
                .join(_c, sa.and_(_c.wiki == scope.c.wiki, self._in(_DURING, now)))
                .join(member, sa.and_(member.c.event_no == window.c.event_no, member.c.user == _c.user))
            )
            .where(
                window.c.kind == _DURING,
                sa.or_(scope.c.tracked.is_(True), sa.and_(_c.namespace == FILE_NAMESPACE, _c.new.is_(True))),
            )
        )
        for event_no, tracked, *fields in conn.execute(query):
            contribution = Contribution(*fields)
            plan = self.plans[event_no]
            if tracked:
                observe_during(tally, plan.spec, contribution)
            else:
                observe_commons_upload(tally, plan, contribution)

    def _rates(self, conn: Connection, now: datetime, tally: Tally) -> None:
        """Edits per person before their first event and after their last, on that event's wikis.

        One index range on contribution_wiki_user_time per (person, wiki), counted where it lies.
        """
        for kind, at, counter in (
            (_BEFORE, self.member.c.first, tally.edits_before),
            (_AFTER, self.member.c.last, tally.edits_after),
        ):
            query = (
                sa.select(self.member.c.user, sa.func.count())
                .select_from(self._personal(kind, now))
                .where(at.is_(True))
                .group_by(self.member.c.user)
            )
            for user, edits in conn.execute(query):
                counter[user] += int(edits)

    def _retention(self, conn: Connection, now: datetime, tally: Tally) -> None:
        """Which people edited in which retention window of any of their events.

        EXISTS, so each (person, event, window) stops at its first edit on the index instead of
        reading every later revision. Retention windows all share one shape ([start, stop),
        tool.metrics.tally.Plan), so one condition serves them all.
        """
        member, scope, window = self.member, self.scope, self.window
        edited = sa.exists(
            sa.select(_c.id)
            .select_from(scope.join(_c, _c.wiki == scope.c.wiki))
            .where(
                scope.c.event_no == member.c.event_no,
                scope.c.tracked.is_(True),
                _c.user == member.c.user,
                self._in(RETENTION_KEYS[0], now),
            )
        )
        query = (
            sa.select(member.c.user, window.c.kind)
            .select_from(
                member.join(
                    window,
                    sa.and_(window.c.event_no == member.c.event_no, window.c.kind.in_(RETENTION_KEYS)),
                )
            )
            .where(edited)
        )
        for user, kind in conn.execute(query):
            tally.active[kind].add(user)

    def _personal(self, kind: str, now: datetime) -> Any:
        """Each member's own contributions on their event's tracked wikis in its ``kind`` window."""
        member, scope, window = self.member, self.scope, self.window
        return (
            member.join(window, sa.and_(window.c.event_no == member.c.event_no, window.c.kind == kind))
            .join(scope, sa.and_(scope.c.event_no == member.c.event_no, scope.c.tracked.is_(True)))
            .join(_c, sa.and_(_c.wiki == scope.c.wiki, _c.user == member.c.user, self._in(kind, now)))
        )


_CONTRIBUTION_FIELDS: Sequence[str] = (
    "wiki",
    "rev_id",
    "user",
    "page_id",
    "namespace",
    "title",
    "timestamp",
    "sizediff",
    "new",
)


def _windows(plan: Plan) -> list[tuple[str, Window]]:
    return [(_DURING, plan.during), (_BEFORE, plan.before), (_AFTER, plan.after), *plan.retention]
