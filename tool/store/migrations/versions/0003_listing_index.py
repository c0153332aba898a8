"""listing index

The events list counts each event's listed people (issue #8, item 5: ≤ 50 ms for 1,000 events).
On the index of ``event_id`` alone every participant row had to be read to test ``exists``
(123,067 rows in the benchmark); on (``event_id``, ``exists``) the count is read from the index.
The new index serves every lookup by ``event_id`` the old one did (and the foreign key on
MariaDB), so the old one goes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Created before the old one is dropped: MariaDB's foreign key on event_id needs an index at
    # every moment.
    op.create_index("participant_event_exists", "participant", ["event_id", "exists"], unique=False)
    op.drop_index("ix_participant_event_id", table_name="participant")


def downgrade() -> None:
    op.create_index("ix_participant_event_id", "participant", ["event_id"], unique=False)
    op.drop_index("participant_event_exists", table_name="participant")
