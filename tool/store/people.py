"""People: an event's participants as its pages list them, and what each wiki says about accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from tool.store import models as m
from tool.store.engine import INSERT_CHUNK, Database, chunks, retried
from tool.store.facts import bump_stamp
from tool.store.records import AccountRecord, ParticipantRecord, from_row, to_row
from tool.store.versions import bump_pages


class People(Database):
    @retried
    def replace_participants(self, title: str, participants: Sequence[ParticipantRecord]) -> None:
        with self._tx() as conn:
            event_id = conn.execute(sa.select(m.Event.id).where(m.Event.title == title)).scalar()
            if event_id is None:
                raise KeyError(f"no stored event {title!r}")
            conn.execute(sa.delete(m.Participant).where(m.Participant.event_id == event_id))
            rows = [{**to_row(p), "event_id": event_id} for p in participants]
            for chunk in chunks(rows, INSERT_CHUNK):
                conn.execute(sa.insert(m.Participant), list(chunk))
            # The events list reads this count (Snapshots.event_listings); it changes only here.
            listed = sum(1 for p in participants if p.exists)
            conn.execute(sa.update(m.Event).where(m.Event.id == event_id).values(listed=listed))
            bump_stamp(conn)
            bump_pages(conn)

    def participants(self, title: str) -> list[ParticipantRecord]:
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(m.Participant)
                .join(m.Event, m.Event.id == m.Participant.event_id)
                .where(m.Event.title == title)
                .order_by(m.Participant.id)
            ).all()
        return [from_row(ParticipantRecord, r) for r in rows]

    @retried
    def save_accounts(self, wiki: str, accounts: Sequence[AccountRecord]) -> None:
        """Upsert what ``wiki`` ("global" for CentralAuth) says about these accounts."""
        with self._tx() as conn:
            for chunk in chunks(list(accounts)):
                conn.execute(
                    sa.delete(m.Account).where(
                        m.Account.wiki == wiki, m.Account.user.in_([a.user for a in chunk])
                    )
                )
                # The last word about a name wins when a batch names it twice.
                latest = {a.user: a for a in chunk}.values()
                conn.execute(sa.insert(m.Account), [{**to_row(a), "wiki": wiki} for a in latest])
            if accounts:
                bump_stamp(conn)

    def known_accounts(self, wiki: str, users: Sequence[str], state: str | None = None) -> set[str]:
        """Which of ``users`` already have an account row for ``wiki`` ("global" included).

        With ``state``, only rows in that state ("ok": an account whose registration is settled).
        """
        known: set[str] = set()
        with self._tx() as conn:
            for chunk in chunks(list(users)):
                query = sa.select(m.Account.user).where(m.Account.wiki == wiki, m.Account.user.in_(chunk))
                if state is not None:
                    query = query.where(m.Account.state == state)
                rows = conn.execute(query)
                known.update(user for (user,) in rows)
        return known

    def registrations(self, users: Sequence[str], wikis: Sequence[str]) -> dict[str, datetime | None]:
        """DESIGN §5: the global registration where known, else the earliest on the given wikis."""
        found: dict[str, dict[str, datetime | None]] = {}
        with self._tx() as conn:
            for chunk in chunks(list(users)):
                rows = conn.execute(
                    sa.select(m.Account.user, m.Account.wiki, m.Account.registration).where(
                        m.Account.user.in_(chunk), m.Account.wiki.in_([*wikis, "global"])
                    )
                )
                for user, wiki, registration in rows:
                    found.setdefault(user, {})[wiki] = registration
        result: dict[str, datetime | None] = {}
        for user in users:
            by_wiki = found.get(user, {})
            if by_wiki.get("global") is not None:
                result[user] = by_wiki["global"]
                continue
            dates = [d for w, d in by_wiki.items() if w != "global" and d is not None]
            result[user] = min(dates) if dates else None
        return result
