"""job progress

Issue #10, item 4: the web's refresh runs as a job whose page shows how far it got. A job keeps the
batches done and their total (the sync's steps: one per wiki read), how many times it was started
(a job whose worker died is run again), and is found by what it works on: the newest job of an
event is the one its page shows.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("done", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("total", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index("job_target", ["kind", "target"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("job_target")
        batch_op.drop_column("attempts")
        batch_op.drop_column("total")
        batch_op.drop_column("done")
