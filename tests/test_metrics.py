"""Each outcome definition of DESIGN §5 on a history small enough to check by hand.

The event: W = [START, END] = [2026-03-14 00:00:00, 2026-03-15 23:59:59] UTC, on swwiki and
commonswiki, articles in namespace 0 (tests/metrics_history.py). ``now`` is long after every
window unless a test says otherwise.
"""

from __future__ import annotations

import pytest

from tests.metrics_history import (
    DAY,
    END,
    OLD_ACCOUNT,
    SECOND,
    START,
    edit,
    event,
    outcomes,
    people,
    values,
)
from tool.metrics import DEFINITIONS_VERSION, FIGURE_KEYS, METRIC_KEYS, Person


def test_version_and_metric_keys_are_those_of_the_design() -> None:
    assert DEFINITIONS_VERSION == 1
    assert METRIC_KEYS == (
        "participants", "new_editors", "edits_during", "articles_created", "articles_improved",
        "bytes_added", "bytes_removed", "uploads", "retained_7d",
        "active_month_1", "active_month_2", "active_month_3", "active_month_4", "active_month_5",
        "active_month_6", "retained_30d", "retained_90d", "retained_180d",
        "edits_per_week_before", "edits_per_week_after",
    )  # fmt: skip
    assert "retained_7d_new" in FIGURE_KEYS
    assert "edits_per_week_after_median" in FIGURE_KEYS


def test_participants_are_distinct_existing_accounts() -> None:
    listed = [
        Person("Ana", OLD_ACCOUNT),
        Person("Ana", OLD_ACCOUNT),  # listed twice: one person
        Person("Bea", OLD_ACCOUNT),
        Person("Ghost", None, exists=False),  # no such account: not a participant
    ]
    result = outcomes([edit("Ghost", START)], listed)
    assert result.figures["participants"].value == 2
    assert result.figures["participants"].status == "ok"
    # Ghost's edit is not a participant's edit.
    assert result.figures["edits_during"].value == 0


def test_new_editors_registered_from_14_days_before_start_to_end() -> None:
    listed = [
        Person("AtLeadStart", START - 14 * DAY),  # exactly start − 14 d → new
        Person("JustBefore", START - 14 * DAY - SECOND),  # one second earlier → not new
        Person("AtEnd", END),  # exactly at the end → new
        Person("AfterEnd", END + SECOND),  # registered after the event → not new
        Person("Old", OLD_ACCOUNT),
    ]
    result = outcomes([], listed)
    assert result.figures["new_editors"].value == 2
    assert result.figures["new_editors"].status == "ok"


def test_edits_during_counts_any_namespace_inside_w_including_both_ends() -> None:
    history = [
        edit("Ana", START - SECOND),  # before W
        edit("Ana", START),  # exactly at start → in
        edit("Ana", START + DAY, ns=2),  # user page: still an edit
        edit("Ana", START + DAY, wiki="commonswiki", ns=6),  # the other tracked wiki
        edit("Ana", END),  # exactly at end → in
        edit("Ana", END + SECOND),  # one second after end → out
        edit("Ana", START + DAY, wiki="enwiki"),  # untracked wiki → ignored
        edit("Zed", START + DAY),  # not a participant → ignored
    ]
    result = outcomes(history, people("Ana"))
    assert result.figures["edits_during"].value == 4


def test_articles_created_and_improved() -> None:
    history = [
        edit("Ana", START + SECOND, page=1, new=True),  # creates 1
        edit("Ana", START + 2 * SECOND, page=1),  # edits her own new page: still only "created"
        edit("Bea", START + DAY, page=2),  # improves 2
        edit("Ana", START + DAY, page=2),  # improves 2 again: one page
        edit("Bea", START - DAY, page=3, new=True),  # created before W …
        edit("Bea", START + DAY, page=3),  # … improved in W
        edit("Bea", START + DAY, page=4, ns=1, new=True),  # talk page: not an article
        edit("Zed", START + DAY, page=5, new=True),  # not a participant
        edit("Ana", START + DAY, page=6, new=True, wiki="enwiki"),  # untracked wiki
        edit("Ana", END + SECOND, page=7, new=True),  # after W
    ]
    result = outcomes(history, people("Ana", "Bea"))
    # created: page 1; improved: pages 2 and 3.
    assert values(result, "articles_created", "articles_improved") == {
        "articles_created": 1,
        "articles_improved": 2,
    }


