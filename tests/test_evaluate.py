"""Stored events evaluated as the CLI, the web and the bot do (tool.pipeline.evaluate), on SQLite and MariaDB.

- One event goes through the SQL tally, a group through the Python tally: on the same stored
  data a group of one gives exactly the event's figures, whatever "now" is (issue #7, item 9).
- A cohort's coverage is judged per membership, from each event's own floor (item 1).
- Uploads count file pages created on Commons even when the event does not track it (item 8).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from tests.metrics_history import DAY, END, OLD_ACCOUNT, SECOND, START
from tests.test_store import event as event_record
from tool.metrics import FIGURE_KEYS, Contribution, Outcomes
from tool.metrics.inputs import COMMONS, COMMONS_FILES
from tool.pipeline import evaluate
from tool.store import AccountRecord, ParticipantRecord, Store

TITLE = "Event:Nairobi"
PEOPLE = ["Ana", "Bea", "Cid", "Dee"]
TRACKED = ["swwiki", "enwiki"]  # Commons is not tracked: only its uploads count
# The store holds everything from before the "before" window up to the latest "now" asked.
SYNCED_FROM = START - 60 * DAY
SYNCED_UNTIL = END + 200 * DAY
_revs = iter(range(1, 10**6))


def edit(
    user: str, at: datetime, wiki: str = "swwiki", ns: int = 0, page: int = 1, new: bool = False
) -> Contribution:
    rev = next(_revs)
    return Contribution(wiki, rev, user, page, ns, f"Page {page}", at, 10 * (rev % 7) - 30, new)


def _history() -> list[Contribution]:
    """Edits on every window's edges and at random, on the tracked wikis and on Commons."""
    rng = random.Random(7)
    edges = [START - 56 * DAY, START - SECOND, START, END, END + SECOND, END + 7 * DAY - SECOND]
    edges += [END + 7 * DAY, END + 30 * DAY, END + 56 * DAY, END + 90 * DAY, END + 180 * DAY]
    history = []
    for index, user in enumerate(PEOPLE):
        # Cid and Dee have no edit at end + 7 days: at end + 8 days they are not retained (yet).
        mine = edges if index < 2 else [e for e in edges if e != END + 7 * DAY]
        for moment in [*mine, *(START - 58 * DAY + rng.randrange(300) * DAY for _ in range(30))]:
            wiki = rng.choice(["swwiki", "enwiki", COMMONS])
            ns = 6 if wiki == COMMONS else rng.choice([0, 0, 1, 6])
            history.append(edit(user, moment, wiki, ns, rng.randrange(1, 9), rng.random() < 0.3))
    # The case: Ana edits at end + 10 days, after a "now" of end + 8 days.
    history.append(edit("Ana", END + 10 * DAY))
    history.append(edit("Outsider", START + DAY, new=True))  # not a participant: never counted
    return history


def _store_event(store: Store, title: str, start: datetime, end: datetime, people: list[str]) -> None:
    store.save_event(event_record(title, start=start, end=end, wikis=TRACKED, goals={}, cohort=None))
    store.replace_participants(title, [ParticipantRecord(user, line) for line, user in enumerate(people)])


def _sync(store: Store, users: list[str], start: datetime, until: datetime, files: bool = True) -> None:
    """What tool.pipeline.sync records for an event of ``start`` synced up to ``until``."""
    for key in [*TRACKED, COMMONS_FILES] if files else TRACKED:
        store.add_coverage(key, users, start - 56 * DAY, until)


@pytest.fixture
def stored(store: Store) -> Store:
    _store_event(store, TITLE, START, END, PEOPLE)
    registered = [AccountRecord(user, n, OLD_ACCOUNT) for n, user in enumerate(PEOPLE[1:])]
    store.save_accounts("global", [AccountRecord("Ana", 9, START - 3 * DAY), *registered])  # Ana is new
    history = _history()
    for wiki in (*TRACKED, COMMONS):
        store.add_contributions(wiki, [c for c in history if c.wiki == wiki])
    _sync(store, PEOPLE, START, SYNCED_UNTIL)
    return store


