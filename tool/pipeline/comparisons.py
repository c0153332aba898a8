"""Comparison snapshots: the nightly run keeps one per context field, so no request ever counts one.

Each is stored like an event's snapshot (kind ``comparison``, target the field): per group its
outcomes with their statuses, and the events left out of every group with why. ``read_comparison``
gives a stored one back to its readers (the web's downloads).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tool.metrics.groups import UNKNOWN_GROUP, group_by
from tool.metrics.keys import CONTEXT_KEYS, DEFINITIONS_VERSION
from tool.metrics.outcomes import LeftOut, Outcomes
from tool.pipeline import evaluate
from tool.store import Store

KIND = "comparison"


def keep_comparisons(store: Store, now: datetime) -> list[str]:
    """Store a comparison snapshot for every context field; the fields stored, in order."""
    specs = []
    for record in store.list_events():
        try:
            specs.append(evaluate.spec_of(record))
        except evaluate.NotEvaluable:
            continue  # compare() says why, in "skipped"
    for by in CONTEXT_KEYS:
        groups, skipped = evaluate.compare(store, by, now)
        # How many events each group counts, so a reader can weigh a group of one against one of fifty.
        sizes = {name: len(members) for name, members in group_by(specs, by).items()}
        document: dict[str, Any] = {
            "by": by,
            # The unknown group (events that leave the field empty) is null, never an empty name.
            "groups": [
                {
                    "value": None if name == UNKNOWN_GROUP else name,
                    "events": sizes.get(name, 0) - len(outcomes.left_out),
                    "outcomes": outcomes.to_dict(),
                }
                for name, outcomes in groups.items()
            ],
            "skipped": [reason.to_json() for reason in skipped],
        }
        times = [o.data_until for o in groups.values() if o.data_until is not None]
        store.save_snapshot(
            KIND,
            by,
            json.dumps(document, ensure_ascii=False),
            definitions_version=DEFINITIONS_VERSION,
            # The comparison is as fresh as its stalest group.
            data_time=min(times, default=now),
            partial=bool(skipped) or any(o.partial for o in groups.values()),
        )
    return list(CONTEXT_KEYS)


@dataclass(frozen=True)
class StoredComparison:
    """A comparison as keep_comparisons stored it: groups in its order, the unknown group ("") last."""

    by: str
    groups: dict[str, Outcomes]
    events: dict[str, int]  # how many events each group counts
    skipped: tuple[LeftOut, ...]


def read_comparison(figures: str) -> StoredComparison:
    """The comparison in a snapshot's ``figures`` (what keep_comparisons wrote)."""
    document = json.loads(figures)
    groups: dict[str, Outcomes] = {}
    events: dict[str, int] = {}
    for group in document["groups"]:
        name = UNKNOWN_GROUP if group["value"] is None else str(group["value"])
        groups[name] = Outcomes.from_dict(group["outcomes"])
        events[name] = int(group["events"])
    skipped = tuple(LeftOut.from_json(reason) for reason in document["skipped"])
    return StoredComparison(str(document["by"]), groups, events, skipped)