def test_article_namespaces_come_from_the_event() -> None:
    history = [
        edit("Ana", START + DAY, page=1, ns=0, new=True),
        edit("Ana", START + DAY, page=2, ns=118, new=True),  # Draft on some wikis
        edit("Ana", START + DAY, page=3, ns=4, new=True),  # project page: never an article here
    ]
    drafts_too = event(namespaces=frozenset({0, 118}))
    assert outcomes(history, people("Ana"), spec=drafts_too).figures["articles_created"].value == 2
    assert outcomes(history, people("Ana")).figures["articles_created"].value == 1


def test_bytes_added_and_removed_in_articles_during_w() -> None:
    history = [
        edit("Ana", START + DAY, size=100),
        edit("Ana", START + DAY, size=50),
        edit("Bea", START + DAY, size=-30),
        edit("Bea", START + DAY, size=-20),
        edit("Bea", START + DAY, size=0),
        edit("Ana", START + DAY, ns=2, size=1000),  # user page: not an article
        edit("Ana", END + SECOND, size=5000),  # after W
    ]
    result = outcomes(history, people("Ana", "Bea"))
    # added 100 + 50; removed 30 + 20, reported as a positive number of bytes.
    assert values(result, "bytes_added", "bytes_removed") == {"bytes_added": 150, "bytes_removed": 50}


def test_uploads_are_new_file_pages_on_any_tracked_wiki() -> None:
    history = [
        edit("Ana", START + DAY, wiki="commonswiki", ns=6, page=10, new=True),  # upload to Commons
        edit("Ana", START + DAY, wiki="swwiki", ns=6, page=11, new=True),  # local upload
        edit("Ana", START + DAY, wiki="commonswiki", ns=6, page=12),  # edits a file description
        edit("Ana", START + DAY, wiki="enwiki", ns=6, page=13, new=True),  # untracked wiki
        edit("Ana", START - SECOND, wiki="commonswiki", ns=6, page=14, new=True),  # before W
    ]
    assert outcomes(history, people("Ana")).figures["uploads"].value == 2


def test_retained_7d_is_any_edit_at_or_after_end_plus_7_days() -> None:
    history = [
        edit("Ana", END + 7 * DAY),  # exactly end + 7 d → retained
        edit("Bea", END + 7 * DAY - SECOND),  # one second short → not retained
        edit("Cid", END + 300 * DAY),  # long after: the window is open-ended → retained
        edit("Dan", END + 8 * DAY, wiki="enwiki"),  # untracked wiki → not retained
    ]
    listed = [
        Person("Ana", START - DAY),  # new editor
        Person("Bea", START - DAY),  # new editor
        Person("Cid", OLD_ACCOUNT),
        Person("Dan", OLD_ACCOUNT),
    ]
    result = outcomes(history, listed)
    retained = result.figures["retained_7d"]
    assert (retained.value, retained.denominator) == (2, 4)
    # Among the 2 new editors only Ana is retained.
    retained_new = result.figures["retained_7d_new"]
    assert (retained_new.value, retained_new.denominator) == (1, 2)


def test_active_months_are_30_day_windows_from_the_end() -> None:
    history = [
        edit("Ana", END),  # end + 0: month 1 starts at the end itself
        edit("Bea", END + 30 * DAY - SECOND),  # last second of month 1
        edit("Cid", END + 30 * DAY),  # first second of month 2
        edit("Dan", END + 150 * DAY),  # first second of month 6
        edit("Eva", END + 180 * DAY),  # after month 6: in no month
        edit("Fay", END + 75 * DAY),  # month 3 …
        edit("Fay", END + 100 * DAY),  # … and month 4: once in each
        edit("Fay", END + 101 * DAY),
    ]
    result = outcomes(history, people("Ana", "Bea", "Cid", "Dan", "Eva", "Fay"))
    assert values(result, *(f"active_month_{k}" for k in range(1, 7))) == {
        "active_month_1": 2,  # Ana, Bea
        "active_month_2": 1,  # Cid
        "active_month_3": 1,  # Fay
        "active_month_4": 1,  # Fay (two edits, one person)
        "active_month_5": 0,
        "active_month_6": 1,  # Dan
    }
    assert result.figures["active_month_1"].denominator == 6


