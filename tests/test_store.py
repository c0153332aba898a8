"""The store on SQLite and MariaDB: the same behaviour on both (every test runs twice)."""

from __future__ import annotations

from dataclasses import astuple
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa

from tests.store_fixtures import count_rows, stored_contributions
from tool.metrics import Contribution
from tool.store import (
    AccountRecord,
    CohortRecord,
    EventRecord,
    ParticipantRecord,
    SchemaBehind,
    Store,
    StoreUnavailable,
)
from tool.store.engine import redact

JAN = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def day(n: int) -> datetime:
    return JAN + (n - 1) * DAY


def event(title: str = "Event:Nairobi", **changes: object) -> EventRecord:
    values: dict[str, object] = {
        "title": title,
        "page_id": 10,
        "rev_id": 100,
        "name": "Nairobi training",
        "fields": {"name": "Nairobi"},
        "context": {"region": "Sub-Saharan Africa"},
        "goals": {"participants": 30},
        "problems": [],
        "start": day(14),
        "end": day(15),
        "timezone": "Africa/Nairobi",
        "wikis": ["swwiki", "enwiki"],
        "namespaces": [0],
        "cohort": "Wiki Indaba",
        "registration": None,
        "parsed_at": day(20),
    }
    values.update(changes)
    return EventRecord(**values)  # type: ignore[arg-type]


def contribution(
    rev: int, user: str = "Ana", when: datetime = JAN, wiki: str = "enwiki", **kw: object
) -> Contribution:
    values: dict[str, object] = {
        "wiki": wiki,
        "rev_id": rev,
        "user": user,
        "page_id": rev,
        "namespace": 0,
        "title": f"Page {rev}",
        "timestamp": when,
        "sizediff": 10,
        "new": False,
    }
    values.update(kw)
    return Contribution(**values)  # type: ignore[arg-type]


def test_upgrade_twice_is_harmless(store: Store) -> None:
    store.upgrade()
    store.save_event(event())
    store.upgrade()
    assert store.get_event("Event:Nairobi") is not None


def test_event_round_trip_and_upsert(store: Store) -> None:
    store.save_event(event())
    store.save_event(event(rev_id=101, goals={"participants": 40}))
    record = store.get_event("Event:Nairobi")
    assert record is not None
    assert record.rev_id == 101
    assert record.goals == {"participants": 40}
    assert record.start == day(14)
    assert record.start.tzinfo is not None
    assert record.wikis == ["swwiki", "enwiki"]
    assert store.parsed_revision("Event:Nairobi") == 101
    assert store.parsed_revision("Event:Nowhere") is None
    assert [e.title for e in store.list_events()] == ["Event:Nairobi"]


def test_an_event_without_dates_is_stored_with_its_problems(store: Store) -> None:
    problems = [{"field": "start", "line": 3, "message": "start is missing"}]
    store.save_event(event(start=None, end=None, problems=problems))
    record = store.get_event("Event:Nairobi")
    assert record is not None
    assert record.start is None
    assert record.problems == problems


def test_participants_are_replaced_not_appended(store: Store) -> None:
    store.save_event(event())
    store.replace_participants("Event:Nairobi", [ParticipantRecord("Ana", 5), ParticipantRecord("Bea", 6)])
    store.replace_participants(
        "Event:Nairobi",
        [ParticipantRecord("Bea", 6), ParticipantRecord("Cid", 7, exists=False, state="missing")],
    )
    assert [(p.user, p.line, p.state) for p in store.participants("Event:Nairobi")] == [
        ("Bea", 6, "ok"),
        ("Cid", 7, "missing"),
    ]


def test_participants_of_an_unknown_event_is_an_error(store: Store) -> None:
    with pytest.raises(KeyError, match="no stored event"):
        store.replace_participants("Event:Nowhere", [ParticipantRecord("Ana", 1)])


