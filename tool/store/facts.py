"""Each event's counts, kept: what every figure of any set of events is added up from.

The tool's one counting path. An event's facts are counted in SQL where its contributions lie
(one statement per kind of window, its bounds written in, read on the contribution indexes):

- fact_revision: each revision in the event's window W on a wiki it tracks;
- fact_page: each page it edited or created in its article namespaces, or uploaded (on Commons
  too when the event does not track it, DESIGN §5);
- fact_member: each person — registration, coverage, edits in the 8 weeks before and after the
  event, and in which retention windows they edited;
- fact_event: the event's sums over its own rows.

A group (a cohort, every event of a region, or one event: the group of one) adds up its events'
sums and takes away what two of its events both counted: a revision or page counted by more than
one event is noted in fact_shared when the second one counts it, so only those are looked at
again. The people of a group are its fact_member rows, and the figures are made from them by
tool.metrics.compute.group_figures, the same function the pure reference feeds.

Facts are counted at a time ``as_of`` (windows bounded there) and are valid while nothing they
were counted from changed: every write of contributions, coverage, accounts or participants moves
the store's stamp (``bump_stamp``), and an event's dates, wikis and namespaces are in its
``spec_key``. Facts in which nothing stored lay after ``as_of`` (``closed``, always so in
production) hold at any later time too, so a comparison after the nightly run reads them as
they are.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tool.metrics.compute import DuringCounts
from tool.metrics.inputs import COMMONS, FILE_NAMESPACE
from tool.metrics.tally import Plan
from tool.metrics.windows import RETENTION_KEYS, Window
from tool.store import models as m
from tool.store.engine import INSERT_CHUNK, Database, chunks
from tool.store.records import to_row

_c = m.Contribution
SECOND, ZERO = timedelta(seconds=1), timedelta(0)
# The sums of fact_event, in DuringCounts' order and names.
SUMS = ("edits", "bytes_added", "bytes_removed", "sizes_unknown", "pages_edited", "pages_created", "uploads")


@dataclass(frozen=True)
class MemberInput:
    """What the caller knows of a person at an event (tool.pipeline.evaluate works it out)."""

    user: str
    registration: datetime | None
    checked: bool
    until: datetime | None
    uploads_until: datetime | None


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """A fact_member row, by field name."""

    user: str
    registration: datetime | None
    checked: bool
    until: datetime | None
    uploads_until: datetime | None
    edits_before: int
    edits_after: int
    active: frozenset[str]


@dataclass(frozen=True)
class FactState:
    as_of: datetime
    stamp: int
    spec_key: str
    closed: bool

    def valid(self, stamp: int, spec_key: str, now: datetime) -> bool:
        """Whether these facts are the event's counts at ``now`` (module docstring)."""
        if self.stamp != stamp or self.spec_key != spec_key:
            return False
        return self.as_of == now or (self.closed and self.as_of <= now)


