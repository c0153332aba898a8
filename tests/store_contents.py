"""What a run left in a store, read back whole so two runs can be compared (tests/test_faults.py,
tests/test_sync_resume.py): two runs that should agree must leave equal contents."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import sqlalchemy as sa

from tool.store import models as m


def contents(url: str) -> dict[str, Any]:
    """Events, cohorts, people, accounts, contributions (per wiki) and the latest snapshot of each
    event, cohort and comparison, without row ids and times of writing."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "events": _rows(
                    conn, m.Event, "title", "rev_id", "fields", "problems", "start", "end", "wikis"
                ),
                "cohorts": _rows(conn, m.Cohort, "title", "rev_id", "events", "problems"),
                "participants": sorted(
                    conn.execute(
                        sa.select(
                            m.Event.title, m.Participant.user, m.Participant.exists, m.Participant.state
                        ).join(m.Event, m.Event.id == m.Participant.event_id)
                    ).all()
                ),
                "accounts": _rows(conn, m.Account, "wiki", "user", "user_id", "registration", "state"),
                "contributions": contributions(conn),
                "snapshots": latest_snapshots(conn),
            }
    finally:
        engine.dispose()


def contributions(conn: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Per wiki, every stored revision (rev id, user, page, namespace, time, size change, new)."""
    c = m.Contribution
    found: dict[str, list[tuple[Any, ...]]] = {}
    query = sa.select(c.wiki, c.rev_id, c.user, c.page_id, c.namespace, c.timestamp, c.sizediff, c.new)
    for wiki, *row in conn.execute(query.order_by(c.wiki, c.rev_id)):
        found.setdefault(wiki, []).append(tuple(row))
    return found


def counted_twice(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[int]]:
    """Rev ids stored more than once on a wiki (the store's unique key should make this empty)."""
    twice = {
        wiki: [rev for rev, n in Counter(r[0] for r in revs).items() if n > 1] for wiki, revs in rows.items()
    }
    return {wiki: revs for wiki, revs in twice.items() if revs}


def latest_snapshots(conn: sa.Connection) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest snapshot of each (kind, target): its figures (JSON, decoded) and partial flag."""
    s = m.Snapshot
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for row in conn.execute(sa.select(s).order_by(s.computed_at, s.id)):
        latest[row.kind, row.target] = {
            "figures": json.loads(row.figures),
            "partial": row.partial,
            "data_time": row.data_time,
        }
    return latest


def _rows(conn: sa.Connection, model: Any, *names: str) -> list[tuple[Any, ...]]:
    columns = [getattr(model, name) for name in names]
    return sorted((tuple(_comparable(v) for v in row) for row in conn.execute(sa.select(*columns))), key=repr)


def _comparable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value
