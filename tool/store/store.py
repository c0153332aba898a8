"""The store: one object over the concept modules, so callers hold one thing and call it by name.

Each concept's code lives in its own module (events and cohorts, people, contributions and
coverage, snapshots, jobs), all over one Database (tool.store.engine).
"""

from __future__ import annotations

from tool.store.charts import Charts
from tool.store.contributions import Contributions
from tool.store.events import Events
from tool.store.facts import Facts
from tool.store.jobs import Jobs
from tool.store.people import People
from tool.store.snapshots import Snapshots
from tool.store.versions import Versions


class Store(Events, People, Contributions, Facts, Snapshots, Charts, Jobs, Versions):
    """Events and cohorts, people, contributions and coverage, event facts, snapshots and jobs in SQL."""