def spec_key(plan: Plan) -> str:
    """What an event's facts depend on from its page: its dates, wikis and namespaces."""
    spec = plan.spec
    text = json.dumps(
        [spec.start.isoformat(), spec.end.isoformat(), sorted(spec.wikis), sorted(spec.namespaces)]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def bump_stamp(conn: Connection) -> None:
    """Say that counted data changed (in the writer's own transaction, so it moves with the data)."""
    conn.execute(sa.update(m.StoreStamp).where(m.StoreStamp.id == 1).values(version=m.StoreStamp.version + 1))


class Facts(Database):
    def stamp(self) -> int:
        with self._tx() as conn:
            return _stamp(conn)

    def fact_states(self, titles: Sequence[str]) -> dict[str, FactState]:
        """The facts held for these events (an event without facts is absent)."""
        f = m.FactEvent
        found: dict[str, FactState] = {}
        with self._tx() as conn:
            for chunk in chunks(list(titles)):
                rows = conn.execute(
                    sa.select(m.Event.title, f.as_of, f.stamp, f.spec_key, f.closed)
                    .join(f, f.event_id == m.Event.id)
                    .where(m.Event.title.in_(chunk))
                )
                for title, as_of, stamp, key, closed in rows:
                    found[title] = FactState(as_of, int(stamp), key, bool(closed))
        return found

    def count_facts(self, title: str, plan: Plan, members: Sequence[MemberInput], now: datetime) -> FactState:
        """Count one event's facts at ``now`` from the stored contributions, replacing its old ones."""
        with self._tx() as conn:
            event_id = conn.execute(sa.select(m.Event.id).where(m.Event.title == title)).scalar()
            if event_id is None:
                raise KeyError(f"no stored event {title!r}")
            state = FactState(now, _stamp(conn), spec_key(plan), closed=True)
            counter = _Counter(conn, int(event_id), plan, now, self._insert_ignore(m.FactShared.__table__))  # type: ignore[arg-type]
            return counter.count(members, state)

    def group_facts(self, titles: Sequence[str]) -> tuple[DuringCounts, dict[str, list[MemberFacts]]]:
        """The counts of a set of events, each revision and page once, and each event's people."""
        with self._tx() as conn:
            ids = _event_ids(conn, titles)
            return _during(conn, list(ids.values())), _members(conn, ids)


def _stamp(conn: Connection) -> int:
    return int(conn.execute(sa.select(m.StoreStamp.version).where(m.StoreStamp.id == 1)).scalar_one())


def _event_ids(conn: Connection, titles: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in chunks(list(titles)):
        ids.update(
            (title, int(event_id))
            for title, event_id in conn.execute(
                sa.select(m.Event.title, m.Event.id).where(m.Event.title.in_(chunk))
            )
        )
    return ids


class _Counter:
    """One event's facts, counted in one transaction (temporary table of its people)."""

    def __init__(self, conn: Connection, event_id: int, plan: Plan, now: datetime, shared: Any) -> None:
        self.conn, self.event_id, self.plan, self.now = conn, event_id, plan, now
        self.tracked = sorted(plan.spec.wikis)
        self.namespaces = sorted(plan.spec.namespaces)
        self.shared_insert = shared
        self.member = sa.Table(
            "fact_people",
            sa.MetaData(),
            sa.Column("user", m.USER, primary_key=True),
            prefixes=["TEMPORARY"],
        )

    def count(self, members: Sequence[MemberInput], state: FactState) -> FactState:
        conn = self.conn
        for table in (m.FactRevision, m.FactPage, m.FactMember, m.FactEvent):
            conn.execute(sa.delete(table).where(table.event_id == self.event_id))
        self.member.create(conn)
        try:
            users = sorted({member.user for member in members})
            for chunk in chunks([{"user": user} for user in users], INSERT_CHUNK):
                conn.execute(self.member.insert(), list(chunk))
            self._during()
            per_person = self._per_person()
            rows = [
                {
                    **to_row(member),
                    "event_id": self.event_id,
                    "edits_before": per_person[member.user][0],
                    "edits_after": per_person[member.user][1],
                    "active": per_person[member.user][2],
                }
                for member in {member.user: member for member in members}.values()
            ]
            for chunk in chunks(rows, INSERT_CHUNK):
                conn.execute(sa.insert(m.FactMember), list(chunk))
            closed = not self._later_exists()
        finally:
            self.member.drop(conn)
        state = FactState(state.as_of, state.stamp, state.spec_key, closed)
        conn.execute(
            sa.insert(m.FactEvent).values(
                event_id=self.event_id,
                as_of=state.as_of,
                stamp=state.stamp,
                spec_key=state.spec_key,
                closed=state.closed,
                **self._sums(),
            )
        )
        self._note_shared()
        return state

    def _bounds(self, window: Window) -> tuple[datetime, datetime] | None:
        low, high = _closed(window, self.now)
        return (low, high) if low <= high else None  # a window that opens after now holds nothing yet

    def _in_window(self) -> Any:
        """The contributions of the event's people (joined on the temporary table)."""
        return _c.__table__.join(self.member, self.member.c.user == _c.user)

    def _during(self) -> None:
        """fact_revision and fact_page from the revisions in W, read on contribution_wiki_time_cover."""
        bounds = self._bounds(self.plan.during)
        if bounds is None:
            return
        low, high = bounds
        in_time = _c.timestamp.between(low, high)
        article = sa.and_(_c.wiki.in_(self.tracked), _c.namespace.in_(self.namespaces))
        upload = sa.and_(_c.namespace == FILE_NAMESPACE, _c.new.is_(True))
        self.conn.execute(
            sa.insert(m.FactRevision).from_select(
                ["event_id", "wiki", "rev_id", "article", "sizediff"],
                sa.select(
                    sa.literal(self.event_id),
                    _c.wiki,
                    _c.rev_id,
                    _flag(_c.namespace.in_(self.namespaces)),
                    _c.sizediff,
                )
                .select_from(self._in_window())
                .where(_c.wiki.in_(self.tracked), in_time),
            )
        )
        # Uploads count on a tracked wiki and on Commons whether tracked or not (DESIGN §5).
        upload_here = sa.and_(upload, _c.wiki.in_(sorted({*self.tracked, COMMONS})))
        self.conn.execute(
            sa.insert(m.FactPage).from_select(
                ["event_id", "wiki", "page_id", "edited", "created", "upload"],
                sa.select(
                    sa.literal(self.event_id),
                    _c.wiki,
                    _c.page_id,
                    sa.func.max(_flag(article)),
                    sa.func.max(_flag(sa.and_(article, _c.new.is_(True)))),
                    sa.func.max(_flag(upload_here)),
                )
                .select_from(self._in_window())
                .where(
                    # One IN (…) with the time range, read on the index; the OR only filters.
                    _c.wiki.in_(sorted({*self.tracked, COMMONS})),
                    in_time,
                    sa.or_(article, upload_here),
                )
                .group_by(_c.wiki, _c.page_id),
            )
        )

    def _own(self, column: Any, window: Window) -> Any:
        """SELECT ``column`` over a person's edits on the tracked wikis in ``window`` (correlated)."""
        bounds = self._bounds(window)
        if bounds is None:
            return None
        return (
            sa.select(column)
            .where(_c.wiki.in_(self.tracked), _c.user == self.member.c.user, _c.timestamp.between(*bounds))
            .correlate(self.member)
        )

    def _per_person(self) -> dict[str, tuple[int, int, int]]:
        """(edits before, edits after, retention bits) of each person, each read on their own rows.

        Correlated, so the database reads each person's rows on contribution_wiki_user_time, never
        the weeks of everyone else who edited then; EXISTS stops at the first edit of a window.
        """
        columns: list[Any] = []
        for window in (self.plan.before, self.plan.after):
            own = self._own(sa.func.count(), window)
            columns.append(sa.literal(0) if own is None else own.scalar_subquery())
        for _key, window in self.plan.retention:
            own = self._own(_c.id, window)
            columns.append(sa.literal(False) if own is None else sa.exists(own))
        result: dict[str, tuple[int, int, int]] = {}
        for user, before, after, *edited in self.conn.execute(sa.select(self.member.c.user, *columns)):
            bits = sum(1 << i for i, flag in enumerate(edited) if flag)
            result[user] = (int(before), int(after), bits)
        assert [key for key, _ in self.plan.retention] == list(RETENTION_KEYS)
        return result

    def _later_exists(self) -> bool:
        """Whether something stored lies after ``now`` (a count at an earlier time than the data)."""
        later = (
            sa.select(_c.id)
            .where(
                _c.wiki.in_(sorted({*self.tracked, COMMONS})),
                _c.user == self.member.c.user,
                _c.timestamp > self.now,
            )
            .correlate(self.member)
        )
        return (
            self.conn.execute(sa.select(self.member.c.user).where(sa.exists(later)).limit(1)).first()
            is not None
        )

    def _sums(self) -> dict[str, int]:
        r, p = m.FactRevision, m.FactPage
        article = r.article.is_(True)
        edits, added, removed, unknown = self.conn.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(
                    sa.func.sum(sa.case((sa.and_(article, r.sizediff > 0), r.sizediff), else_=0)), 0
                ),
                sa.func.coalesce(
                    sa.func.sum(sa.case((sa.and_(article, r.sizediff < 0), -r.sizediff), else_=0)), 0
                ),
                sa.func.coalesce(sa.func.sum(_flag(sa.and_(article, r.sizediff.is_(None)))), 0),
            ).where(r.event_id == self.event_id)
        ).one()
        pages = self.conn.execute(
            sa.select(
                *(
                    sa.func.coalesce(sa.func.sum(_flag(column.is_(True))), 0)
                    for column in (p.edited, p.created, p.upload)
                )
            ).where(p.event_id == self.event_id)
        ).one()
        values = (edits, added, removed, unknown, *pages)
        return {name: int(value) for name, value in zip(SUMS, values, strict=True)}

    def _note_shared(self) -> None:
        """Note the revisions and pages of this event that another event counts too (fact_shared)."""
        revisions: sa.Table = m.FactRevision.__table__  # type: ignore[assignment]
        pages: sa.Table = m.FactPage.__table__  # type: ignore[assignment]
        for kind, table, key in (("rev", revisions, "rev_id"), ("page", pages, "page_id")):
            other = table.alias("other")
            also = sa.select(other.c.event_id).where(
                other.c.wiki == table.c.wiki,
                other.c[key] == table.c[key],
                other.c.event_id != self.event_id,
            )
            self.conn.execute(
                self.shared_insert.from_select(
                    ["kind", "wiki", "key"],
                    sa.select(sa.literal(kind), table.c.wiki, table.c[key]).where(
                        table.c.event_id == self.event_id, sa.exists(also)
                    ),
                )
            )