@pytest.mark.parametrize(
    "now",
    [START - DAY, START + DAY, END + 8 * DAY, END + 200 * DAY],
    ids=["before-start", "during", "end+8d", "end+200d"],
)
def test_an_event_and_its_group_of_one_give_the_same_figures(stored: Store, now: datetime) -> None:
    # One counting path counts both (tool.store.facts); the statuses and goals differ in code.
    single = evaluate.event_outcomes(stored, TITLE, now)
    group = evaluate.group_outcomes(stored, [TITLE], now)
    for key in FIGURE_KEYS:
        assert single.figures[key] == group.figures[key], key
    assert single.data_until == group.data_until == SYNCED_UNTIL
    assert single.computed_at == group.computed_at == now


def test_an_edit_after_now_counts_on_neither_path(store: Store) -> None:
    # The case: one edit at end + 10 days, evaluated at end + 8 days. Before, the SQL
    # tally (no upper bound) said 1/1 retained and the group of one 0/1.
    _store_event(store, TITLE, START, END, ["Ana"])
    store.save_accounts("global", [AccountRecord("Ana", 1, OLD_ACCOUNT)])
    store.add_contributions("swwiki", [edit("Ana", END + 10 * DAY)])
    _sync(store, ["Ana"], START, END + 20 * DAY)
    now = END + 8 * DAY
    for outcomes in (
        evaluate.event_outcomes(store, TITLE, now),
        evaluate.group_outcomes(store, [TITLE], now),
    ):
        retained = outcomes.figures["retained_7d"]
        assert (retained.value, retained.status, retained.denominator) == (0, "ok", 1)


def test_a_cohort_synced_event_by_event_is_complete(store: Store) -> None:
    # Two trainings 100 days apart; Cid attends both. `sync` fetches each event's people from that
    # event's own floor (start − 8 weeks), so Bea is held only from the second one's.
    later = timedelta(days=100)
    _store_event(store, "Event:First", START, END, ["Ana", "Cid"])
    _store_event(store, "Event:Second", START + later, END + later, ["Bea", "Cid"])
    store.save_accounts("global", [AccountRecord(user, n, OLD_ACCOUNT) for n, user in enumerate(PEOPLE)])
    store.add_contributions("swwiki", [edit("Bea", START + later + DAY), edit("Ana", START + DAY)])
    synced = END + later + 300 * DAY
    _sync(store, ["Ana", "Cid"], START, synced)
    _sync(store, ["Bea", "Cid"], START + later, synced)
    outcomes = evaluate.group_outcomes(store, ["Event:First", "Event:Second"], synced)
    assert {key: outcomes.figures[key].status for key in FIGURE_KEYS} == dict.fromkeys(FIGURE_KEYS, "ok")
    assert outcomes.data_until == synced
    assert outcomes.figures["edits_during"].value == 2


def test_a_cohort_member_never_synced_for_their_event_is_partial(store: Store) -> None:
    later = timedelta(days=100)
    _store_event(store, "Event:First", START, END, ["Ana"])
    _store_event(store, "Event:Second", START + later, END + later, ["Bea"])
    store.save_accounts("global", [AccountRecord(user, n, OLD_ACCOUNT) for n, user in enumerate(PEOPLE)])
    synced = END + later + 300 * DAY
    _sync(store, ["Ana"], START, synced)
    _sync(store, ["Bea"], START + later + 10 * DAY, synced)  # from 10 days after the floor only
    outcomes = evaluate.group_outcomes(store, ["Event:First", "Event:Second"], synced)
    assert outcomes.figures["edits_during"].status == "partial"
    assert outcomes.data_until is None


