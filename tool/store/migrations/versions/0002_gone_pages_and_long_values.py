"""gone pages and long values

Deleted pages (issue #7, item 7): ``gone_at`` on events and cohorts. Values as long as wikis hold
them (item 10): titles up to 512 characters (255 bytes of title plus a namespace prefix), the names
of events and cohorts and an event's cohort field as long as a page allows, so no longer indexed
(cohort membership is matched in Python).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 12:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

import tool.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _binary(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length=length).with_variant(
        mysql.VARCHAR(charset="utf8mb4", collation="utf8mb4_bin", length=length), "mysql", "mariadb"
    )


OLD_NAME = _binary(255)
TITLE = _binary(512)
PAGE_TEXT = sa.Text().with_variant(
    mysql.MEDIUMTEXT(charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
)
# (table, column, nullable) of the titles that grow from 255 to 512 characters.
TITLES = [
    ("event", "title", False),
    ("cohort", "title", False),
    ("contribution", "title", False),
    ("snapshot", "target", False),
    ("job", "target", False),
]


def upgrade() -> None:
    for table, column, nullable in TITLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=OLD_NAME, type_=TITLE, existing_nullable=nullable)
    with op.batch_alter_table("event", schema=None) as batch_op:
        # Before the type change: MariaDB cannot index a MEDIUMTEXT column without a prefix length.
        batch_op.drop_index(batch_op.f("ix_event_cohort"))
        batch_op.alter_column("cohort", existing_type=OLD_NAME, type_=PAGE_TEXT, existing_nullable=True)
        batch_op.alter_column(
            "name", existing_type=sa.String(length=512), type_=PAGE_TEXT, existing_nullable=False
        )
        batch_op.add_column(sa.Column("gone_at", tool.store.types.UTCDateTime(), nullable=True))
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=OLD_NAME, type_=PAGE_TEXT, existing_nullable=False)
        batch_op.add_column(sa.Column("gone_at", tool.store.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    # Values longer than the old columns would be cut or refused: a downgrade is for an empty or
    # freshly upgraded store only.
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_column("gone_at")
        batch_op.alter_column("name", existing_type=PAGE_TEXT, type_=OLD_NAME, existing_nullable=False)
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("gone_at")
        batch_op.alter_column(
            "name", existing_type=PAGE_TEXT, type_=sa.String(length=512), existing_nullable=False
        )
        batch_op.alter_column("cohort", existing_type=PAGE_TEXT, type_=OLD_NAME, existing_nullable=True)
        batch_op.create_index(batch_op.f("ix_event_cohort"), ["cohort"], unique=False)
    for table, column, nullable in TITLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=TITLE, type_=OLD_NAME, existing_nullable=nullable)
