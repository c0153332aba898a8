"""The SQL aggregation gives exactly the counts of the pure tally, at every window edge."""

from __future__ import annotations

import random
from datetime import timedelta

from tests.metrics_history import DAY, END, LATE, SECOND, START, edit, event
from tool.metrics import Contribution
from tool.metrics.tally import Attendance, Plan, Tally, tally_contributions
from tool.store import Store
from tool.store.tally import group_tally

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


def _as_dict(tally: Tally) -> dict[str, object]:
    return {
        "revisions_during": tally.revisions_during,
        "article_sizes": tally.article_sizes,
        "pages_edited": tally.pages_edited,
        "pages_created": tally.pages_created,
        "uploads": tally.uploads,
        "active": tally.active,
        "edits_before": dict(tally.edits_before),
        "edits_after": dict(tally.edits_after),
    }


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


def test_sql_tally_equals_the_pure_tally(store: Store) -> None:
    spec = event()
    plan = Plan.of(spec)
    participants = ["Ana", "Bea", "Cid", "Dee"]
    history = _history()
    for wiki in ("swwiki", "commonswiki", "enwiki"):
        store.add_contributions(wiki, [c for c in history if c.wiki == wiki])
    attendance = {u: Attendance(u, (plan,)) for u in participants}
    expected = tally_contributions(attendance, history)
    assert _as_dict(group_tally(store, attendance, LATE)) == _as_dict(expected)
    # Something is really counted (the test would pass trivially on empty tallies otherwise).
    assert len(expected.revisions_during) > 5
    assert all(expected.active[key] for key in ("retained_7d", "active_month_1"))
    assert sum(expected.edits_before.values()) > 0


def test_sql_tally_of_a_group_equals_the_pure_tally(store: Store) -> None:
    # Three events: two overlapping, one later on swwiki alone (so Commons counts for its uploads
    # only) with talk pages as articles; people in one, two or all three of them.
    first = Plan.of(event("First"))
    overlapping = Plan.of(event("Overlapping", START + DAY, END + 3 * DAY, namespaces=frozenset({0, 1})))
    later = Plan.of(event("Later", START + 40 * DAY, END + 41 * DAY, wikis=frozenset({"swwiki"})))
    attendance = {
        "Ana": Attendance("Ana", (first, overlapping, later)),
        "Bea": Attendance("Bea", (overlapping,)),
        "Cid": Attendance("Cid", (later, first)),
        "Dee": Attendance("Dee", (later,)),
    }
    history = [
        *_history(),
        # On Commons in Later's W, which does not track it: the upload counts, the other edit not.
        edit("Dee", START + 40 * DAY + SECOND, wiki="commonswiki", ns=6, page=77, new=True),
        edit("Dee", START + 40 * DAY + SECOND, wiki="commonswiki", ns=0, page=78),
    ]
    for wiki in ("swwiki", "commonswiki", "enwiki"):
        store.add_contributions(wiki, [c for c in history if c.wiki == wiki])
    expected = tally_contributions(attendance, history)
    assert _as_dict(group_tally(store, attendance, LATE)) == _as_dict(expected)
    assert len(expected.revisions_during) > 5
    assert ("commonswiki", 77) in expected.uploads
    assert ("commonswiki", 78) not in expected.pages_edited
