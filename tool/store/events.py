"""Events and cohorts: the pages as last parsed, found by title or page id, and pages that left the wiki."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from tool.store import models as m
from tool.store.engine import Database, chunks, retried
from tool.store.records import CohortRecord, EventRecord, from_row, to_row
from tool.store.versions import bump_pages

P = TypeVar("P", EventRecord, CohortRecord)

PAGE_MODELS: dict[str, type[m.Event] | type[m.Cohort]] = {"event": m.Event, "cohort": m.Cohort}


class Events(Database):
    @retried
    def _upsert(self, model: type[m.Event] | type[m.Cohort], title: str, values: dict[str, Any]) -> None:
        """Insert or update the page's row, keyed by title (its id, and so its participants, stay)."""
        with self._tx() as conn:
            row = conn.execute(sa.select(model.id).where(model.title == title)).first()
            if row is None:
                conn.execute(sa.insert(model).values(**values))
            else:
                conn.execute(sa.update(model).where(model.id == row.id).values(**values))
            bump_pages(conn)

    def save_event(self, record: EventRecord) -> None:
        self._upsert(m.Event, record.title, to_row(record))

    def get_event(self, title: str, *, include_gone: bool = False) -> EventRecord | None:
        """The stored event; one whose page is gone (deleted, or no longer an event) only if asked."""
        found = self._pages(m.Event, EventRecord, include_gone, m.Event.title == title)
        return found[0] if found else None

    def events_titled(self, titles: Sequence[str]) -> dict[str, EventRecord]:
        """The stored events (not gone) of these titles, in a query per thousand: a cohort's events."""
        found: dict[str, EventRecord] = {}
        for chunk in chunks(list(dict.fromkeys(titles))):
            for record in self._pages(m.Event, EventRecord, False, m.Event.title.in_(chunk)):
                found[record.title] = record
        return found

    def event_by_page_id(self, page_id: int) -> EventRecord | None:
        """Gone ones included: a page moved away from its old title is found by its id (discovery)."""
        with self._tx() as conn:
            row = conn.execute(sa.select(m.Event).where(m.Event.page_id == page_id)).first()
        return from_row(EventRecord, row) if row else None

    def list_events(self, *, include_gone: bool = False) -> list[EventRecord]:
        return self._pages(m.Event, EventRecord, include_gone)

    def parsed_revision(self, title: str) -> int | None:
        """The revision the stored event or cohort was parsed from (discovery skips unchanged pages)."""
        with self._tx() as conn:
            for model in PAGE_MODELS.values():
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
            bump_pages(conn)

    def save_cohort(self, record: CohortRecord) -> None:
        self._upsert(m.Cohort, record.title, to_row(record))

    def get_cohort(self, title: str, *, include_gone: bool = False) -> CohortRecord | None:
        found = self._pages(m.Cohort, CohortRecord, include_gone, m.Cohort.title == title)
        return found[0] if found else None

    def list_cohorts(self, *, include_gone: bool = False) -> list[CohortRecord]:
        return self._pages(m.Cohort, CohortRecord, include_gone)

    def _pages(
        self,
        model: type[m.Event] | type[m.Cohort],
        record: type[P],
        include_gone: bool,
        *where: Any,
    ) -> list[P]:
        """Stored events or cohorts by title, those whose page is gone only when asked for."""
        query = sa.select(model).where(*where).order_by(model.title)
        if not include_gone:
            query = query.where(model.gone_at.is_(None))
        with self._tx() as conn:
            return [from_row(record, row) for row in conn.execute(query).all()]

    # --- pages that left the wiki ---------------------------------------------------------------

    def mark_gone(self, kind: str, present: Sequence[str], now: datetime) -> list[str]:
        """Mark every stored page of ``kind`` not in ``present`` gone; bring present ones back.

        ``present`` is every title that transcludes the template now. Returns the titles newly gone.
        """
        model = PAGE_MODELS[kind]
        here = set(present)
        with self._tx() as conn:
            rows = conn.execute(sa.select(model.title, model.gone_at)).all()
            leaving = sorted(title for title, gone_at in rows if gone_at is None and title not in here)
            back = [title for title, gone_at in rows if gone_at is not None and title in here]
            for chunk in chunks(leaving):
                conn.execute(sa.update(model).where(model.title.in_(chunk)).values(gone_at=now))
            for chunk in chunks(back):
                conn.execute(sa.update(model).where(model.title.in_(chunk)).values(gone_at=None))
            if leaving or back:
                bump_pages(conn)
        return leaving

    def purge_gone(self, before: datetime) -> list[tuple[str, str]]:
        """Remove what is stored of events and cohorts gone at or before ``before``: (kind, title) of each.

        Contributions and coverage stay: they belong to people, who may be in other events.
        """
        purged: list[tuple[str, str]] = []
        with self._tx() as conn:
            for kind, model in PAGE_MODELS.items():
                rows = conn.execute(
                    sa.select(model.id, model.title).where(
                        model.gone_at.is_not(None), model.gone_at <= before
                    )
                ).all()
                for chunk in chunks(rows):
                    ids, titles = [r.id for r in chunk], [r.title for r in chunk]
                    if kind == "event":
                        for owned in (m.Participant, m.FactRevision, m.FactPage, m.FactMember, m.FactEvent):
                            conn.execute(sa.delete(owned).where(owned.event_id.in_(ids)))
                    conn.execute(
                        sa.delete(m.Snapshot).where(m.Snapshot.kind == kind, m.Snapshot.target.in_(titles))
                    )
                    conn.execute(sa.delete(model).where(model.id.in_(ids)))
                purged += [(kind, r.title) for r in rows]
            if purged:
                bump_pages(conn)
        return purged
