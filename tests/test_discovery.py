"""Discovery on the farm: only changed pages are parsed again, moved pages keep their history,
and a CampaignEvents registration is merged with the page's own list."""

from __future__ import annotations

import copy
import uuid
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import bot_site, farm_runtime
from tool.pipeline import discover, resolve
from tool.store import ParticipantRecord
from tool.wiki.campaignevents import RegisteredParticipant, Registration, RegistrationParticipants
from tool.wiki.eventpage import ParsedEvent
from tool.wiki.participants import Entry

pytestmark = pytest.mark.farm


def test_rediscovery_parses_only_changed_and_follows_moves(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Any
) -> None:
    rt = farm_runtime(farm, tmp_path)
    site = bot_site(farm, farm_credentials)
    suffix = uuid.uuid4().hex[:8]
    title, moved = f"Event outcomes/Test/Moving {suffix}", f"Event outcomes/Test/Moved {suffix}"
    text = (
        "{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=enwiki}}\n"
        "== Participants ==\n# [[User:OutcomesBot]]\n"
    )
    site.pages[title].edit(text, summary="discovery test", bot=True)
    try:
        first = discover.discover(rt, rt.store)
        assert {e.title: e.status for e in first.entries}[title] == "parsed"
        again = discover.discover(rt, rt.store)
        assert {e.status for e in again.entries} == {"unchanged"}

        site.pages[title].move(moved, reason="discovery test", no_redirect=False)
        after_move = discover.discover(rt, rt.store)
        statuses = {e.title: e.status for e in after_move.entries}
        # A move adds a revision (MediaWiki's null edit): renamed, then parsed again.
        assert statuses[moved] == "moved"
        assert title not in statuses
        assert rt.store.get_event(title) is None
        assert [p.user for p in rt.store.participants(moved)] == ["OutcomesBot"]

        site.pages[moved].edit(text + "# [[User:Missing person " + suffix + "]]\n", summary="add", bot=True)
        edited = discover.discover(rt, rt.store)
        assert {e.title: e.status for e in edited.entries}[moved] == "parsed"
        record = rt.store.get_event(moved)
        assert record is not None
        assert [p["code"] for p in record.problems] == ["problem-account-missing"]
        states = {p.user: (p.exists, p.state) for p in rt.store.participants(moved)}
        assert states[f"Missing person {suffix}"] == (False, "missing")
    finally:
        # Leave the farm as the other tests expect it: no extra event page.
        for page in (title, moved):
            if site.pages[page].exists:
                site.pages[page].edit("Retired by the discovery test.", summary="cleanup", bot=True)


def test_resolving_an_event_leaves_its_parse_as_read(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Any
) -> None:
    # What discovery learns from the wiki (participants page, registration, accounts) is a record of
    # its own: the parser's result stays as it was read (STYLE.md: pure results stay pure).
    rt = farm_runtime(farm, tmp_path)
    site = bot_site(farm, farm_credentials)
    suffix = uuid.uuid4().hex[:8]
    listing = f"Event outcomes/Test/Sign-up {suffix}"
    site.pages[listing].edit(
        f"# [[User:OutcomesBot]]\n# [[User:Newcomer {suffix}]]\n# [[User:10.0.0.1]]\n",
        summary="resolve test",
        bot=True,
    )
    text = (
        "{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=enwiki|registration=12"
        f"|participants={listing}}}}}\n== Participants ==\n# [[User:OutcomesBot]]\n"
    )
    event = discover.parse_text(rt, text, f"Event outcomes/Test/Resolved {suffix}")
    assert isinstance(event, ParsedEvent)
    before = copy.deepcopy(event)
    try:
        resolved = resolve.resolve_event(
            rt, rt.store, discover.home_site(rt), event, discover.templates_of(rt)
        )
    finally:
        site.pages[listing].edit("Retired by the resolve test.", summary="cleanup", bot=True)
    assert event == before
    assert [p.user for p in event.participants] == ["OutcomesBot"]
    assert resolved.parsed is event
    assert [p.user for p in resolved.people.participants] == ["OutcomesBot", f"Newcomer {suffix}"]
    # The farm has no CampaignEvents: the registration cannot be read, and that is a problem too.
    assert [p.code for p in resolved.problems] == [
        "problem-duplicate-participant",
        "problem-username-ip",
        "problem-registration-unavailable",
        "problem-account-missing",
    ]
    assert {a.name for a in resolved.accounts.accounts.values() if a.state == "ok"} == {"OutcomesBot"}
    with pytest.raises(FrozenInstanceError):
        event.problems = []  # type: ignore[misc]


def test_registration_participants_are_merged_once() -> None:
    listed = [Entry("Ana", 3), Entry("Bea", 4)]
    registration = RegistrationParticipants(
        Registration(
            7,
            "X",
            "Event:X",
            "metawiki",
            "open",
            "UTC",
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2026, 1, 2, tzinfo=UTC),
            (),
            ("*",),
            False,
        ),
        (
            RegisteredParticipant(1, 101, "Bea", datetime(2025, 12, 1, tzinfo=UTC)),
            RegisteredParticipant(2, 102, "Cid", datetime(2025, 12, 2, tzinfo=UTC)),
        ),
        not_visible=1,
    )
    records = resolve.participant_records(listed, registration, {})
    assert records == [
        ParticipantRecord("Ana", 3, "page", exists=True, state="unchecked"),
        ParticipantRecord("Bea", 4, "page", exists=True, state="unchecked"),
        ParticipantRecord("Cid", None, "registration", global_user_id=102),
    ]


def test_a_broken_page_has_problems_and_the_other_events_go_on(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Any
) -> None:
    rt = farm_runtime(farm, tmp_path)
    site = bot_site(farm, farm_credentials)
    title = f"Event outcomes/Test/Broken {uuid.uuid4().hex[:8]}"
    # (An unclosed {{Event outcomes is not a transclusion for MediaWiki, so it is never discovered;
    # the parser's own tests cover it.)
    broken = (
        "{{Event outcomes\n|start=next spring\n|end=2026-13-45\n|wikis=nowiki.example\n"
        "|goal_participants=many\n}}\n"
    )
    site.pages[title].edit(
        broken + "== Participants ==\n# [[User:OutcomesBot]]\n# {{u|", summary="test", bot=True
    )
    try:
        report = discover.discover(rt, rt.store)
        found = {e.title: (e.status, e.problems) for e in report.entries}
        assert found[title][0] == "parsed"
        record = rt.store.get_event(title)
        assert record is not None
        assert [(p["field"], p["line"], p["code"]) for p in record.problems] == [
            ("goal_participants", 5, "problem-bad-goal"),
            ("start", 2, "problem-bad-date"),
            ("end", 3, "problem-bad-date"),
            ("wikis", 4, "problem-unknown-wiki"),
        ]
        assert found[title][1] == len(record.problems)
        # Every other event was read as usual.
        others = [t for t, (status, _) in found.items() if t != title and status == "parsed"]
        assert len(others) == 5  # the four events and the cohort of the test profile
    finally:
        site.pages[title].edit("Retired by the discovery test.", summary="cleanup", bot=True)