def test_rename_keeps_participants(store: Store) -> None:
    store.save_event(event())
    store.replace_participants("Event:Nairobi", [ParticipantRecord("Ana", 5)])
    store.save_snapshot(
        "event", "Event:Nairobi", "{}", definitions_version=1, data_time=day(20), partial=False
    )
    store.rename_event("Event:Nairobi", "Event:Nairobi 2026")
    assert store.get_event("Event:Nairobi") is None
    assert [p.user for p in store.participants("Event:Nairobi 2026")] == ["Ana"]
    assert store.latest_snapshot("event", "Event:Nairobi 2026") is not None


def test_cohorts_and_matching_events(store: Store) -> None:
    store.save_event(event())
    store.save_event(event("Event:Kisumu", page_id=11))
    store.save_event(event("Event:Berlin", page_id=12, cohort=None))
    store.save_cohort(
        CohortRecord("Cohort:Indaba", 20, 200, "Wiki Indaba", ["Event:Berlin"], True, [], day(20))
    )
    cohort = store.get_cohort("Cohort:Indaba")
    assert cohort is not None
    assert cohort.events == ["Event:Berlin"]
    assert cohort.match is True
    store.save_cohort(CohortRecord("Cohort:Indaba", 20, 201, "Wiki Indaba", [], False, [], day(21)))
    store.save_cohort(CohortRecord("Cohort:Berlin", 21, 300, "Berlin", ["Event:Berlin"], False, [], day(21)))
    stored = [store.get_cohort(title) for title in ("Cohort:Berlin", "Cohort:Indaba")]
    assert [(c.title, c.rev_id, c.events) for c in stored if c] == [
        ("Cohort:Berlin", 300, ["Event:Berlin"]),
        ("Cohort:Indaba", 201, []),
    ]
    assert store.parsed_revision("Cohort:Indaba") == 201


def test_contributions_are_stored_once(store: Store) -> None:
    batch = [contribution(1), contribution(2), contribution(3, wiki="swwiki")]
    assert store.add_contributions("enwiki", batch[:2]) == 2
    assert store.add_contributions("enwiki", batch[:2]) == 0  # the same revisions again: nothing new
    assert store.add_contributions("swwiki", batch[2:]) == 1
    # The same rev id on another wiki is another revision.
    assert store.add_contributions("swwiki", [contribution(1, wiki="swwiki")]) == 1
    assert count_rows(store, "contribution") == 4


def test_large_batches_are_stored_in_chunks_and_counted(store: Store) -> None:
    # 12,000 rows span three insert chunks; the second batch overlaps the first in 2,000 rows.
    assert store.add_contributions("enwiki", [contribution(rev) for rev in range(1, 12_001)]) == 12_000
    assert store.add_contributions("enwiki", [contribution(rev) for rev in range(10_001, 13_001)]) == 1_000
    assert count_rows(store, "contribution") == 13_000


def test_contribution_tuples_in_field_order_with_inclusive_edges(store: Store) -> None:
    # 1,200 people: more than one IN (...) chunk of users.
    users = [f"User {n}" for n in range(1_200)]
    store.add_contributions(
        "enwiki",
        [contribution(n + 1, user, day(1) + n * timedelta(minutes=1)) for n, user in enumerate(users)],
    )
    store.add_contributions("swwiki", [contribution(5_000, "User 3", day(9), wiki="swwiki", sizediff=None)])
    # Minutes 10 to 1,009 of Jan 1, both ends included: 1,000 revisions on enwiki.
    first, last = day(1) + timedelta(minutes=10), day(1) + timedelta(minutes=1_009)
    rows = store.contribution_tuples(["enwiki"], users, first, last)
    assert len(rows) == 1_000
    assert min(row[1] for row in rows) == 11
    assert max(row[1] for row in rows) == 1_010
    assert sorted(rows)[0] == ("enwiki", 11, "User 10", 11, 0, "Page 11", first, 10, False)
    assert [astuple(c) for c in stored_contributions(store, ["swwiki"], ["User 3"], day(9), day(9))] == [
        ("swwiki", 5_000, "User 3", 5_000, 0, "Page 5000", day(9), None, False)
    ]
    assert store.contribution_tuples(["enwiki"], [], day(1), day(2)) == []


