"""Pending and partial: an open window is never a zero, and incomplete data never looks complete."""

from __future__ import annotations

import json

import pytest

from tests.metrics_history import DAY, END, SECOND, START, covered, edit, event, outcomes, people
from tool.metrics import Coverage, Person, compute_event
from tool.metrics.tally import Tally


def test_during_figures_are_pending_until_the_end_has_passed() -> None:
    history = [edit("Ana", START + DAY, new=True)]
    at_end = outcomes(history, people("Ana"), now=END)  # W still holds its last second
    for key in ("edits_during", "articles_created", "articles_improved", "bytes_added", "uploads"):
        assert (at_end.figures[key].value, at_end.figures[key].status) == (None, "pending"), key
    after = outcomes(history, people("Ana"), now=END + SECOND)
    assert (after.figures["edits_during"].value, after.figures["edits_during"].status) == (1, "ok")


def test_retained_7d_is_pending_until_end_plus_7_days() -> None:
    history = [edit("Ana", END + DAY)]
    early = outcomes(history, people("Ana"), now=END + 7 * DAY - SECOND)
    assert (early.figures["retained_7d"].value, early.figures["retained_7d"].status) == (None, "pending")
    assert early.figures["retained_7d_new"].status == "pending"
    # From end + 7 d on it counts, and keeps counting (Ana's edit is before that: not retained).
    on_time = outcomes(history, people("Ana"), now=END + 7 * DAY)
    assert (on_time.figures["retained_7d"].value, on_time.figures["retained_7d"].status) == (0, "ok")


def test_later_windows_stay_pending_while_earlier_ones_are_final() -> None:
    history = [edit("Ana", END + 35 * DAY)]
    result = outcomes(history, people("Ana"), now=END + 100 * DAY)
    # retained_30d = [end + 30 d, end + 60 d) closed; retained_90d = [end + 90 d, end + 120 d) open.
    assert (result.figures["retained_30d"].value, result.figures["retained_30d"].status) == (1, "ok")
    assert (result.figures["retained_90d"].value, result.figures["retained_90d"].status) == (None, "pending")
    assert result.figures["retained_180d"].status == "pending"
    # Month 4 = [end + 90 d, end + 120 d) is open; month 3 closed at end + 90 d.
    assert result.figures["active_month_3"].status == "ok"
    assert result.figures["active_month_4"].status == "pending"
    # The 8 weeks after closed at end + 56 d.
    assert result.figures["edits_per_week_after_mean"].status == "ok"
    assert result.partial is False


def test_rates_before_are_final_during_the_event_but_after_are_pending() -> None:
    result = outcomes([edit("Ana", START - DAY)], people("Ana"), now=START + DAY)
    assert (
        result.figures["edits_per_week_before_mean"].value,
        result.figures["edits_per_week_before_mean"].status,
    ) == (
        1 / 8,
        "ok",
    )
    assert result.figures["edits_per_week_after_median"].status == "pending"
    assert result.figures["participants"].status == "ok"


def test_pending_is_null_in_json_never_zero() -> None:
    data = json.loads(outcomes([], people("Ana"), now=START + DAY).to_json())
    assert data["figures"]["edits_during"] == {"value": None, "status": "pending", "denominator": None}
    assert data["figures"]["retained_30d"] == {"value": None, "status": "pending", "denominator": 1}


def test_coverage_stopping_before_a_window_ends_makes_it_partial() -> None:
    history = [edit("Ana", START + DAY), edit("Ana", END + 35 * DAY), edit("Bea", END + 8 * DAY)]
    listed = people("Ana", "Bea")
    # The store holds everything up to end + 40 d only; now is much later.
    coverage = covered([event()], ["Ana", "Bea"], END + 40 * DAY)
    result = outcomes(history, listed, now=END + 400 * DAY, coverage=coverage)
    assert result.figures["edits_during"].status == "ok"
    assert result.figures["retained_7d"].status == "ok"  # the open window's start is held
    # [end + 30 d, end + 60 d) is only held up to end + 40 d: Ana counts, flagged partial.
    assert (result.figures["retained_30d"].value, result.figures["retained_30d"].status) == (1, "partial")
    assert (result.figures["retained_90d"].value, result.figures["retained_90d"].status) == (0, "partial")
    assert result.figures["edits_per_week_after_mean"].status == "partial"  # needs end + 56 d
    assert result.partial is True
    assert result.data_until == END + 40 * DAY


