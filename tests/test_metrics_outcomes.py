"""Goals, the JSON form of outcomes, and the errors bad input gets."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.metrics_history import DAY, END, SECOND, START, WIKIS, covered, edit, event, outcomes, people
from tool.metrics import FIGURE_KEYS, Contribution, EventSpec, Outcomes, Person


def test_goals_met_not_met_and_pending() -> None:
    spec = event(
        goals={
            "participants": 3,  # 3 participants → met (reaching the target is enough)
            "articles_created": 2,  # 1 article → not met
            "retained_180d": 1,  # its window is still open at end + 100 d → pending
            "edits_per_week_before": 0.5,  # the mean: (8 + 0 + 0) / 8 / 3 = 1/3 → not met
        }
    )
    history = [edit("Ana", START + DAY, page=1, new=True), *[edit("Ana", START - DAY) for _ in range(8)]]
    result = outcomes(history, people("Ana", "Bea", "Cid"), spec=spec, now=END + 100 * DAY)
    statuses = {key: (goal.value, goal.status) for key, goal in result.goals.items()}
    assert statuses == {
        "participants": (3, "met"),
        "articles_created": (1, "not_met"),
        "retained_180d": (None, "pending"),
        "edits_per_week_before": (pytest.approx(1 / 3), "not_met"),
    }


def test_a_goal_on_a_partial_figure_is_pending_even_if_it_looks_met() -> None:
    spec = event(goals={"edits_during": 1})
    coverage = covered([spec], ["Ana"], START + DAY)  # the data stops in the middle of W
    result = outcomes([edit("Ana", START + SECOND)], people("Ana"), spec=spec, coverage=coverage)
    assert result.figures["edits_during"].status == "partial"
    assert (result.goals["edits_during"].value, result.goals["edits_during"].status) == (1, "pending")


def test_json_has_every_figure_in_a_stable_order_with_iso_utc_times() -> None:
    spec = event(goals={"participants": 2})
    result = outcomes([edit("Ana", START + DAY, size=7)], people("Ana"), spec=spec, now=END + 10 * DAY)
    data = json.loads(result.to_json())
    assert list(data) == ["version", "computed_at", "data_until", "partial", "figures", "goals", "left_out"]
    assert data["version"] == 1
    assert data["computed_at"] == "2026-03-25T23:59:59+00:00"
    assert data["data_until"] == "2026-03-25T23:59:59+00:00"
    assert list(data["figures"]) == list(FIGURE_KEYS)
    assert data["figures"]["bytes_added"] == {"value": 7, "status": "ok", "denominator": None}
    assert data["figures"]["retained_7d"] == {"value": 0, "status": "ok", "denominator": 1}
    assert data["goals"] == {"participants": {"target": 2, "value": 1, "status": "not_met"}}
    assert data["partial"] is False


def test_json_reads_back_to_the_same_outcomes() -> None:
    spec = event(goals={"retained_30d": 1})
    result = outcomes([edit("Ana", END + 31 * DAY)], people("Ana", "Bea"), spec=spec)
    assert Outcomes.from_json(result.to_json()) == result


def test_a_pending_figure_cannot_carry_a_value() -> None:
    from tool.metrics import Figure

    with pytest.raises(ValueError, match="a pending figure has no value yet, got 0"):
        Figure(0, "pending")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end": START - SECOND}, "event 'Training': end 2026-03-13T23:59:59\\+00:00 is before start"),
        ({"goals": {"retention": 3}}, "event 'Training': unknown goal 'retention'; known: participants, "),
        ({"goals": {"participants": -1}}, "goal 'participants' must not be negative, got -1"),
        ({"goals": {"participants": float("nan")}}, "goal 'participants' must be a finite number, got nan"),
        ({"wikis": frozenset()}, "event 'Training': no tracked wikis"),
        ({"start": datetime(2026, 3, 14)}, "event 'Training' start must be a timezone-aware UTC time"),
    ],
)
def test_a_bad_event_spec_says_what_is_wrong(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        event(**fields)  # type: ignore[arg-type]


def test_a_naive_contribution_time_names_the_revision() -> None:
    with pytest.raises(ValueError, match="contribution swwiki r42 timestamp must be a timezone-aware"):
        Contribution("swwiki", 42, "Ana", 1, 0, "Page", datetime(2026, 3, 14), 10, False)


def test_a_naive_registration_names_the_person() -> None:
    with pytest.raises(ValueError, match="registration of 'Ana' must be a timezone-aware"):
        Person("Ana", datetime(2026, 3, 14))


def test_event_spec_defaults_to_namespace_0_and_no_goals() -> None:
    spec = EventSpec("E", START, END, WIKIS)
    assert spec.namespaces == frozenset({0})
    assert dict(spec.goals) == {}
    assert spec.end == datetime(2026, 3, 15, 23, 59, 59, tzinfo=UTC)
