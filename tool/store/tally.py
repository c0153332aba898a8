"""The counts of any set of events — one event, a cohort, a context group — gathered in SQL.

This is the one counting path of the tool: an event is the group of one. The events' windows
(tool.metrics.windows, worked out once in tool.metrics.tally.Plan) are written into a window
table, next to who takes part in which event and which wikis each event counts on; joins of
those with the stored contributions say "which revisions fall in which window". No revision
passes through Python except the few inside W (kept as sets, so pages and revisions count once
across events): the database counts the rest where the rows lie, on its indexes.

Group semantics (tool.metrics.compute): a revision counts when it lies in the window of an event
its author takes part in, on a wiki that event tracks — or, for uploads only, on Commons when the
event does not track it; "before" is taken from a person's first event and "after" from their
last; everything is bounded at ``now``. The same Tally is filled as the pure reference
(tool.metrics.tally.tally_contributions), which the tests compare this against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
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
SECOND, ZERO = timedelta(seconds=1), timedelta(0)


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
            sa.Column("wiki", m.DBNAME, primary_key=True),  # a wiki the event tracks
            prefixes=["TEMPORARY"],
        )
        self.window = sa.Table(
            "tally_window",
            meta,
            sa.Column("event_no", sa.Integer, primary_key=True),
            sa.Column("kind", sa.String(32), primary_key=True),
            # Both inclusive, in whole seconds (_closed): one BETWEEN, a range on an index.
            sa.Column("low", UTCDateTime, nullable=False),
            sa.Column("high", UTCDateTime, nullable=False),
            prefixes=["TEMPORARY"],
        )
        self.members = [
            {"event_no": n, "user": user, "first": plan is person.first, "last": plan is person.last}
            for user, person in attendance.items()
            for n, plan in {number[id(plan)]: plan for plan in person.plans}.items()
        ]
        self.scopes = [
            {"event_no": n, "wiki": wiki}
            for n, plan in enumerate(self.plans)
            for wiki in sorted(plan.spec.wikis)
        ]

    def tally(self, conn: Connection, now: datetime) -> Tally:
        tally = Tally()
        if not self.plans:
            return tally
        tables = (self.member, self.scope, self.window)
        for table in tables:
            table.create(conn)
        try:
            windows = [
                {"event_no": n, "kind": kind, "low": low, "high": high}
                for n, plan in enumerate(self.plans)
                for kind, window in _windows(plan)
                for low, high in [_closed(window, now)]
                if low <= high  # a window that opens after now holds nothing yet
            ]
            contents: tuple[list[dict[str, Any]], ...] = (self.members, self.scopes, windows)
            for table, rows in zip(tables, contents, strict=True):
                for chunk in chunks(rows, INSERT_CHUNK):
                    conn.execute(table.insert(), list(chunk))
            self._during(conn, windows, tally)
            self._rates(conn, tally)
            self._retention(conn, tally)
            return tally
        finally:
            for table in reversed(tables):
                table.drop(conn)

    def _in(self) -> Any:
        """SQL for "the contribution's time is in the window" (bounds made closed and ≤ now by _closed)."""
        return _c.timestamp.between(self.window.c.low, self.window.c.high)

    def _during(self, conn: Connection, windows: Sequence[dict[str, Any]], tally: Tally) -> None:
        """Revisions in W, one row per (event, revision), sorted as the pure tally sorts them.

        One statement per event, its bounds written in, so the time range is read on the covering
        index contribution_wiki_time_cover on both databases (MariaDB reads every row of the wiki
        when the range is bounded by another table's columns), then kept if their author takes
        part in that event. On Commons for an event that does not track it, only uploads are read
        (tool.metrics.tally.observe_commons_upload).
        """
        member = self.member
        upload = sa.and_(_c.wiki == COMMONS, _c.namespace == FILE_NAMESPACE, _c.new.is_(True))
        for window in windows:
            if window["kind"] != _DURING:
                continue
            event_no = window["event_no"]
            plan = self.plans[event_no]
            tracked = sorted(plan.spec.wikis)
            query = (
                sa.select(*(getattr(_c, name) for name in _CONTRIBUTION_FIELDS))
                .select_from(
                    _c.__table__.join(
                        member, sa.and_(member.c.event_no == event_no, member.c.user == _c.user)
                    )
                )
                .where(
                    # One IN (…) with the time range, read on the index; the OR only filters.
                    _c.wiki.in_(sorted({*tracked, COMMONS})),
                    _c.timestamp.between(window["low"], window["high"]),
                    sa.or_(_c.wiki.in_(tracked), upload),
                )
            )
            for fields in conn.execute(query):
                wiki, rev_id, user, page_id, namespace, timestamp, sizediff, new = fields
                contribution = Contribution(
                    wiki, rev_id, user, page_id, namespace, "", timestamp, sizediff, new
                )
                if contribution.wiki in plan.spec.wikis:
                    observe_during(tally, plan.spec, contribution)
                else:
                    observe_commons_upload(tally, plan, contribution)

    def _rates(self, conn: Connection, tally: Tally) -> None:
        """Edits per person before their first event and after their last, on that event's wikis.

        A correlated count per person, so the database reads each person's rows where they lie
        (an index range on contribution_wiki_user_time per wiki), never the 8 weeks of everyone
        else who edited then: a group holds a small share of the store's people.
        """
        member, window = self.member, self.window
        for kind, at, counter in (
            (_BEFORE, member.c.first, tally.edits_before),
            (_AFTER, member.c.last, tally.edits_after),
        ):
            edits = self._own_edits(sa.func.count()).scalar_subquery()
            query = (
                sa.select(member.c.user, edits)
                .select_from(
                    member.join(
                        window, sa.and_(window.c.event_no == member.c.event_no, window.c.kind == kind)
                    )
                )
                .where(at.is_(True))
            )
            for user, count in conn.execute(query):
                if count:
                    counter[user] += int(count)

    def _retention(self, conn: Connection, tally: Tally) -> None:
        """Which people edited in which retention window of any of their events.

        EXISTS, so each (person, event, window) stops at its first edit on the index instead of
        reading every later revision.
        """
        member, window = self.member, self.window
        edited = sa.exists(self._own_edits(_c.id))
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

    def _own_edits(self, column: Any) -> Any:
        """SELECT ``column`` over the member's edits on their event's tracked wikis in the window.

        Correlated with ``tally_member`` and ``tally_window`` of the statement it is used in.
        """
        scope = self.scope
        return (
            sa.select(column)
            .select_from(scope.join(_c, _c.wiki == scope.c.wiki))
            .where(
                scope.c.event_no == self.member.c.event_no,
                _c.user == self.member.c.user,
                self._in(),
            )
            .correlate(self.member, self.window)
        )


# Every column of the covering index contribution_wiki_time_cover, so W is read from the index
# alone. The title is not there, and the definitions never read it: it is left empty.
_CONTRIBUTION_FIELDS: Sequence[str] = (
    "wiki",
    "rev_id",
    "user",
    "page_id",
    "namespace",
    "timestamp",
    "sizediff",
    "new",
)


def _closed(window: Window, now: datetime) -> tuple[datetime, datetime]:
    """The window as [low, high] in whole seconds, and ending at ``now`` at the latest.

    The store keeps whole seconds (tool.store.types.UTCDateTime), so "after a" is "at or after
    the next second" and "before b" is "at or before the second before": exact, and one BETWEEN
    instead of a different comparison per kind of window and an OR for the open-ended one.
    """
    low = _ceil(window.start) + (SECOND if not window.start_inclusive and _whole(window.start) else ZERO)
    stop = now if window.stop is None else min(window.stop, now)
    exclusive = window.stop is not None and stop == window.stop and not window.stop_inclusive
    high = stop.replace(microsecond=0) - (SECOND if exclusive and _whole(stop) else ZERO)
    return low, high


def _whole(moment: datetime) -> bool:
    return moment.microsecond == 0


def _ceil(moment: datetime) -> datetime:
    return moment if _whole(moment) else moment.replace(microsecond=0) + SECOND


def _windows(plan: Plan) -> list[tuple[str, Window]]:
    return [(_DURING, plan.during), (_BEFORE, plan.before), (_AFTER, plan.after), *plan.retention]
