"""The store (DESIGN §6): SQLAlchemy on SQLite or MariaDB, schema by Alembic migrations."""

from tool.store.engine import SchemaBehind, StoreUnavailable
from tool.store.records import (
    AccountRecord,
    CohortRecord,
    EventListing,
    EventRecord,
    JobRecord,
    ParticipantRecord,
    SnapshotRecord,
)
from tool.store.store import Store

__all__ = [
    "AccountRecord",
    "CohortRecord",
    "EventListing",
    "EventRecord",
    "JobRecord",
    "ParticipantRecord",
    "SchemaBehind",
    "SnapshotRecord",
    "Store",
    "StoreUnavailable",
]
