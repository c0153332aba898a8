"""Alembic environment: the Store passes its open connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from tool.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through tool.store.Store.upgrade() (python -m tool db upgrade)")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
