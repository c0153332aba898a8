"""Snapshots: the outcomes of an event or cohort as computed at one time, newest read by index."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from tool.store import models as m
from tool.store.engine import Database, retried
from tool.store.records import EventListing, EventRecord, SnapshotRecord, from_row, row_reader
from tool.store.versions import bump_pages

_s = m.Snapshot
_SNAPSHOT_PREFIX = "snapshot_"


def _newest_id(kind: str, target: Any) -> Any:
    """The id of the newest snapshot of (kind, target): one range on the index snapshot_target."""
    return (
        sa.select(_s.id)
        .where(_s.kind == kind, _s.target == target)
        .order_by(_s.computed_at.desc(), _s.id.desc())
        .limit(1)
    )


class Snapshots(Database):
    @retried
    def save_snapshot(
        self,
        kind: str,
        target: str,
        figures: str,
        *,
        definitions_version: int,
        data_time: datetime,
        partial: bool,
        computed_at: datetime | None = None,
    ) -> int:
        with self._tx() as conn:
            result = conn.execute(
                sa.insert(_s).values(
                    kind=kind,
                    target=target,
                    computed_at=computed_at or datetime.now(UTC),
                    data_time=data_time,
                    definitions_version=definitions_version,
                    figures=figures,
                    partial=partial,
                )
            )
            bump_pages(conn)
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def latest_snapshot(self, kind: str, target: str) -> SnapshotRecord | None:
        """The newest snapshot (by computed time, then by id for two in the same second)."""
        query = sa.select(_s).where(_s.id == _newest_id(kind, target).scalar_subquery())
        with self._tx() as conn:
            row = conn.execute(query).first()
        return from_row(SnapshotRecord, row) if row else None

    def event_listings(self) -> list[EventListing]:
        """Every (not gone) event with its latest snapshot and its listed people, in one query.

        The events list is read on every view of the home page: one statement whatever the number
        of events, each event's snapshot found on the index and its people's count read from the
        event (``event.listed``, written with its participants), not counted at every view.
        """
        snapshot_columns = [column.label(_SNAPSHOT_PREFIX + column.key) for column in _s.__table__.c]
        newest = _newest_id("event", m.Event.title).correlate(m.Event).scalar_subquery()
        query = (
            sa.select(m.Event, *snapshot_columns)
            .outerjoin(_s, _s.id == newest)
            .where(m.Event.gone_at.is_(None))
            .order_by(m.Event.title)
        )
        with self._tx() as conn:
            result = conn.execute(query)
            columns = list(result.keys())
            rows = result.all()
        event = row_reader(EventRecord, columns)
        snapshot = row_reader(SnapshotRecord, columns, _SNAPSHOT_PREFIX)
        snapshot_id, listed_at = columns.index(_SNAPSHOT_PREFIX + "id"), columns.index("listed")
        return [
            EventListing(
                event=event(row),
                snapshot=snapshot(row) if row[snapshot_id] is not None else None,
                listed=int(row[listed_at]),
            )
            for row in rows
        ]
