"""The store (DESIGN §6): SQLAlchemy on SQLite or MariaDB, schema by Alembic migrations."""

from tool.store.records import (
    AccountRecord,
    CohortRecord,
    EventRecord,
    JobRecord,
    ParticipantRecord,
    SnapshotRecord,
)
from tool.store.store import Store, StoreUnavailable

__all__ = [
    "AccountRecord",
    "CohortRecord",
    "EventRecord",
    "JobRecord",
    "ParticipantRecord",
    "SnapshotRecord",
    "Store",
    "StoreUnavailable",
]
