"""pages version

Issue #9, item 9: the web serves pages from a cache that must never outlive a change it would
show. ``store_stamp`` gets a second row (id 2), moved by every write a page shows
(tool.store.versions); the pages compare it with the version they were rendered at.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    stamp = sa.table("store_stamp", sa.column("id", sa.Integer()), sa.column("version", sa.BigInteger()))
    op.bulk_insert(stamp, [{"id": 2, "version": 0}])


def downgrade() -> None:
    op.execute("DELETE FROM store_stamp WHERE id = 2")