def test_contributions_by_users_wikis_and_window(store: Store) -> None:
    store.add_contributions(
        "enwiki",
        [contribution(1, "Ana", day(1)), contribution(2, "Bea", day(2)), contribution(3, "Ana", day(10))],
    )
    store.add_contributions("swwiki", [contribution(4, "Ana", day(2), wiki="swwiki")])
    found = stored_contributions(store, ["enwiki", "swwiki"], ["Ana"], day(1), day(5))
    assert sorted((c.wiki, c.rev_id) for c in found) == [("enwiki", 1), ("swwiki", 4)]
    assert found[0].timestamp.tzinfo is not None


def test_names_and_titles_in_any_script_round_trip(store: Store) -> None:
    names = ["Ğ𝔘ser 😀", "مستخدم", "Ana", "ANA", "Élan", "Elan"]
    store.add_contributions(
        "enwiki", [contribution(i + 1, name, title=f"{name} ✓") for i, name in enumerate(names)]
    )
    found = stored_contributions(store, ["enwiki"], names, JAN, JAN)
    assert sorted(c.user for c in found) == sorted(names)
    # Case and accents matter to MediaWiki, so they matter here (no case-insensitive collation).
    assert [c.user for c in stored_contributions(store, ["enwiki"], ["ANA"], JAN, JAN)] == ["ANA"]
    store.save_accounts("enwiki", [AccountRecord("Élan", 1, day(1)), AccountRecord("Elan", 2, day(2))])
    assert store.registrations(["Élan", "Elan"], ["enwiki"]) == {"Élan": day(1), "Elan": day(2)}


def test_naive_times_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware times only, got naive 2026-01-01T00:00:00"):
        store.add_coverage("enwiki", ["Ana"], datetime(2026, 1, 1), datetime(2026, 1, 2))
    with pytest.raises(ValueError, match="timezone-aware"):
        store.save_event(event(start=datetime(2026, 1, 14)))
    assert store.get_event("Event:Nairobi") is None  # nothing half-saved
    with pytest.raises(ValueError, match="before it starts"):
        store.add_coverage("enwiki", ["Ana"], day(2), day(1))


def test_times_come_back_in_utc_whatever_offset_went_in(store: Store) -> None:
    nairobi = timezone(timedelta(hours=3))
    store.save_event(event(start=datetime(2026, 1, 14, 9, 0, tzinfo=nairobi)))
    record = store.get_event("Event:Nairobi")
    assert record is not None
    assert record.start == datetime(2026, 1, 14, 6, 0, tzinfo=UTC)
    assert record.start.utcoffset() == timedelta(0)


def test_coverage_gaps_group_users_that_share_them(store: Store) -> None:
    store.add_coverage("enwiki", ["Ana"], day(1), day(10))
    # Ana has Jan 1–10; Bea has nothing. Asking for Jan 1–20:
    assert store.uncovered("enwiki", ["Ana", "Bea"], day(1), day(20)) == [
        (day(1), day(20), ["Bea"]),
        (day(10), day(20), ["Ana"]),
    ]
    store.add_coverage("enwiki", ["Ana", "Bea"], day(10), day(20))
    # Touching intervals merge: Ana is covered Jan 1–20 now, Bea Jan 10–20.
    assert store.uncovered("enwiki", ["Ana", "Bea"], day(1), day(20)) == [(day(1), day(10), ["Bea"])]
    assert store.uncovered("swwiki", ["Ana"], day(1), day(2)) == [(day(1), day(2), ["Ana"])]