def test_a_cohort_counts_its_other_events_when_one_cannot_be_evaluated(store: Store) -> None:
    # One member's page lost its dates: the cohort is still counted from the others, as partial,
    # and says which event is missing and why (one bad event never stops the rest).
    _store_event(store, "Event:First", START, END, ["Ana", "Cid"])
    store.save_event(event_record("Event:Undated", start=None, end=None, wikis=TRACKED, cohort=None))
    store.save_accounts("global", [AccountRecord(user, n, OLD_ACCOUNT) for n, user in enumerate(PEOPLE)])
    store.add_contributions("swwiki", [edit("Ana", START + DAY), edit("Cid", START + DAY)])
    synced = END + 300 * DAY
    _sync(store, ["Ana", "Cid"], START, synced)
    outcomes = evaluate.group_outcomes(store, ["Event:First", "Event:Undated"], synced)
    assert outcomes.figures["edits_during"].value == 2
    assert outcomes.figures["participants"].value == 2
    assert {outcomes.figures[key].status for key in FIGURE_KEYS} == {"partial"}
    [reason] = outcomes.left_out
    assert reason.code == "evaluate-missing-fields-see-page"
    assert reason.params["title"] == "Event:Undated"
    assert reason.text().startswith("Event:Undated: no valid start, end")
    # Kept coded in the snapshot's JSON, with its English text, and read back as it was.
    [stored] = outcomes.to_dict()["left_out"]
    assert stored == {"code": reason.code, "params": dict(reason.params), "message": reason.text()}
    assert Outcomes.from_json(outcomes.to_json()).left_out == outcomes.left_out
    # A comparison leaves it out the same way, coded too.
    groups, skipped = evaluate.compare(store, "region", synced)
    assert [(r.code, r.params["title"]) for r in skipped] == [
        ("evaluate-missing-fields-see-page", "Event:Undated")
    ]
    assert sum(g.figures["participants"].value or 0 for g in groups.values()) == 2


def test_a_group_with_no_event_it_can_count_says_why(store: Store) -> None:
    store.save_event(event_record("Event:Undated", start=None, end=None, wikis=TRACKED, cohort=None))
    with pytest.raises(evaluate.NotEvaluable, match="Event:Undated: no valid start, end") as raised:
        evaluate.group_outcomes(store, ["Event:Undated"], END)
    # Coded like a page's problems: a client shows it in the reader's language from code and params.
    assert raised.value.code == "evaluate-group-none-counted"
    assert raised.value.params["reasons"] == str(raised.value).removeprefix(
        "no event of the group can be counted: "
    )


def test_an_event_missing_from_the_store_is_a_coded_problem(store: Store) -> None:
    with pytest.raises(evaluate.NotEvaluable) as raised:
        evaluate.event_outcomes(store, "Event:Nowhere", END)
    assert (raised.value.code, raised.value.params) == ("evaluate-no-such-event", {"title": "Event:Nowhere"})
    assert (
        str(raised.value) == 'Event:Nowhere: no such event in the store (run "python -m tool discover" first)'
    )


def _uploads_history(store: Store) -> None:
    _store_event(store, TITLE, START, END, ["Ana"])
    store.save_accounts("global", [AccountRecord("Ana", 1, OLD_ACCOUNT)])
    store.add_contributions("swwiki", [edit("Ana", START + DAY)])
    store.add_contributions(
        COMMONS,
        [
            edit("Ana", START + DAY, COMMONS, ns=6, page=1, new=True),  # an upload in W: counts
            edit("Ana", START + DAY, COMMONS, ns=6, page=2),  # a file page edited, not created
            edit("Ana", START - DAY, COMMONS, ns=6, page=3, new=True),  # uploaded before W
        ],
    )


def test_commons_uploads_count_for_an_event_that_does_not_track_commons(store: Store) -> None:
    _uploads_history(store)
    _sync(store, ["Ana"], START, END + 300 * DAY)
    for outcomes in (
        evaluate.event_outcomes(store, TITLE, END + 300 * DAY),
        evaluate.group_outcomes(store, [TITLE], END + 300 * DAY),
    ):
        assert (outcomes.figures["uploads"].value, outcomes.figures["uploads"].status) == (1, "ok")
        # Commons is not tracked: its revisions are not the event's edits.
        assert outcomes.figures["edits_during"].value == 1


def test_uploads_are_partial_when_commons_files_were_never_synced(store: Store) -> None:
    _uploads_history(store)
    _sync(store, ["Ana"], START, END + 300 * DAY, files=False)
    for outcomes in (
        evaluate.event_outcomes(store, TITLE, END + 300 * DAY),
        evaluate.group_outcomes(store, [TITLE], END + 300 * DAY),
    ):
        assert outcomes.figures["uploads"].status == "partial"
        assert outcomes.figures["edits_during"].status == "ok"
        assert outcomes.partial is True