@pytest.mark.parametrize(
    ("days", "offset", "retained"),
    [
        (30, 30 * DAY, True),  # first second of [end + 30 d, end + 60 d)
        (30, 60 * DAY - SECOND, True),  # last second
        (30, 60 * DAY, False),  # the window is closed at its stop
        (30, 30 * DAY - SECOND, False),
        (90, 90 * DAY, True),
        (90, 120 * DAY, False),
        (180, 210 * DAY - SECOND, True),
        (180, 180 * DAY - SECOND, False),
    ],
)
def test_retained_n_days_is_an_edit_in_the_30_days_from_end_plus_n(
    days: int, offset: object, retained: bool
) -> None:
    result = outcomes([edit("Ana", END + offset)], people("Ana", "Bea"))  # type: ignore[operator]
    figure = result.figures[f"retained_{days}d"]
    assert (figure.value, figure.denominator) == (1 if retained else 0, 2)


def test_edits_per_week_before_are_the_8_weeks_up_to_start() -> None:
    before = START - 56 * DAY  # first second of [start − 56 d, start)
    history = [
        *[edit("Ana", before + i * DAY) for i in range(8)],  # 8 edits → 1 a week (first at the very start)
        *[edit("Cid", START - SECOND) for _ in range(16)],  # 16 edits → 2 a week (last second)
        *[edit("Dan", START - 10 * DAY) for _ in range(4)],  # 4 edits → 0.5 a week
        edit("Dan", before - SECOND),  # one second before the 8 weeks: not counted
        edit("Dan", START),  # in W: not "before"
        edit("Dan", START - DAY, wiki="enwiki"),  # untracked wiki
    ]
    # Bea did not edit: 0 a week, and she counts in the average.
    result = outcomes(history, people("Ana", "Bea", "Cid", "Dan"))
    mean, median = (
        result.figures["edits_per_week_before_mean"],
        result.figures["edits_per_week_before_median"],
    )
    # rates 1, 0, 2, 0.5: mean 3.5 / 4 = 0.875; median of 0, 0.5, 1, 2 (even count) = (0.5 + 1) / 2
    assert (mean.value, mean.denominator) == (0.875, 4)
    assert (median.value, median.denominator) == (0.75, 4)


def test_edits_per_week_after_are_the_8_weeks_from_the_end() -> None:
    history = [
        edit("Ana", END),  # the last second of W: not "after"
        edit("Ana", END + SECOND),  # first second of (end, end + 56 d]
        edit("Ana", END + 56 * DAY),  # last second
        edit("Ana", END + 56 * DAY + SECOND),  # after the 8 weeks
        *[edit("Bea", END + 10 * DAY) for _ in range(4)],
        edit("Cid", END + DAY),
    ]
    result = outcomes(history, people("Ana", "Bea", "Cid"))
    # Ana 2 edits → 0.25 a week, Bea 4 → 0.5, Cid 1 → 0.125: mean 0.875 / 3, median 0.25 (odd count)
    assert result.figures["edits_per_week_after_mean"].value == pytest.approx(0.875 / 3)
    assert result.figures["edits_per_week_after_median"].value == 0.25
    assert result.figures["edits_per_week_after_median"].denominator == 3


def test_edits_of_other_people_and_untracked_wikis_never_count() -> None:
    # The same history by a participant on a tracked wiki would count in every figure.
    history = [
        edit(user, at, wiki=wiki, page=page, new=True, size=100)
        for user, wiki in (("Zed", "swwiki"), ("Ana", "enwiki"))
        for page, at in ((1, START - DAY), (2, START + DAY), (3, END + 31 * DAY), (4, END + 91 * DAY))
    ]
    result = outcomes(history, people("Ana"))
    counted = {key: figure.value for key, figure in result.figures.items() if figure.value}
    assert counted == {"participants": 1}