def test_a_second_window_leaves_a_hole_that_is_reported(store: Store) -> None:
    store.add_coverage("enwiki", ["Ana"], day(1), day(5))
    store.add_coverage("enwiki", ["Ana"], day(8), day(12))
    assert store.uncovered("enwiki", ["Ana"], day(1), day(12)) == [(day(5), day(8), ["Ana"])]
    coverage = store.coverage(["enwiki"], ["Ana"])
    assert coverage.until("enwiki", "Ana", day(2)) == day(5)  # complete from Jan 2 only up to the hole
    assert coverage.until("enwiki", "Ana", day(6)) is None
    assert coverage.until("enwiki", "Ana", day(9)) == day(12)  # the second span, for a later floor


def test_overlapping_coverage_merges_into_one_interval(store: Store) -> None:
    store.add_coverage("enwiki", ["Ana"], day(1), day(5))
    store.add_coverage("enwiki", ["Ana"], day(3), day(8))  # overlaps: Jan 1–8
    store.add_coverage("enwiki", ["Ana"], day(12), day(15))
    store.add_coverage("enwiki", ["Ana"], day(2), day(4))  # inside: changes nothing
    assert store.uncovered("enwiki", ["Ana"], day(1), day(20)) == [
        (day(8), day(12), ["Ana"]),
        (day(15), day(20), ["Ana"]),
    ]
    store.add_coverage("enwiki", ["Ana"], day(8), day(12))  # fills the hole, touching both sides
    assert store.uncovered("enwiki", ["Ana"], day(1), day(15)) == []
    assert store.coverage(["enwiki"], ["Ana"]).until("enwiki", "Ana", day(1)) == day(15)


def test_uncovered_groups_by_exact_gap_and_keeps_the_given_order(store: Store) -> None:
    store.add_coverage("enwiki", ["Cid", "Ana"], day(1), day(10))
    store.add_coverage("enwiki", ["Bea"], day(5), day(20))
    # Cid and Ana miss Jan 10–20, Bea misses Jan 1–5, Dan misses everything.
    assert store.uncovered("enwiki", ["Dan", "Cid", "Bea", "Ana"], day(1), day(20)) == [
        (day(1), day(5), ["Bea"]),
        (day(1), day(20), ["Dan"]),
        (day(10), day(20), ["Cid", "Ana"]),
    ]


def test_coverage_per_wiki_and_person_from_any_floor(store: Store) -> None:
    store.add_coverage("enwiki", ["Ana", "Bea"], day(1), day(10))
    store.add_coverage("swwiki", ["Ana"], day(1), day(30))
    store.add_coverage("swwiki", ["Bea"], day(3), day(30))  # starts after the asked moment
    coverage = store.coverage(["enwiki", "swwiki"], ["Ana", "Bea", "Cid"])
    assert coverage.until("enwiki", "Ana", day(2)) == day(10)
    assert coverage.until("enwiki", "Bea", day(2)) == day(10)
    assert coverage.until("swwiki", "Ana", day(2)) == day(30)
    assert coverage.until("swwiki", "Bea", day(2)) is None
    assert coverage.until("swwiki", "Bea", day(3)) == day(30)  # held from its own floor
    assert coverage.until("enwiki", "Cid", day(2)) is None


def test_registrations_prefer_global_then_earliest(store: Store) -> None:
    store.save_accounts("enwiki", [AccountRecord("Ana", 1, day(5)), AccountRecord("Bea", 2, day(9))])
    store.save_accounts("swwiki", [AccountRecord("Ana", 7, day(3)), AccountRecord("Bea", 8, None)])
    store.save_accounts("global", [AccountRecord("Bea", 100, day(7))])
    assert store.registrations(["Ana", "Bea", "Cid"], ["enwiki", "swwiki"]) == {
        "Ana": day(3),  # no global account: the earliest on the tracked wikis
        "Bea": day(7),  # the global registration wins
        "Cid": None,  # unknown stays unknown, never "old"
    }
    # Saving again replaces, it does not duplicate.
    store.save_accounts("enwiki", [AccountRecord("Ana", 1, day(2))])
    assert store.registrations(["Ana"], ["enwiki"]) == {"Ana": day(2)}


