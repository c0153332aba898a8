"""Facts counted in SQL give exactly the figures of the pure tally, at every window edge."""

from __future__ import annotations

import random
from datetime import timedelta

from tests.facts_fixtures import count_events, counted_group, store_history
from tests.metrics_history import DAY, END, LATE, SECOND, START, covered, edit, event, people, reference_tally
from tool.metrics import Contribution, Outcomes, compute_group
from tool.metrics.tally import Plan
from tool.pipeline.evaluate import figures_of, group_outcomes
from tool.store import ParticipantRecord, Store
from tool.store.facts import spec_key

EDGES = [
    START - 56 * DAY - SECOND,  # just before the "before" window
    START - 56 * DAY,  # its first second
    START - SECOND,  # its last
    START,  # W opens
    END,  # W's last second (inclusive)
    END + SECOND,  # the "after" window's first second
    END + 7 * DAY - SECOND,
    END + 7 * DAY,  # retained_7d starts
    END + 30 * DAY - SECOND,
    END + 30 * DAY,  # active month 2 / retained_30d start
    END + 56 * DAY,  # the "after" window's last second
    END + 56 * DAY + SECOND,
    END + 90 * DAY,
    END + 180 * DAY,
    END + 210 * DAY - SECOND,
    END + 210 * DAY,
]


def _same(counted: Outcomes, expected: Outcomes) -> None:
    assert counted.to_dict()["figures"] == expected.to_dict()["figures"]
    assert counted.data_until == expected.data_until


def _history() -> list[Contribution]:
    rng = random.Random(5)
    history = []
    for user in ("Ana", "Bea", "Cid", "Dee"):
        for moment in EDGES:
            history.append(
                edit(
                    user,
                    moment,
                    wiki=rng.choice(["swwiki", "commonswiki", "enwiki"]),
                    ns=rng.choice([0, 0, 1, 6]),
                    page=rng.randrange(1, 6),
                    size=rng.choice([-30, 0, 25, None]),
                    new=rng.random() < 0.3,
                )
            )
        for _ in range(40):
            moment = START - 60 * DAY + timedelta(seconds=rng.randrange(300 * 86400))
            history.append(
                edit(user, moment, ns=rng.choice([0, 6]), page=rng.randrange(1, 9), new=rng.random() < 0.2)
            )
    history.append(edit("Outsider", START + DAY))  # not a participant: never counted
    return history


def test_counted_facts_give_the_figures_of_the_pure_tally(store: Store) -> None:
    spec = event()
    listed = people("Ana", "Bea", "Cid", "Dee")
    history = _history()
    coverage = covered([spec], [p.user for p in listed], LATE)
    expected = compute_group([(spec, listed)], coverage, LATE, reference_tally([(spec, listed)], history))
    _same(counted_group(store, [(spec, listed)], history, coverage, LATE), expected)
    # Something is really counted (the test would pass trivially on empty tallies otherwise).
    figures = expected.figures
    assert (figures["edits_during"].value or 0) > 5
    assert figures["retained_7d"].value
    assert figures["active_month_1"].value
    assert figures["edits_per_week_before_mean"].value


def test_counted_facts_of_a_group_give_the_figures_of_the_pure_tally(store: Store) -> None:
    # Three events: two overlapping, one later on swwiki alone (so Commons counts for its uploads
    # only) with talk pages as articles; people in one, two or all three of them.
    first = event("First")
    overlapping = event("Overlapping", START + DAY, END + 3 * DAY, namespaces=frozenset({0, 1}))
    later = event("Later", START + 40 * DAY, END + 41 * DAY, wikis=frozenset({"swwiki"}))
    events = [
        (first, people("Ana", "Cid")),
        (overlapping, people("Ana", "Bea")),
        (later, people("Ana", "Cid", "Dee")),
    ]
    history = [
        *_history(),
        # On Commons in Later's W, which does not track it: the upload counts, the other edit not.
        edit("Dee", START + 40 * DAY + SECOND, wiki="commonswiki", ns=6, page=77, new=True),
        edit("Dee", START + 40 * DAY + SECOND, wiki="commonswiki", ns=0, page=78),
    ]
    coverage = covered([spec for spec, _ in events], ["Ana", "Bea", "Cid", "Dee"], LATE)
    expected = compute_group(events, coverage, LATE, reference_tally(events, history))
    _same(counted_group(store, events, history, coverage, LATE), expected)
    # Each event alone, and the overlapping pair: the sums of two events would be more.
    for chosen in (events[:1], events[1:2], events[2:], events[:2]):
        _same(
            figures_of(store, [spec for spec, _ in chosen], LATE),
            compute_group(chosen, coverage, LATE, reference_tally(chosen, history)),
        )
    pair = figures_of(store, [first, overlapping], LATE).figures
    alone = [figures_of(store, [spec], LATE).figures for spec in (first, overlapping)]
    assert (pair["edits_during"].value or 0) < sum(f["edits_during"].value or 0 for f in alone)
    assert expected.figures["uploads"].value


def test_facts_counted_before_a_sync_are_counted_again(store: Store) -> None:
    spec = event()
    listed = people("Ana")
    coverage = covered([spec], ["Ana"], LATE)
    first = counted_group(store, [(spec, listed)], [edit("Ana", START + SECOND)], coverage, LATE)
    assert first.figures["edits_during"].value == 1
    assert first.figures["edits_during"].status == "ok"
    store.replace_participants(spec.key, [ParticipantRecord("Ana", 1)])
    store.add_coverage("swwiki", ["Ana"], START - 100 * DAY, LATE)
    count_events(store, [(spec, listed)], coverage, LATE)
    state = store.fact_states([spec.key])[spec.key]
    assert state.valid(store.stamp(), spec_key(Plan.of(spec)), LATE + DAY)  # nothing changed since
    store_history(store, [edit("Ana", START + 2 * SECOND)])
    assert not state.valid(store.stamp(), spec_key(Plan.of(spec)), LATE + DAY)
    # group_outcomes counts it again, with the participants and coverage the store holds (no
    # Commons files for Ana: uploads partial).
    again = group_outcomes(store, [spec.key], LATE).figures
    assert again["edits_during"].value == 2
    assert again["uploads"].status == "partial"
    # Counted at this stamp, they are read as they are from now on.
    assert store.fact_states([spec.key])[spec.key].valid(store.stamp(), spec_key(Plan.of(spec)), LATE + DAY)
