"""Outcome definitions, version 1 (DESIGN §5): the counts of stored contributions in, outcomes out.

Pure functions, no I/O; the counts come from each event's facts, counted in SQL (tool.store.facts).
``compute_event`` gives one event's figures and goals; ``compute_group`` gives a cohort's or a
context group's, counting each person and page once; ``group_by`` sorts events by a context
field for the comparison.
"""

from tool.metrics.compute import compute_event, compute_group
from tool.metrics.groups import UNKNOWN_GROUP, group_by
from tool.metrics.inputs import Contribution, Coverage, EventSpec, Person
from tool.metrics.keys import CONTEXT_KEYS, DEFINITIONS_VERSION, FIGURE_KEYS, GOAL_KEYS, METRIC_KEYS
from tool.metrics.outcomes import Figure, GoalResult, Outcomes

__all__ = [
    "CONTEXT_KEYS",
    "DEFINITIONS_VERSION",
    "FIGURE_KEYS",
    "GOAL_KEYS",
    "METRIC_KEYS",
    "UNKNOWN_GROUP",
    "Contribution",
    "Coverage",
    "EventSpec",
    "Figure",
    "GoalResult",
    "Outcomes",
    "Person",
    "compute_event",
    "compute_group",
    "group_by",
]