def test_the_latest_snapshot_is_the_newest(store: Store) -> None:
    store.save_snapshot(
        "event", "E", '{"a": 1}', definitions_version=1, data_time=day(1), partial=True, computed_at=day(2)
    )
    store.save_snapshot(
        "event", "E", '{"a": 2}', definitions_version=1, data_time=day(3), partial=False, computed_at=day(4)
    )
    latest = store.latest_snapshot("event", "E")
    assert latest is not None
    assert (latest.figures, latest.partial, latest.data_time) == ('{"a": 2}', False, day(3))
    assert store.latest_snapshot("cohort", "E") is None
    # Two in the same second: the one stored last.
    store.save_snapshot(
        "event", "E", '{"a": 3}', definitions_version=1, data_time=day(3), partial=False, computed_at=day(4)
    )
    latest = store.latest_snapshot("event", "E")
    assert latest is not None
    assert latest.figures == '{"a": 3}'


def _statements(store: Store, *, with_parameters: bool = False) -> list[Any]:
    """Every SQL statement the store sends from now on (a connection event, not a timer)."""
    sent: list[Any] = []

    def record(conn: object, cursor: object, statement: str, parameters: object, *args: object) -> None:
        sent.append((statement, parameters) if with_parameters else statement)

    sa.event.listen(store.engine, "before_cursor_execute", record)
    return sent


def test_the_latest_snapshot_is_one_query_on_the_index(store: Store) -> None:
    for n in range(3):
        store.save_snapshot(
            "event",
            "E",
            "{}",
            definitions_version=1,
            data_time=day(n + 1),
            partial=False,
            computed_at=day(n + 1),
        )
    sent = _statements(store, with_parameters=True)
    assert store.latest_snapshot("event", "E") is not None
    assert len(sent) == 1
    statement, parameters = sent[0]
    with store.engine.connect() as conn:
        explain = "EXPLAIN QUERY PLAN " if store.engine.dialect.name == "sqlite" else "EXPLAIN "
        plan = " ".join(str(row) for row in conn.exec_driver_sql(explain + statement, parameters))
    assert "snapshot_target" in plan  # the newest is read off the (kind, target, computed_at) index


@pytest.mark.parametrize("events", [1, 12])
def test_the_events_list_with_latest_snapshots_is_one_query(store: Store, events: int) -> None:
    titles = [f"Event:E{n:02}" for n in range(events)]
    for n, title in enumerate(titles):
        store.save_event(event(title, page_id=n))
        store.replace_participants(
            title, [ParticipantRecord("Ana", 1), ParticipantRecord("Gone", 2, exists=False)]
        )
        for figures, when in (('{"old": 1}', day(2)), (f'{{"n": {n}}}', day(3))):
            store.save_snapshot(
                "event",
                title,
                figures,
                definitions_version=1,
                data_time=when,
                partial=False,
                computed_at=when,
            )
    store.save_event(event("Event:Fresh", page_id=99))  # no snapshot yet, nobody listed
    store.save_event(event("Event:Left", page_id=98))
    store.mark_gone("event", [*titles, "Event:Fresh"], day(30))

    sent = _statements(store)
    listings = store.event_listings()
    assert len(sent) == 1
    assert [(item.event.title, item.listed) for item in listings] == [(t, 1) for t in titles] + [
        ("Event:Fresh", 0)
    ]
    assert listings[-1].snapshot is None
    assert [item.snapshot.figures for item in listings[:-1] if item.snapshot] == [
        f'{{"n": {n}}}' for n in range(events)
    ]
    assert [item.snapshot for item in listings[:-1]] == [store.latest_snapshot("event", t) for t in titles]


def test_the_events_list_reads_each_events_count_of_listed_people(store: Store) -> None:
    """The count is kept on the event when its participants are replaced: no participant row is read."""
    for n in range(3):
        store.save_event(event(f"Event:E{n}", page_id=n))
        store.replace_participants(
            f"Event:E{n}", [ParticipantRecord(f"P{k}", k, exists=k % 2 == 0) for k in range(10)]
        )
    sent = _statements(store, with_parameters=True)
    assert [item.listed for item in store.event_listings()] == [5, 5, 5]
    [(statement, _)] = sent
    assert "participant" not in statement
    store.replace_participants(
        "Event:E1", [ParticipantRecord("Ana", 1), ParticipantRecord("Nobody", 2, exists=False)]
    )
    store.save_event(event("Event:E2", page_id=2))  # a page parsed again keeps its count
    assert [item.listed for item in store.event_listings()] == [5, 1, 5]