def test_coverage_short_of_end_plus_7_days_makes_retained_7d_partial() -> None:
    coverage = covered([event()], ["Ana"], END + 5 * DAY)
    result = outcomes([], people("Ana"), now=END + 400 * DAY, coverage=coverage)
    assert (result.figures["retained_7d"].value, result.figures["retained_7d"].status) == (0, "partial")


def test_one_wiki_never_fetched_for_one_person_makes_windowed_figures_partial() -> None:
    spec = event()
    complete = covered([spec], ["Ana", "Bea"], END + 400 * DAY).spans
    coverage = Coverage({key: spans for key, spans in complete.items() if key != ("commonswiki", "Bea")})
    result = outcomes(
        [edit("Ana", START + DAY)], people("Ana", "Bea"), now=END + 400 * DAY, coverage=coverage
    )
    assert (result.figures["edits_during"].value, result.figures["edits_during"].status) == (1, "partial")
    assert result.figures["edits_per_week_before_mean"].status == "partial"
    assert result.figures["participants"].status == "ok"
    assert result.data_until is None  # no time up to which everything is held
    assert result.partial is True


def test_data_until_is_the_earliest_coverage_of_any_participant_on_any_wiki() -> None:
    spec = event()
    coverage = covered([spec], ["Ana", "Bea"], END + 400 * DAY).spans
    coverage = {**coverage, ("swwiki", "Bea"): [(START - 60 * DAY, END + 300 * DAY)]}
    result = compute_event(spec, people("Ana", "Bea"), Coverage(coverage), END + 400 * DAY, Tally())
    assert result.data_until == END + 300 * DAY
    assert result.computed_at == END + 400 * DAY
    assert result.partial is False  # every window closed by end + 210 d


def test_unknown_registration_makes_new_editors_partial() -> None:
    listed = [Person("Ana", START), Person("Bea", None)]
    result = outcomes([edit("Ana", END + 8 * DAY)], listed)
    assert (result.figures["new_editors"].value, result.figures["new_editors"].status) == (1, "partial")
    assert result.figures["retained_7d_new"].status == "partial"
    assert result.figures["retained_7d"].status == "ok"


def test_unknown_size_change_makes_bytes_partial() -> None:
    history = [edit("Ana", START + DAY, size=100), edit("Ana", START + DAY, size=None)]
    result = outcomes(history, people("Ana"))
    assert (result.figures["bytes_added"].value, result.figures["bytes_added"].status) == (100, "partial")
    assert result.figures["bytes_removed"].status == "partial"
    assert result.figures["edits_during"].status == "ok"


def test_an_event_with_nobody_has_zero_counts_and_no_averages() -> None:
    result = outcomes([edit("Zed", START + DAY)], [])
    assert result.figures["participants"].value == 0
    assert result.figures["edits_during"].value == 0
    assert (result.figures["retained_30d"].value, result.figures["retained_30d"].denominator) == (0, 0)
    mean = result.figures["edits_per_week_before_mean"]
    assert (mean.value, mean.status, mean.denominator) == (None, "ok", 0)
    assert result.data_until is None


def test_an_event_with_nobody_is_still_pending_before_its_windows_close() -> None:
    result = outcomes([], [], now=START + DAY)
    assert result.figures["edits_during"].status == "pending"
    assert result.figures["edits_per_week_after_mean"].status == "pending"


def test_naive_now_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="now must be a timezone-aware"):
        compute_event(event(), people("Ana"), Coverage(), END.replace(tzinfo=None), Tally())
