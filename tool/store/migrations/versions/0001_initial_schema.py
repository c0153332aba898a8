"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 04:33:21.095824
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

import tool.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Titles and user names: binary collation on MariaDB, where the default would make "Ana" and "ANA"
# the same user (tool/store/models.py says why).
NAME = sa.String(length=255).with_variant(
    mysql.VARCHAR(charset="utf8mb4", collation="utf8mb4_bin", length=255), "mysql", "mariadb"
)


def upgrade() -> None:

    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wiki", sa.String(length=64), nullable=False),
        sa.Column(
            "user",
            NAME,
            nullable=False,
        ),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("registration", tool.store.types.UTCDateTime(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wiki", "user", name="account_wiki_user"),
    )
    op.create_table(
        "cohort",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "title",
            NAME,
            nullable=False,
        ),
        sa.Column("page_id", sa.BigInteger(), nullable=False),
        sa.Column("rev_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "name",
            NAME,
            nullable=False,
        ),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("match", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("parsed_at", tool.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title"),
    )
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_page_id"), ["page_id"], unique=False)

    op.create_table(
        "contribution",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("wiki", sa.String(length=64), nullable=False),
        sa.Column("rev_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "user",
            NAME,
            nullable=False,
        ),
        sa.Column("page_id", sa.BigInteger(), nullable=False),
        sa.Column("namespace", sa.Integer(), nullable=False),
        sa.Column(
            "title",
            NAME,
            nullable=False,
        ),
        sa.Column("timestamp", tool.store.types.UTCDateTime(), nullable=False),
        sa.Column("sizediff", sa.Integer(), nullable=True),
        sa.Column("new", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("wiki", "rev_id", name="contribution_wiki_rev"),
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index("contribution_wiki_user_time", ["wiki", "user", "timestamp"], unique=False)
        batch_op.create_index(
            "contribution_wiki_time_cover",
            ["wiki", "timestamp", "user", "namespace", "page_id", "sizediff", "new", "rev_id"],
            unique=False,
        )

    op.create_table(
        "coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wiki", sa.String(length=64), nullable=False),
        sa.Column(
            "user",
            NAME,
            nullable=False,
        ),
        sa.Column("start", tool.store.types.UTCDateTime(), nullable=False),
        sa.Column("end", tool.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.create_index("coverage_wiki_user", ["wiki", "user"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "title",
            NAME,
            nullable=False,
        ),
        sa.Column("page_id", sa.BigInteger(), nullable=False),
        sa.Column("rev_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=512), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("start", tool.store.types.UTCDateTime(), nullable=True),
        sa.Column("end", tool.store.types.UTCDateTime(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("wikis", sa.JSON(), nullable=False),
        sa.Column("namespaces", sa.JSON(), nullable=False),
        sa.Column(
            "cohort",
            NAME,
            nullable=True,
        ),
        sa.Column("registration", sa.BigInteger(), nullable=True),
        sa.Column("parsed_at", tool.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("title"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_cohort"), ["cohort"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_page_id"), ["page_id"], unique=False)

    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column(
            "target",
            NAME,
            nullable=False,
        ),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created", tool.store.types.UTCDateTime(), nullable=False),
        sa.Column("started", tool.store.types.UTCDateTime(), nullable=True),
        sa.Column("finished", tool.store.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column(
            "target",
            NAME,
            nullable=False,
        ),
        sa.Column("computed_at", tool.store.types.UTCDateTime(), nullable=False),
        sa.Column("data_time", tool.store.types.UTCDateTime(), nullable=False),
        sa.Column("definitions_version", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.create_index("snapshot_target", ["kind", "target", "computed_at"], unique=False)

    op.create_table(
        "wiki",
        sa.Column("dbname", sa.String(length=64), nullable=False),
        sa.Column("api", sa.String(length=512), nullable=False),
        sa.PrimaryKeyConstraint("dbname"),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "user",
            NAME,
            nullable=False,
        ),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("exists", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("global_user_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participant_event_id"), ["event_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_event_id"))

    op.drop_table("participant")
    op.drop_table("wiki")
    with op.batch_alter_table("snapshot", schema=None) as batch_op:
        batch_op.drop_index("snapshot_target")

    op.drop_table("snapshot")
    op.drop_table("job")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_page_id"))
        batch_op.drop_index(batch_op.f("ix_event_cohort"))

    op.drop_table("event")
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.drop_index("coverage_wiki_user")

    op.drop_table("coverage")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index("contribution_wiki_time_cover")
        batch_op.drop_index("contribution_wiki_user_time")

    op.drop_table("contribution")
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_page_id"))

    op.drop_table("cohort")
    op.drop_table("account")