def test_jobs_record_progress_and_errors(store: Store) -> None:
    job = store.create_job("sync", "Event:Nairobi")
    store.update_job(job, state="running", progress=0.5, message="enwiki", started=day(1))
    store.update_job(job, state="failed", error="enwiki: HTTP 503", finished=day(1) + timedelta(minutes=3))
    record = store.get_job(job)
    assert record is not None
    assert (record.state, record.progress, record.message, record.error) == (
        "failed",
        0.5,
        "enwiki",
        "enwiki: HTTP 503",
    )
    with pytest.raises(ValueError, match="no field"):
        store.update_job(job, colour="red")


def test_a_jobs_start_and_end_move_the_pages_version_and_its_progress_does_not(store: Store) -> None:
    """The page cache keeps a visitor's page while the pages version stands (tool.web.pagecache)."""
    before = store.pages_version()
    job = store.create_job("refresh", "Event:Nairobi")
    queued = store.pages_version()
    assert queued > before  # the page now shows a refresh queued
    assert store.start_job(job) == 1
    running = store.pages_version()
    assert running > queued
    store.update_job(job, done=1, total=3, progress=1 / 3, message="enwiki")
    assert store.pages_version() == running  # progress alone: the page under way is never kept
    store.update_job(job, state="finished", finished=day(2))
    assert store.pages_version() > running
    assert store.start_job(job) == 2  # run again: a second attempt, its progress from the start
    record = store.get_job(job)
    assert record is not None
    assert (record.state, record.attempts, record.done, record.total, record.finished) == (
        "running", 2, 0, 0, None,
    )  # fmt: skip


def test_the_newest_job_of_a_target_is_the_one_its_page_shows(store: Store) -> None:
    assert store.latest_job("refresh", "Event:Nairobi") is None
    first = store.create_job("refresh", "Event:Nairobi")
    store.create_job("refresh", "Event:Mombasa")
    store.create_job("discover", "Event:Nairobi")
    second = store.create_job("refresh", "Event:Nairobi")
    latest = store.latest_job("refresh", "Event:Nairobi")
    assert latest is not None
    assert latest.id == second != first


def test_a_new_job_is_queued_with_no_progress(store: Store) -> None:
    job = store.create_job("discover", "Event:Nairobi")
    record = store.get_job(job)
    assert record is not None
    assert (record.kind, record.state, record.progress, record.message, record.error) == (
        "discover",
        "queued",
        0.0,
        "",
        None,
    )
    assert record.created.tzinfo is not None
    assert record.started is None
    assert store.get_job(job + 1) is None


def test_an_unreachable_sqlite_file_says_where() -> None:
    store = Store("sqlite:////nonexistent/dir/store.sqlite")
    with pytest.raises(StoreUnavailable, match=r"sqlite:////nonexistent/dir/store.sqlite: unable to open"):
        store.upgrade()


def test_an_unreachable_mariadb_names_the_server_not_the_password() -> None:
    store = Store("mysql+pymysql://tool:s3cret@127.0.0.1:1/outcomes")
    with pytest.raises(StoreUnavailable) as error:
        store.ping()
    assert "127.0.0.1:1" in str(error.value)
    assert "s3cret" not in str(error.value)
    assert "Can't connect" in str(error.value)


def test_a_store_without_its_schema_says_how_to_create_it(empty_store: Store) -> None:
    with pytest.raises(
        SchemaBehind, match=r": no schema, the code needs \w+; run `python -m tool db upgrade`"
    ):
        empty_store.list_events()
    with pytest.raises(SchemaBehind):
        empty_store.save_event(event())
    empty_store.upgrade()
    assert empty_store.list_events() == []


