"""Cohorts and context groups count distinct people and pages, never sums of event totals.

Counted as the tool counts them: the history stored, each event's facts counted in SQL (tool.store.facts),
on SQLite and on MariaDB. The same expectations hold by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from tests.facts_fixtures import counted_group
from tests.metrics_history import DAY, END, LATE, SECOND, START, covered, edit, event, people
from tool.metrics import UNKNOWN_GROUP, Contribution, EventSpec, Outcomes, Person, group_by
from tool.store import Store

# A second training 100 days after the first, of the same length.
LATER = timedelta(days=100)


Group = Callable[..., Outcomes]


@pytest.fixture
def group(store: Store) -> Group:
    """The group's outcomes from ``history`` stored in ``store``, with complete data up to ``now``."""

    def outcomes(
        events: list[tuple[EventSpec, list[Person]]],
        history: list[Contribution],
        now: datetime = LATE + LATER,
    ) -> Outcomes:
        names = {p.user for _, listed in events for p in listed}
        coverage = covered([spec for spec, _ in events], names, now)
        return counted_group(store, events, history, coverage, now)

    return outcomes


def test_a_person_in_two_events_is_one_participant(group: Group) -> None:
    first, second = event("First"), event("Second", START + LATER, END + LATER)
    result = group([(first, people("Ana", "Bea")), (second, people("Ana", "Cid"))], [])
    # 2 + 2 listed, but Ana is one person: 3, not 4.
    assert result.figures["participants"].value == 3
    assert result.figures["retained_30d"].denominator == 3


def test_a_page_and_a_revision_in_two_overlapping_events_count_once(group: Group) -> None:
    # Two sessions of one edit-a-thon share their second day.
    first = event("Day 1-2", START, END)
    second = event("Day 2-3", START + DAY, END + DAY)
    history = [
        edit("Ana", START + DAY + SECOND, page=1, new=True, size=300),  # inside both windows
        edit("Ana", START + SECOND, page=2, size=-40),  # inside the first only
    ]
    result = group([(first, people("Ana")), (second, people("Ana"))], history)
    assert result.figures["articles_created"].value == 1  # page 1, not twice
    assert result.figures["articles_improved"].value == 1  # page 2
    assert result.figures["edits_during"].value == 2
    assert (result.figures["bytes_added"].value, result.figures["bytes_removed"].value) == (300, 40)


def test_a_page_created_in_one_event_and_improved_in_another_is_created(group: Group) -> None:
    first, second = event("First"), event("Second", START + LATER, END + LATER)
    history = [edit("Ana", START + DAY, page=1, new=True), edit("Bea", START + LATER + DAY, page=1)]
    result = group([(first, people("Ana")), (second, people("Bea"))], history)
    assert (result.figures["articles_created"].value, result.figures["articles_improved"].value) == (1, 0)


def test_a_person_is_retained_when_retained_after_any_of_their_events(group: Group) -> None:
    first, second = event("First"), event("Second", START + LATER, END + LATER)
    history = [
        edit("Ana", END + 40 * DAY),  # retained_30d after First (Ana is in both events)
        edit("Bea", END + LATER + 40 * DAY),  # retained_30d after Second, her only event
        edit("Cid", END + LATER + 40 * DAY),  # Cid was only in First: 140 d after it → no
    ]
    result = group([(first, people("Ana", "Cid")), (second, people("Ana", "Bea"))], history)
    assert (result.figures["retained_30d"].value, result.figures["retained_30d"].denominator) == (2, 3)


def test_edits_on_a_wiki_count_only_for_events_that_track_it(group: Group) -> None:
    commons_only = event("Photo walk", wikis=frozenset({"commonswiki"}))
    swwiki_later = event("Writing", START + LATER, END + LATER, wikis=frozenset({"swwiki"}))
    history = [
        edit("Ana", START + DAY, wiki="swwiki"),  # in the photo walk's W, but it does not track swwiki
        edit("Ana", START + DAY, wiki="commonswiki", ns=6, page=9, new=True),  # an upload in W
    ]
    result = group([(commons_only, people("Ana")), (swwiki_later, people("Ana"))], history)
    assert (result.figures["edits_during"].value, result.figures["uploads"].value) == (1, 1)


def test_new_editor_in_a_group_is_new_for_any_of_their_events(group: Group) -> None:
    first, second = event("First"), event("Second", START + LATER, END + LATER)
    # Registered at start + 90 d: long after First, but in Second's [start + 86 d, end + 100 d].
    ana = [Person("Ana", START + 90 * DAY)]
    # Bea registered at start + 60 d: new for neither.
    bea = [Person("Bea", START + 60 * DAY)]
    result = group([(first, ana + bea), (second, ana + bea)], [])
    assert result.figures["new_editors"].value == 1


def test_rates_use_the_weeks_before_the_first_and_after_the_last_event(group: Group) -> None:
    first, second = event("First"), event("Second", START + LATER, END + LATER)
    history = [
        edit("Ana", START - DAY),  # 8 weeks before First: counted before
        edit("Ana", START + LATER - DAY),  # before Second, but Second is not her first event
        edit("Ana", END + DAY),  # after First, but First is not her last event
        edit("Ana", END + LATER + DAY),  # after Second: counted after
        edit("Ana", END + LATER + 2 * DAY),
    ]
    result = group([(first, people("Ana")), (second, people("Ana"))], history)
    assert result.figures["edits_per_week_before_mean"].value == 1 / 8
    assert result.figures["edits_per_week_after_mean"].value == 2 / 8


def test_group_figure_is_partial_while_some_events_windows_are_open_and_pending_while_all(
    group: Group,
) -> None:
    first, second = event("First"), event("Second", START + LATER, END + LATER)
    history = [edit("Ana", END + 40 * DAY)]
    # At end + 150 d, First's retained_30d window closed; Second's (end + 130 d … + 160 d) is open.
    mixed = group([(first, people("Ana")), (second, people("Bea"))], history, now=END + 150 * DAY)
    assert (mixed.figures["retained_30d"].value, mixed.figures["retained_30d"].status) == (1, "partial")
    # At end + 40 d neither window has closed.
    both_open = group([(first, people("Ana")), (second, people("Bea"))], history, now=END + 40 * DAY)
    assert (both_open.figures["retained_30d"].value, both_open.figures["retained_30d"].status) == (
        None,
        "pending",
    )


def test_group_has_no_goals(group: Group) -> None:
    result = group([(event(goals={"participants": 1}), people("Ana"))], [])
    assert result.goals == {}


def test_group_by_context_with_an_unknown_group_last() -> None:
    nairobi = event("Nairobi", context={"region": "Sub-Saharan Africa", "format": "workshop"})
    accra = event("Accra", context={"region": " Sub-Saharan Africa "})  # spaces trimmed
    lima = event("Lima", context={"region": "Latin America"})
    unsaid = event("Somewhere")  # no region
    empty = event("Blank", context={"region": ""})
    groups = group_by([nairobi, unsaid, accra, lima, empty], "region")
    assert {name: [spec.key for spec in specs] for name, specs in groups.items()} == {
        "Latin America": ["Lima"],
        "Sub-Saharan Africa": ["Nairobi", "Accra"],
        UNKNOWN_GROUP: ["Somewhere", "Blank"],
    }
    assert list(groups)[-1] == UNKNOWN_GROUP
    assert list(group_by([nairobi, lima], "format")) == ["workshop", UNKNOWN_GROUP]


def test_group_by_an_unknown_field_says_which_fields_exist() -> None:
    with pytest.raises(
        ValueError, match=r"cannot group events by 'colour'; known context fields: region, country"
    ):
        group_by([event()], "colour")