def _flag(condition: Any) -> Any:
    """1 or 0: booleans summed and maxed the same way on SQLite and MariaDB."""
    return sa.case((condition, 1), else_=0)


def _during(conn: Connection, event_ids: Sequence[int]) -> DuringCounts:
    """The sums of the events, less what was counted more than once among them."""
    if not event_ids:
        return DuringCounts()
    f = m.FactEvent
    ids: Any = sa.bindparam("ids", list(event_ids), expanding=True)
    sums = conn.execute(
        sa.select(*(sa.func.coalesce(sa.func.sum(getattr(f, name)), 0) for name in SUMS)).where(
            f.event_id.in_(ids)
        )
    ).one()
    totals = {name: int(value) for name, value in zip(SUMS, sums, strict=True)}
    s, r, p = m.FactShared, m.FactRevision, m.FactPage
    # A revision in two events' windows: one edit, and its bytes once if either counts them.
    for count, articles, sizediff in conn.execute(
        sa.select(sa.func.count(), sa.func.sum(_flag(r.article.is_(True))), sa.func.max(r.sizediff))
        .select_from(s.__table__.join(r, sa.and_(r.wiki == s.wiki, r.rev_id == s.key)))
        .where(s.kind == "rev", r.event_id.in_(ids))
        .group_by(r.wiki, r.rev_id)
        .having(sa.func.count() > 1)
    ):
        totals["edits"] -= int(count) - 1
        extra = max(0, int(articles) - 1)
        if sizediff is None:
            totals["sizes_unknown"] -= extra
        elif sizediff > 0:
            totals["bytes_added"] -= extra * int(sizediff)
        else:
            totals["bytes_removed"] -= extra * -int(sizediff)
    # A page two events edited, created or uploaded: once for each.
    for edited, created, uploads in conn.execute(
        sa.select(*(sa.func.sum(_flag(column.is_(True))) for column in (p.edited, p.created, p.upload)))
        .select_from(s.__table__.join(p, sa.and_(p.wiki == s.wiki, p.page_id == s.key)))
        .where(s.kind == "page", p.event_id.in_(ids))
        .group_by(p.wiki, p.page_id)
        .having(sa.func.count() > 1)
    ):
        for name, value in (("pages_edited", edited), ("pages_created", created), ("uploads", uploads)):
            totals[name] -= max(0, int(value) - 1)
    return DuringCounts(**totals)


