"""event listed count

Issue #8, item 5: the events list counted each event's listed people from the participant rows
at every view (123,067 index entries for 1,000 events, about 25 ms of MariaDB's time);
``event.listed`` keeps the count, written when an event's participants are replaced, and filled
here for the events already stored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 15:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("listed", sa.Integer(), server_default="0", nullable=False))
    event = sa.table("event", sa.column("id"), sa.column("listed"))
    participant = sa.table("participant", sa.column("event_id"), sa.column("exists"))
    counted = (
        sa.select(sa.func.count())
        .where(participant.c.event_id == event.c.id, participant.c["exists"].is_(True))
        .scalar_subquery()
    )
    op.execute(sa.update(event).values(listed=counted))


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("listed")
