"""event facts

Issue #8, item 5: each event's counts are kept (fact_event, fact_member, fact_revision,
fact_page, fact_shared), so the outcomes of a cohort or a context group add up stored counts
instead of reading every revision of every event again; store_stamp says when they are stale.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

import tool.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

USER = sa.String(length=255).with_variant(
    mysql.VARCHAR(charset="utf8mb4", collation="utf8mb4_bin", length=255), "mysql", "mariadb"
)


def _event_id() -> sa.Column[int]:
    return sa.Column("event_id", sa.Integer(), sa.ForeignKey("event.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    stamp = op.create_table(
        "store_stamp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(stamp, [{"id": 1, "version": 0}])
    op.create_table(
        "fact_event",
        _event_id(),
        sa.Column("as_of", tool.store.types.UTCDateTime(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("spec_key", sa.String(length=64), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        *(
            sa.Column(name, sa.BigInteger(), nullable=False)
            for name in (
                "edits",
                "bytes_added",
                "bytes_removed",
                "sizes_unknown",
                "pages_edited",
                "pages_created",
                "uploads",
            )
        ),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "fact_member",
        _event_id(),
        sa.Column("user", USER, nullable=False),
        sa.Column("registration", tool.store.types.UTCDateTime(), nullable=True),
        sa.Column("new", sa.Boolean(), nullable=False),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.Column("until", tool.store.types.UTCDateTime(), nullable=True),
        sa.Column("uploads_until", tool.store.types.UTCDateTime(), nullable=True),
        sa.Column("edits_before", sa.Integer(), nullable=False),
        sa.Column("edits_after", sa.Integer(), nullable=False),
        sa.Column("active", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "user"),
    )
    op.create_table(
        "fact_revision",
        _event_id(),
        sa.Column("wiki", sa.String(length=64), nullable=False),
        sa.Column("rev_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("article", sa.Boolean(), nullable=False),
        sa.Column("sizediff", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", "wiki", "rev_id"),
    )
    op.create_index("fact_revision_key", "fact_revision", ["wiki", "rev_id"], unique=False)
    op.create_table(
        "fact_page",
        _event_id(),
        sa.Column("wiki", sa.String(length=64), nullable=False),
        sa.Column("page_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.Column("created", sa.Boolean(), nullable=False),
        sa.Column("upload", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "wiki", "page_id"),
    )
    op.create_index("fact_page_key", "fact_page", ["wiki", "page_id"], unique=False)
    op.create_table(
        "fact_shared",
        _event_id(),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("wiki", sa.String(length=64), nullable=False),
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("event_id", "kind", "wiki", "key"),
    )


def downgrade() -> None:
    op.drop_table("fact_shared")
    op.drop_index("fact_page_key", table_name="fact_page")
    op.drop_table("fact_page")
    op.drop_index("fact_revision_key", table_name="fact_revision")
    op.drop_table("fact_revision")
    op.drop_table("fact_member")
    op.drop_table("fact_event")
    op.drop_table("store_stamp")
