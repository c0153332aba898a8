"""The counts of one event's outcomes gathered in SQL, for events too large to stream through Python.

It fills the same Tally that tool.metrics.tally builds from Contribution objects, from the same
Window objects, so the definitions stay in one place: here only "which rows fall in which window"
is said in SQL instead of Python. Tests compare both paths on the same histories.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm
from sqlalchemy.engine import Connection

from tool.metrics.inputs import COMMONS, FILE_NAMESPACE
from tool.metrics.tally import Plan, Tally
from tool.metrics.windows import Window
from tool.store import models as m
from tool.store.engine import INSERT_CHUNK
from tool.store.store import Store

_c = m.Contribution


def event_tally(store: Store, plan: Plan, users: Sequence[str], now: datetime) -> Tally:
    """The Tally of one event (its plan) over the stored contributions of ``users`` up to ``now``.

    Bounded at ``now`` as the Python path is (evaluate reads contributions up to ``now``): a
    revision stored with a later time (a sync run after the ``now`` asked for) must not count in
    an open-ended window such as retained_7d on one path and not on the other.
    """
    return store.with_connection(lambda conn: _tally(conn, plan, list(dict.fromkeys(users)), now))


def _in(column: Any, window: Window, now: datetime) -> Any:
    """SQL for "the timestamp is in ``window``, and not after ``now``", honouring inclusive ends."""
    low = column >= window.start if window.start_inclusive else column > window.start
    # One upper bound, the nearer of ``now`` and the window's stop: two would keep SQLite from
    # reading the range on the index (measured: 1,000 times slower on a million rows).
    if window.stop is None or now < window.stop:
        high = column <= now
    else:
        high = column <= window.stop if window.stop_inclusive else column < window.stop
    return sa.and_(low, high)


def _tally(conn: Connection, plan: Plan, users: list[str], now: datetime) -> Tally:
    people = sa.Table(
        "tally_people", sa.MetaData(), sa.Column("user", m.USER, primary_key=True), prefixes=["TEMPORARY"]
    )
    people.create(conn)
    try:
        for i in range(0, len(users), INSERT_CHUNK):
            conn.execute(people.insert(), [{"user": u} for u in users[i : i + INSERT_CHUNK]])
        tally = Tally()
        _during(conn, people, plan, now, tally)
        _per_person(conn, people, plan, now, tally)
        return tally
    finally:
        people.drop(conn)


def _during(conn: Connection, people: sa.Table, plan: Plan, now: datetime, tally: Tally) -> None:
    """Revisions in W: few enough to look at one by one, as tool.metrics.tally.observe_during does.

    Read by time range on the covering index contribution_wiki_time_cover, then kept if their
    author is a participant. Commons' uploads count even when the event does not track Commons
    (tool.metrics.tally.observe_commons_upload), and then only they do.
    """
    namespaces = plan.spec.namespaces
    tracked = sorted(plan.spec.wikis)
    # The wiki list stays one IN (…) so the time range is read on the index; the OR only filters.
    commons_uploads = sa.and_(_c.wiki == COMMONS, _c.namespace == FILE_NAMESPACE, _c.new.is_(True))
    query = (
        sa.select(_c.wiki, _c.rev_id, _c.page_id, _c.namespace, _c.sizediff, _c.new)
        .select_from(_c.__table__.join(people, people.c.user == _c.user))
        .where(
            _c.wiki.in_(sorted({*tracked, COMMONS})),
            _in(_c.timestamp, plan.during, now),
            sa.or_(_c.wiki.in_(tracked), commons_uploads),
        )
    )
    for wiki, rev_id, page_id, namespace, sizediff, new in conn.execute(query):
        page = (wiki, page_id)
        if namespace == FILE_NAMESPACE and new:
            tally.uploads.add(page)
        if wiki not in plan.spec.wikis:
            continue
        tally.revisions_during.add((wiki, rev_id))
        if namespace in namespaces:
            tally.pages_edited.add(page)
            tally.article_sizes[(wiki, rev_id)] = sizediff
            if new:
                tally.pages_created.add(page)


def _per_person(conn: Connection, people: sa.Table, plan: Plan, now: datetime, tally: Tally) -> None:
    """Per participant: edits before and after, and which retention windows hold an edit.

    Correlated subqueries, each an index range on contribution_wiki_user_time: a person's rows are
    counted or probed where they lie, instead of every stored row passing through a CASE per window.
    """
    wikis = sorted(plan.spec.wikis)

    def mine(window: Window) -> Any:
        c = sa.orm.aliased(m.Contribution)
        return c, sa.and_(c.wiki.in_(wikis), c.user == people.c.user, _in(c.timestamp, window, now))

    def count(window: Window) -> Any:
        c, where = mine(window)
        return sa.select(sa.func.count()).select_from(c).where(where).scalar_subquery()

    def any_edit(window: Window) -> Any:
        c, where = mine(window)
        return sa.exists(sa.select(c.id).where(where))

    keys = [key for key, _ in plan.retention]
    query = sa.select(
        people.c.user,
        count(plan.before),
        count(plan.after),
        *(any_edit(window) for _, window in plan.retention),
    )
    for row in conn.execute(query):
        user = row[0]
        if row[1]:
            tally.edits_before[user] += int(row[1])
        if row[2]:
            tally.edits_after[user] += int(row[2])
        for index, key in enumerate(keys):
            if row[3 + index]:
                tally.active[key].add(user)