def _members(conn: Connection, ids: Mapping[str, int]) -> dict[str, list[MemberFacts]]:
    """Each event's people (fact_member), by title."""
    title_of = {event_id: title for title, event_id in ids.items()}
    found: dict[str, list[MemberFacts]] = {title: [] for title in ids}
    fm = m.FactMember
    # Read as plain DATETIME and made aware once per distinct value: most people of an event
    # share their coverage, and the column type would convert each of 100,000 values on its own.
    aware: dict[datetime | None, datetime | None] = {None: None}

    def utc(value: datetime | None) -> datetime | None:
        if value not in aware:
            aware[value] = value.replace(tzinfo=UTC) if value is not None else None
        return aware[value]

    naive = [
        sa.type_coerce(column, sa.DateTime()) for column in (fm.registration, fm.until, fm.uploads_until)
    ]
    query = sa.select(fm.event_id, fm.user, *naive, fm.checked, fm.edits_before, fm.edits_after, fm.active)
    for chunk in chunks(list(title_of)):
        rows: Any = conn.execute(query.where(fm.event_id.in_(chunk)).order_by(fm.event_id, fm.user))
        for event_id, user, registration, until, uploads_until, checked, before, after, active in rows:
            found[title_of[event_id]].append(
                MemberFacts(
                    user,
                    utc(registration),
                    bool(checked),
                    utc(until),
                    utc(uploads_until),
                    int(before),
                    int(after),
                    _keys(int(active)),
                )
            )
    return found


_KEY_SETS: dict[int, frozenset[str]] = {}


def _keys(bits: int) -> frozenset[str]:
    """The retention keys of a bit set (few distinct sets: each is made once)."""
    keys = _KEY_SETS.get(bits)
    if keys is None:
        keys = _KEY_SETS[bits] = frozenset(key for i, key in enumerate(RETENTION_KEYS) if bits >> i & 1)
    return keys


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
