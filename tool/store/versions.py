"""What the pages show has changed: a counter the web's page cache (tool.web.pagecache) reads.

A second row of store_stamp (migration 0006), beside the data stamp the facts use (row 1, moved by
contributions, coverage, accounts and participants). This one moves with every write a page shows:
an event or cohort saved, renamed, gone or purged, a participant list replaced, a snapshot kept.
Moving it in the writer's own transaction means a reader that sees the new data sees the new
version too, so a cached page is never served past a change it would show.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tool.store import models as m
from tool.store.engine import Database

DATA = 1  # tool.store.facts: what the outcomes are counted from
PAGES = 2  # what the pages show


def bump_pages(conn: Connection) -> None:
    conn.execute(
        sa.update(m.StoreStamp).where(m.StoreStamp.id == PAGES).values(version=m.StoreStamp.version + 1)
    )


class Versions(Database):
    def pages_version(self) -> int:
        """One primary-key read: cheap enough to ask on every request."""
        with self._tx() as conn:
            return int(
                conn.execute(sa.select(m.StoreStamp.version).where(m.StoreStamp.id == PAGES)).scalar_one()
            )
