"""drawn charts

Issue #9, item 9: drawing an event's two charts took more than half of its page's time (pygal,
8 ms each). ``chart`` keeps each snapshot's charts as drawn for a language, so every worker and
every later view reads them (tool.web.chartcache) and the nightly run draws them ahead.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 17:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chart",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column(
            "svg",
            sa.Text().with_variant(
                mysql.MEDIUMTEXT(charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["snapshot_id"], ["snapshot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("snapshot_id", "language", "kind"),
    )


def downgrade() -> None:
    op.drop_table("chart")
