"""Charts as drawn: each snapshot's SVG charts for a language, written once and read by every view."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from tool.store import models as m
from tool.store.engine import Database

_c = m.Chart


class Charts(Database):
    def drawn_charts(self, snapshot_id: int, language: str) -> dict[str, str]:
        """The charts kept for this snapshot and language, by kind (none kept: {})."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(_c.kind, _c.svg).where(_c.snapshot_id == snapshot_id, _c.language == language)
            )
            return {str(kind): str(svg) for kind, svg in rows}

    def keep_charts(self, snapshot_id: int, language: str, charts: Mapping[str, str]) -> None:
        """Keep drawn charts; one another process kept first stays (the same drawing)."""
        rows = [
            {"snapshot_id": snapshot_id, "language": language, "kind": kind, "svg": svg}
            for kind, svg in charts.items()
        ]
        if rows:
            with self._tx() as conn:
                conn.execute(self._insert_ignore(_c.__table__), rows)  # type: ignore[arg-type]
