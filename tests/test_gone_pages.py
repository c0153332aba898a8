"""Deleted pages leave (issue #7, item 7): an event or cohort page deleted on the wiki, or no longer
using the template, disappears at the next discovery; its data goes after the grace period."""

from __future__ import annotations

import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from devwiki import mediawiki
from tests.conftest import bot_site, farm_runtime
from tests.store_fixtures import migrated
from tests.test_store import day
from tests.test_store import event as event_record
from tool.config import DEFAULTS
from tool.pipeline import discover, evaluate
from tool.runtime import Runtime
from tool.store import CohortRecord, Store

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _admin(farm: dict[str, Any], script: str, *args: str) -> None:
    """What a wiki admin does (the bot has no delete right): MediaWiki's own maintenance scripts."""
    mediawiki.maintenance(Path(farm["wikis"]["metawiki"]["settings"]), script, *args)


def _delete(farm: dict[str, Any], title: str) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write(title + "\n")
        listing.flush()
        _admin(farm, "deleteBatch.php", "--r", "vandalism", listing.name)


def _statuses(report: discover.DiscoveryReport) -> dict[tuple[str, str], str]:
    return {(e.kind, e.title): e.status for e in report.entries}


@pytest.mark.farm
def test_a_deleted_event_and_a_cohort_without_its_template_leave_and_come_back(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Path
) -> None:
    rt = farm_runtime(farm, tmp_path)
    site = bot_site(farm, farm_credentials)
    suffix = uuid.uuid4().hex[:8]
    event, cohort = f"Event outcomes/Test/Vandal {suffix}", f"Event outcomes/Cohorts/Vandal {suffix}"
    region = f"Vandalised region {suffix}"
    site.pages[event].edit(
        # One problem (the goal), so that the report shows the stored page when it comes back.
        f"{{{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=enwiki|region={region}"
        "|goal_participants=many}}\n"
        "== Participants ==\n# [[User:OutcomesBot]]\n",
        summary="vandalism",
        bot=True,
    )
    cohort_text = f"{{{{Event outcomes cohort|name=Vandal {suffix}|events={event}}}}}\n"
    site.pages[cohort].edit(cohort_text, summary="vandalism", bot=True)
    try:
        first = _statuses(discover.discover(rt, rt.store))
        assert first[("event", event)] == "parsed"
        assert first[("cohort", cohort)] == "parsed"

        _delete(farm, event)  # an admin removes the vandalism
        site.pages[cohort].edit("No longer a cohort.", summary="template removed", bot=True)
        after = _statuses(discover.discover(rt, rt.store))
        assert after[("event", event)] == "gone"
        assert after[("cohort", cohort)] == "gone"
        # Gone from every list: the home page's and sync --all's, comparisons, cohorts.
        assert event not in [e.title for e in rt.store.list_events()]
        assert rt.store.get_event(event) is None
        assert rt.store.get_cohort(cohort) is None
        groups, _ = evaluate.compare(rt.store, "region", NOW)
        assert region not in groups
        # Within the grace period the data is kept, in case the page comes back.
        assert [p.user for p in rt.store.participants(event)] == ["OutcomesBot"]
        # Reported once, not at every discovery.
        assert ("event", event) not in _statuses(discover.discover(rt, rt.store))

        _admin(farm, "undelete.php", "--reason", "restored", event)
        site.pages[cohort].edit(cohort_text, summary="template back", bot=True)
        report = discover.discover(rt, rt.store)
        back = _statuses(report)
        assert back[("cohort", cohort)] == "parsed"
        # Undeleted with its old revision: nothing to parse again, and it is listed as it was.
        [entry] = [e for e in report.entries if e.title == event]
        assert (entry.status, entry.problems) == ("unchanged", 1)
        assert rt.store.get_event(event) is not None
        assert rt.store.get_cohort(cohort) is not None
        assert region in evaluate.compare(rt.store, "region", NOW)[0]
    finally:
        for page in (event, cohort):
            if site.pages[page].exists:
                site.pages[page].edit("Retired by the gone-pages test.", summary="cleanup", bot=True)


@pytest.mark.farm
def test_the_data_of_a_gone_page_is_removed_after_the_grace_period(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Path
) -> None:
    config = {
        **DEFAULTS,
        "FARM": farm["status_file"],
        "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 's.sqlite'}"),
    }
    site = bot_site(farm, farm_credentials)
    event = f"Event outcomes/Test/Short-lived {uuid.uuid4().hex[:8]}"
    site.pages[event].edit(
        "{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=enwiki}}\n"
        "== Participants ==\n# [[User:OutcomesBot]]\n",
        summary="test",
        bot=True,
    )
    try:
        rt = Runtime(config)
        discover.discover(rt, rt.store)
        site.pages[event].edit("Not an event any more.", summary="test", bot=True)
        # A grace period of 0 days: removed at the discovery that finds it gone.
        rt = Runtime({**config, "GONE_GRACE_DAYS": 0})
        statuses = [e.status for e in discover.discover(rt, rt.store).entries if e.title == event]
        assert statuses == ["gone", "purged"]
        assert rt.store.get_event(event, include_gone=True) is None
        assert rt.store.participants(event) == []
    finally:
        site.pages[event].edit("Retired by the gone-pages test.", summary="cleanup", bot=True)


def test_a_cohort_leaves_out_its_gone_events_even_when_it_lists_them(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    store.upgrade()
    store.save_event(event_record("Event:Nairobi"))
    store.save_event(event_record("Event:Kisumu", page_id=11))
    store.save_event(event_record("Event:Spam", page_id=12))
    cohort = CohortRecord("Cohort:Indaba", 20, 200, "Wiki Indaba", ["Event:Spam"], True, [], day(20))
    store.save_cohort(cohort)
    store.mark_gone("event", ["Event:Nairobi", "Event:Kisumu"], day(30))
    assert discover.cohort_events(store, cohort) == ["Event:Kisumu", "Event:Nairobi"]
    store.dispose()


@pytest.mark.farm
def test_a_template_nobody_uses_hides_nothing(farm: dict[str, Any], tmp_path: Path) -> None:
    """A renamed template or a wrong EVENT_TEMPLATE must not hide (and later purge) every event."""
    config = {
        **DEFAULTS,
        "FARM": farm["status_file"],
        "DATABASE_URL": migrated(f"sqlite:///{tmp_path / 's.sqlite'}"),
    }
    rt = Runtime(config)
    discover.discover(rt, rt.store)
    stored = [e.title for e in rt.store.list_events()]
    assert len(stored) >= 3

    rt = Runtime({**config, "EVENT_TEMPLATE": "Event outcomes (renamed)", "GONE_GRACE_DAYS": 0})
    report = discover.discover(rt, rt.store)
    assert report.unused_templates == ["Event outcomes (renamed)"]
    assert not [e for e in report.entries if e.kind == "event" and e.status in ("gone", "purged")]
    assert [e.title for e in rt.store.list_events()] == stored