def test_passwords_never_reach_messages() -> None:
    assert redact("mysql+pymysql://tool:s3cret@db.svc/outcomes") == "mysql+pymysql://tool:***@db.svc/outcomes"
    # An "@" left unescaped in the password: nothing of it may show.
    assert redact("mysql+pymysql://tool:p@ss@db.svc/outcomes") == "mysql+pymysql://tool:***@db.svc/outcomes"
    assert redact("mysql+pymysql://root@127.0.0.1:3306/") == "mysql+pymysql://root@127.0.0.1:3306/"
    assert redact("sqlite:////srv/tool/store.sqlite") == "sqlite:////srv/tool/store.sqlite"
    # A "/" in the password (the old pattern stopped there and showed the rest), and a ":".
    assert redact("mysql+pymysql://tool:pa/ss@db.svc/outcomes") == "mysql+pymysql://tool:***@db.svc/outcomes"
    assert (
        redact("mysql+pymysql://tool:a:b/c@h/d?charset=utf8mb4")
        == "mysql+pymysql://tool:***@h/d?charset=utf8mb4"
    )
    assert redact("not a URL with s3cret") == "(a database URL that cannot be parsed)"


# --- what wikis hold (issue #7, item 10) ---------------------------------------------------------

# 255 bytes of title text (MediaWiki's limit) in a namespace with a long prefix, and non-ASCII
# characters of 2, 3 and 4 bytes so that bytes and characters differ.
LONG_TITLE = "Wikipedia talk:" + "a" * 246 + "é" + "€" + "𝄞"
LONG_USER = "𝄞" * 255  # 255 characters of 4 bytes each: a column counted in bytes would refuse it
LONG_VALUE = "Sub-Saharan Africa " + "ü" * 981  # 1,000 characters


def _strict(store: Store) -> None:
    """MariaDB refuses (never truncates) a value too long for its column only in strict mode."""
    if store.engine.dialect.name == "sqlite":
        return
    with store.engine.connect() as conn:
        mode = conn.execute(sa.text("SELECT @@SESSION.sql_mode")).scalar_one()
    assert "STRICT_TRANS_TABLES" in mode


def test_the_store_takes_what_wikis_hold(store: Store) -> None:
    _strict(store)
    assert len(LONG_TITLE.encode()) - len("Wikipedia talk:") == 255
    long_name = "Wiki Indaba " + "x" * 988
    store.save_event(event(LONG_TITLE, name=LONG_VALUE, context={"region": LONG_VALUE}, cohort=long_name))
    store.replace_participants(LONG_TITLE, [ParticipantRecord(LONG_USER, 3)])
    store.save_cohort(CohortRecord(LONG_TITLE, 20, 200, long_name, [LONG_TITLE], True, [], day(20)))
    store.save_accounts("enwiki", [AccountRecord(LONG_USER, 1, day(1))])
    store.add_contributions("enwiki", [contribution(1, LONG_USER, title=LONG_TITLE)])
    store.add_coverage("enwiki", [LONG_USER], day(1), day(2))
    store.save_snapshot("event", LONG_TITLE, "{}", definitions_version=1, data_time=day(20), partial=False)
    job = store.create_job("sync", LONG_TITLE)

    record = store.get_event(LONG_TITLE)
    assert record is not None
    assert (record.title, record.name, record.context, record.cohort) == (
        LONG_TITLE,
        LONG_VALUE,
        {"region": LONG_VALUE},
        long_name,
    )
    assert [p.user for p in store.participants(LONG_TITLE)] == [LONG_USER]
    cohort = store.get_cohort(LONG_TITLE)
    assert cohort is not None
    assert (cohort.name, cohort.events) == (long_name, [LONG_TITLE])
    assert store.known_accounts("enwiki", [LONG_USER]) == {LONG_USER}
    stored = stored_contributions(store, ["enwiki"], [LONG_USER], day(1), day(2))
    assert [(c.user, c.title) for c in stored] == [(LONG_USER, LONG_TITLE)]
    assert store.uncovered("enwiki", [LONG_USER], day(1), day(2)) == []
    assert store.latest_snapshot("event", LONG_TITLE) is not None
    found = store.get_job(job)
    assert found is not None
    assert found.target == LONG_TITLE


