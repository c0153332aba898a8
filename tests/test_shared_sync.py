"""Many events synced together (the nightly, ``sync --all``) against the real test farm: a person in
two events is asked for once per span, not once per event (issue #8, item 5)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devwiki.generator import PROFILES, generate
from tests.store_fixtures import migrated
from tool.config import DEFAULTS
from tool.pipeline.refresh import refresh_event, sync_events
from tool.pipeline.sync import sync_contributions
from tool.runtime import Runtime
from tool.store import EventRecord, ParticipantRecord, Store

FARM_EVENT = "Wikimedia Colombia/Editatón Mujeres en la Ciencia 2025"
EARLY = datetime(2025, 6, 7, tzinfo=UTC)
LATE = datetime(2025, 9, 1, tzinfo=UTC)


def _people() -> list[str]:
    event = next(e for e in generate(PROFILES["test"]).events if e.title == FARM_EVENT)
    return list(event.participants)


def _runtime(farm: dict[str, Any], tmp_path: Path, name: str) -> Runtime:
    farm_file = tmp_path / "farm.json"
    farm_file.write_text(json.dumps(farm))
    url = migrated(f"sqlite:///{tmp_path / name}.sqlite")
    return Runtime({**DEFAULTS, "FARM": str(farm_file), "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)})


def _event(store: Store, title: str, start: datetime, people: list[str]) -> None:
    store.save_event(
        EventRecord(
            title=title, page_id=abs(hash(title)) % 10**6, rev_id=1, name=title, fields={}, context={},
            goals={}, problems=[], start=start, end=start.replace(day=start.day + 2), timezone="UTC",
            wikis=["enwiki"], namespaces=[0], cohort=None, registration=None, parsed_at=start,
        )
    )  # fmt: skip
    store.replace_participants(title, [ParticipantRecord(user, n + 1) for n, user in enumerate(people)])


def test_a_person_in_two_events_is_asked_for_once_per_span(farm: dict[str, Any], tmp_path: Path) -> None:
    people = _people()
    early, late = people[:6], people[3:]  # three people are in both events
    now = datetime.now(UTC).replace(microsecond=0)
    rt = _runtime(farm, tmp_path, "shared")
    _event(rt.store, "Early", EARLY, early)
    _event(rt.store, "Late", LATE, late)
    # The later event first: on its own, the earlier one would then ask its shared people again.
    shared = sync_events(rt, rt.store, ["Late", "Early"], now)

    assert shared.report.problems == []
    # Per series (enwiki, Commons' files) one span for the early event's six people, from its start,
    # and one for the two only in the late event: each person once, and the farm's rows fit a page.
    assert shared.report.windows_fetched == 4
    assert shared.report.requests == 4
    # Each event's own refresh then asks nothing more about contributions.
    assert refresh_event(rt, rt.store, "Early", now, shared=shared).sync.requests == 0
    assert refresh_event(rt, rt.store, "Late", now, shared=shared).sync.requests == 0

    # One event after the other, as before: the shared people are asked for again.
    alone = _runtime(farm, tmp_path, "alone")
    _event(alone.store, "Early", EARLY, early)
    _event(alone.store, "Late", LATE, late)
    one_by_one = sum(
        sync_contributions(alone.store, alone.bot_client, ["enwiki"], users, start, now).requests
        for users, start in ((late, LATE), (early, EARLY))
    )
    assert one_by_one > shared.report.requests
    # And nothing is lost by asking once: the same revisions are stored.
    low = EARLY.replace(year=2025, month=4)
    found = rt.store.contribution_tuples(["enwiki", "commonswiki"], people, low, now)
    assert found
    assert sorted(found) == sorted(
        alone.store.contribution_tuples(["enwiki", "commonswiki"], people, low, now)
    )
