"""The store: one object over the concept modules, so callers hold one thing and call it by name.

Each concept's code lives in its own module (events and cohorts, people, contributions and
coverage, snapshots, jobs), all over one Database (tool.store.engine).
"""

from __future__ import annotations

from tool.store.contributions import ContributionStore
from tool.store.events import EventStore
from tool.store.jobs import JobStore
from tool.store.people import PeopleStore
from tool.store.snapshots import SnapshotStore


class Store(EventStore, PeopleStore, ContributionStore, SnapshotStore, JobStore):
    """Events and cohorts, people, contributions and coverage, snapshots and jobs in SQL."""