@pytest.mark.mariadb
def test_a_value_too_long_for_its_column_is_refused_not_a_crash(mariadb_database: str) -> None:
    # SQLite stores any length; strict MariaDB refuses, and the store says so as bad input.
    store = Store(mariadb_database)
    store.upgrade()
    _strict(store)
    with pytest.raises(ValueError, match=r"the database refused a value: .*Data too long for column 'user'"):
        store.save_accounts("enwiki", [AccountRecord("x" * 256, 1, day(1))])
    store.dispose()


# --- pages that left the wiki (issue #7, item 7) ------------------------------------------------


def test_a_gone_event_leaves_every_list_and_comes_back_with_its_page(store: Store) -> None:
    store.save_event(event())
    store.save_event(event("Event:Kisumu", page_id=11))
    store.save_cohort(CohortRecord("Cohort:Indaba", 20, 200, "Wiki Indaba", [], True, [], day(20)))
    assert store.mark_gone("event", ["Event:Kisumu"], day(30)) == ["Event:Nairobi"]
    assert store.mark_gone("event", ["Event:Kisumu"], day(31)) == []  # already gone: not again
    assert store.mark_gone("cohort", [], day(30)) == ["Cohort:Indaba"]

    assert [e.title for e in store.list_events()] == ["Event:Kisumu"]
    assert store.get_event("Event:Nairobi") is None
    assert store.get_cohort("Cohort:Indaba") is None
    gone = store.get_event("Event:Nairobi", include_gone=True)
    assert gone is not None
    assert gone.gone_at == day(30)

    # Undeleted (or the template put back): the same revision, so nothing to parse, but visible.
    assert store.mark_gone("event", ["Event:Kisumu", "Event:Nairobi"], day(32)) == []
    back = store.get_event("Event:Nairobi")
    assert back is not None
    assert back.gone_at is None


def test_a_moved_event_is_not_gone(store: Store) -> None:
    store.save_event(event())
    store.mark_gone("event", [], day(30))
    store.rename_event("Event:Nairobi", "Event:Nairobi 2026")
    assert [e.title for e in store.list_events()] == ["Event:Nairobi 2026"]


def test_gone_pages_are_purged_after_the_grace_period(store: Store) -> None:
    store.save_event(event())
    store.save_event(event("Event:Kisumu", page_id=11))
    for title in ("Event:Nairobi", "Event:Kisumu"):
        store.replace_participants(title, [ParticipantRecord("Ana", 5)])
        store.save_snapshot("event", title, "{}", definitions_version=1, data_time=day(20), partial=False)
    store.save_cohort(CohortRecord("Cohort:Indaba", 20, 200, "Wiki Indaba", [], True, [], day(20)))
    store.add_contributions("enwiki", [contribution(1)])
    store.mark_gone("event", ["Event:Kisumu"], day(30))
    store.mark_gone("cohort", [], day(35))

    assert store.purge_gone(day(29)) == []  # gone after that: still within the grace period
    assert store.purge_gone(day(30)) == [("event", "Event:Nairobi")]
    assert store.get_event("Event:Nairobi", include_gone=True) is None
    assert store.participants("Event:Nairobi") == []
    assert store.latest_snapshot("event", "Event:Nairobi") is None
    assert store.purge_gone(day(36)) == [("cohort", "Cohort:Indaba")]
    # What is not the gone page's stays: the other event, and people's contributions.
    assert [p.user for p in store.participants("Event:Kisumu")] == ["Ana"]
    assert store.latest_snapshot("event", "Event:Kisumu") is not None
    assert count_rows(store, "contribution") == 1
