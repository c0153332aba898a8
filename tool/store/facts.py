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
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tool.metrics.compute import DuringCounts, PeopleCounts, Span
from tool.metrics.inputs import COMMONS, FILE_NAMESPACE
from tool.metrics.tally import Plan
from tool.metrics.windows import RETENTION_KEYS, Window
from tool.store import models as m
from tool.store.engine import INSERT_CHUNK, Database, chunks, retried
from tool.store.records import to_row
from tool.store.types import UTCDateTime

_c = m.Contribution
SECOND, ZERO = timedelta(seconds=1), timedelta(0)
# The sums of fact_event, in DuringCounts' order and names.
SUMS = ("edits", "bytes_added", "bytes_removed", "sizes_unknown", "pages_edited", "pages_created", "uploads")


@dataclass(frozen=True)
class MemberInput:
    """What the caller knows of a person at an event (tool.pipeline.evaluate works it out)."""

    user: str
    registration: datetime | None
    new: bool  # registered in the event's new-editor window
    checked: bool
    until: datetime | None
    uploads_until: datetime | None


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

    @retried
    def count_facts(self, title: str, plan: Plan, members: Sequence[MemberInput], now: datetime) -> FactState:
        """Count one event's facts at ``now`` from the stored contributions, replacing its old ones."""
        with self._tx() as conn:
            event_id = conn.execute(sa.select(m.Event.id).where(m.Event.title == title)).scalar()
            if event_id is None:
                raise KeyError(f"no stored event {title!r}")
            state = FactState(now, _stamp(conn), spec_key(plan), closed=True)
            counter = _Counter(conn, int(event_id), plan, now, self._insert_ignore(m.FactShared.__table__))  # type: ignore[arg-type]
            return counter.count(members, state)

    def group_facts(self, plans: Sequence[Plan]) -> tuple[DuringCounts, PeopleCounts]:
        """The counts of a set of events (in the group's order), each revision, page and person once."""
        with self._tx() as conn:
            ids = _event_ids(conn, [plan.spec.key for plan in plans])
            plan_of = {ids[plan.spec.key]: plan for plan in plans if plan.spec.key in ids}
            return _during(conn, list(plan_of)), _people(conn, plan_of)

    def wiki_sums(self, title: str) -> dict[str, dict[str, int]]:
        """The event's own sums (``SUMS``) on each wiki, from its kept facts (the per-wiki table).

        Read at refresh, right after the event is counted, and kept with its snapshot: pages show
        the table without counting anything. Commons appears when the event has uploads there.
        """
        r, p = m.FactRevision, m.FactPage
        article = r.article.is_(True)
        with self._tx() as conn:
            event_id = conn.execute(sa.select(m.Event.id).where(m.Event.title == title)).scalar()
            if event_id is None:
                raise KeyError(f"no stored event {title!r}")
            found: dict[str, dict[str, int]] = {}
            revisions = conn.execute(
                sa.select(
                    r.wiki,
                    sa.func.count(),
                    sa.func.sum(sa.case((sa.and_(article, r.sizediff > 0), r.sizediff), else_=0)),
                    sa.func.sum(sa.case((sa.and_(article, r.sizediff < 0), -r.sizediff), else_=0)),
                    sa.func.sum(_flag(sa.and_(article, r.sizediff.is_(None)))),
                )
                .where(r.event_id == event_id)
                .group_by(r.wiki)
            )
            for wiki, *values in revisions:
                found[str(wiki)] = dict(zip(SUMS[:4], (int(v or 0) for v in values), strict=True))
            pages = conn.execute(
                sa.select(
                    p.wiki,
                    *(sa.func.sum(_flag(column.is_(True))) for column in (p.edited, p.created, p.upload)),
                )
                .where(p.event_id == event_id)
                .group_by(p.wiki)
            )
            for wiki, *values in pages:
                sums = found.setdefault(str(wiki), dict.fromkeys(SUMS[:4], 0))
                sums.update(zip(SUMS[4:], (int(v or 0) for v in values), strict=True))
            for sums in found.values():
                for name in SUMS[4:]:
                    sums.setdefault(name, 0)
            return found


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
        for table in (m.FactShared, m.FactRevision, m.FactPage, m.FactMember, m.FactEvent):
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
                    "edits_before": per_person.get(member.user, (0, 0, 0))[0],
                    "edits_after": per_person.get(member.user, (0, 0, 0))[1],
                    "active": per_person.get(member.user, (0, 0, 0))[2],
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
        low, high = window_bounds(window, self.now)
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

    def _per_person(self) -> dict[str, tuple[int, int, int]]:
        """(edits before, edits after, retention bits) of each person, from their own rows.

        One pass per tracked wiki: each person's rows in the span of all the windows are read on
        contribution_wiki_user_time (the wiki and the person fixed, a time range), and sorted into
        the windows by CASE, summed per person. Correlated subqueries per window (thirteen of them)
        were as fast on SQLite but made MariaDB read a whole wiki per person when the event tracks
        two wikis (an IN list beside the correlated name).
        """
        windows = [self.plan.before, self.plan.after, *(window for _, window in self.plan.retention)]
        bounds = [self._bounds(window) for window in windows]
        present = [b for b in bounds if b is not None]
        result: dict[str, tuple[int, int, int]] = {}
        assert [key for key, _ in self.plan.retention] == list(RETENTION_KEYS)
        if not present:
            return result
        low, high = min(b[0] for b in present), max(b[1] for b in present)
        columns = [
            sa.literal(0) if b is None else sa.func.sum(_flag(_c.timestamp.between(*b))) for b in bounds
        ]
        for wiki in self.tracked:
            rows = self.conn.execute(
                sa.select(self.member.c.user, *columns)
                .select_from(
                    self.member.join(
                        _c,
                        sa.and_(
                            _c.wiki == wiki, _c.user == self.member.c.user, _c.timestamp.between(low, high)
                        ),
                    )
                )
                .group_by(self.member.c.user)
            )
            for user, before, after, *edited in rows:
                bits = sum(1 << i for i, count in enumerate(edited) if count)
                was_before, was_after, was_bits = result.get(user, (0, 0, 0))
                result[user] = (was_before + int(before), was_after + int(after), was_bits | bits)
        return result

    def _later_exists(self) -> bool:
        """Whether something stored lies after ``now`` (a count at an earlier time than the data)."""
        for wiki in sorted({*self.tracked, COMMONS}):
            later = self.conn.execute(
                sa.select(self.member.c.user)
                .select_from(
                    self.member.join(
                        _c, sa.and_(_c.wiki == wiki, _c.user == self.member.c.user, _c.timestamp > self.now)
                    )
                )
                .limit(1)
            ).first()
            if later is not None:
                return True
        return False

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
        """Note the revisions and pages this event shares with another event, for both (fact_shared)."""
        revisions: sa.Table = m.FactRevision.__table__  # type: ignore[assignment]
        pages: sa.Table = m.FactPage.__table__  # type: ignore[assignment]
        for kind, table, key in (("rev", revisions, "rev_id"), ("page", pages, "page_id")):
            mine, other = table.alias("mine"), table.alias("other")
            shared = mine.join(other, sa.and_(other.c.wiki == mine.c.wiki, other.c[key] == mine.c[key]))
            for side in (mine, other):
                self.conn.execute(
                    self.shared_insert.from_select(
                        ["event_id", "kind", "wiki", "key"],
                        sa.select(side.c.event_id, sa.literal(kind), side.c.wiki, side.c[key])
                        .select_from(shared)
                        .where(mine.c.event_id == self.event_id, other.c.event_id != self.event_id)
                        .distinct(),
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
        .select_from(
            s.__table__.join(r, sa.and_(r.event_id == s.event_id, r.wiki == s.wiki, r.rev_id == s.key))
        )
        .where(s.event_id.in_(ids), s.kind == "rev")
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
        .select_from(
            s.__table__.join(p, sa.and_(p.event_id == s.event_id, p.wiki == s.wiki, p.page_id == s.key))
        )
        .where(s.event_id.in_(ids), s.kind == "page")
        .group_by(p.wiki, p.page_id)
        .having(sa.func.count() > 1)
    ):
        for name, value in (("pages_edited", edited), ("pages_created", created), ("uploads", uploads)):
            totals[name] -= max(0, int(value) - 1)
    return DuringCounts(**totals)


def _people(conn: Connection, plan_of: Mapping[int, Plan]) -> PeopleCounts:
    """PeopleCounts of the events (event id → plan, in the group's order) from fact_member."""
    if not plan_of:
        return PeopleCounts()
    fm = m.FactMember
    in_group = fm.event_id.in_(sa.bindparam("group", list(plan_of), expanding=True))
    bits = [_flag(fm.active.op("&")(1 << i) != 0) for i in range(len(RETENTION_KEYS))]
    person = (
        sa.select(
            fm.user,
            sa.func.max(_flag(fm.new.is_(True))).label("new"),
            sa.func.min(_flag(fm.registration.is_(None))).label("unknown"),
            sa.func.max(_flag(fm.checked.is_(False))).label("unchecked"),
            *(sa.func.max(bit).label(f"active{i}") for i, bit in enumerate(bits)),
        )
        .where(in_group)
        .group_by(fm.user)
        .subquery()
    )
    retained = person.c[f"active{RETENTION_KEYS.index('retained_7d')}"]
    total, new, unknown, unchecked, retained_new, *active = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.sum(person.c.new),
            sa.func.max(person.c.unknown),
            sa.func.max(person.c.unchecked),
            sa.func.sum(person.c.new * retained),
            *(sa.func.sum(person.c[f"active{i}"]) for i in range(len(RETENTION_KEYS))),
        )
    ).one()
    # Each person's first event (earliest start) and last (latest end), by title on a tie
    # (tool.metrics.tally.first_order): both rankings in one pass over the group's people, kept in
    # a temporary table (MariaDB would compute a CTE once for each statement reading it), the
    # titles' order given as a small number (sorting 100,000 rows by 512-character titles cost
    # MariaDB seconds); then in one statement the edits of each side counted by number and the
    # distinct spans of each.
    meta = sa.MetaData()
    group = sa.Table(
        "fact_group",
        meta,
        sa.Column("event_id", sa.Integer, primary_key=True),
        sa.Column("start", UTCDateTime, nullable=False),
        sa.Column("end", UTCDateTime, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        prefixes=["TEMPORARY"],
    )
    ranked = sa.Table(
        "fact_ranked",
        meta,
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("until", UTCDateTime),
        sa.Column("uploads_until", UTCDateTime),
        sa.Column("edits_before", sa.Integer, nullable=False),
        sa.Column("edits_after", sa.Integer, nullable=False),
        sa.Column("first", sa.Integer, nullable=False),
        sa.Column("last", sa.Integer, nullable=False),
        prefixes=["TEMPORARY"],
    )
    by_title = sorted(plan_of, key=lambda event_id: plan_of[event_id].spec.key)
    group.create(conn)
    ranked.create(conn)
    try:
        conn.execute(
            group.insert(),
            [
                {
                    "event_id": event_id,
                    "start": plan_of[event_id].spec.start,
                    "end": plan_of[event_id].spec.end,
                    "position": position,
                }
                for position, event_id in enumerate(by_title)
            ],
        )
        g = group.c
        conn.execute(
            ranked.insert().from_select(
                ["event_id", "until", "uploads_until", "edits_before", "edits_after", "first", "last"],
                sa.select(
                    fm.event_id,
                    fm.until,
                    fm.uploads_until,
                    fm.edits_before,
                    fm.edits_after,
                    sa.func.row_number().over(
                        partition_by=fm.user, order_by=(g.start.asc(), g.position.asc())
                    ),
                    sa.func.row_number().over(
                        partition_by=fm.user, order_by=(g.end.desc(), g.position.asc())
                    ),
                ).join(group, g.event_id == fm.event_id),
            )
        )
        histograms, spans = _ranked_counts(conn, ranked)
    finally:
        ranked.drop(conn)
        group.drop(conn)
    return PeopleCounts(
        participants=int(total),
        new_editors=int(new or 0),
        registration_unknown=bool(unknown),
        retained_new=int(retained_new or 0),
        active={key: int(count or 0) for key, count in zip(RETENTION_KEYS, active, strict=True)},
        unchecked=bool(unchecked),
        before=histograms["before"],
        after=histograms["after"],
        spans=_spans(spans["spans"], plan_of),
        before_spans=_spans(spans["before_spans"], plan_of),
        after_spans=_spans(spans["after_spans"], plan_of),
    )


def _ranked_counts(
    conn: Connection, ranked: sa.Table
) -> tuple[dict[str, dict[int, int]], dict[str, list[tuple[Any, Any, Any]]]]:
    """The histograms of edits before / after and the distinct spans, from the ranked people.

    A statement each: MariaDB cannot read one temporary table twice in one statement.
    """
    r = ranked.c
    span_columns = (r.event_id, r.until, r.uploads_until)
    histograms: dict[str, dict[int, int]] = {}
    spans: dict[str, list[tuple[Any, Any, Any]]] = {
        "spans": [tuple(row) for row in conn.execute(sa.select(*span_columns).distinct())]
    }
    for side, edits, rank in (("before", r.edits_before, r.first), ("after", r.edits_after, r.last)):
        histograms[side] = {
            int(n): int(count)
            for n, count in conn.execute(sa.select(edits, sa.func.count()).where(rank == 1).group_by(edits))
        }
        spans[side + "_spans"] = [
            tuple(row) for row in conn.execute(sa.select(*span_columns).where(rank == 1).distinct())
        ]
    return histograms, spans


def _spans(rows: Any, plan_of: Mapping[int, Plan]) -> list[Span]:
    return [Span(plan_of[event_id], until, uploads_until) for event_id, until, uploads_until in rows]


def window_bounds(window: Window, now: datetime) -> tuple[datetime, datetime]:
    """The window as [low, high] in whole seconds, and ending at ``now`` at the latest.

    Every query of what a window holds uses these bounds (the facts, the web's list of counted
    revisions), so an edit at an edge is in or out the same way everywhere.

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
