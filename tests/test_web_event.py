"""The event page: what one event's stored snapshot says, in numbers a person can check by hand.

The store is filled as the tool fills it (the event, its people, their contributions and coverage,
accounts), then counted and kept by the refresh's own step (tool.pipeline.refresh.count_and_keep);
the page only reads.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import flask
import pytest
import yaml

from tests.test_store import contribution, day
from tests.test_store import event as event_record
from tool import ROOT, create_app
from tool.config import DEFAULTS
from tool.pipeline.refresh import count_and_keep, refresh_cohorts
from tool.pipeline.schedule import BadSchedule, next_run, nightly_time
from tool.store import AccountRecord, CohortRecord, ParticipantRecord, Store
from tool.web import chartcache
from tool.web.data import runtime
from tool.wiki.problems import Problem

TITLE = "Event:Nairobi training"
START, END = day(14), day(15)  # UTC midnight: 03:00 in Nairobi
NOW = END + timedelta(days=100)  # months 1-3 after the event are closed, month 4 is open
PEOPLE = ["Ana Participant", "Bea Participant"]


def _fill(store: Store) -> None:
    problem = Problem.of("wikis", 7, "problem-unknown-wiki", value="xxwiki")
    store.save_event(
        event_record(
            TITLE,
            name="Nairobi training",
            start=START,
            end=END,
            goals={"participants": 30, "edits_during": 3},
            problems=[problem.to_json()],
        )
    )
    listed = [
        ParticipantRecord(PEOPLE[0], 20),
        ParticipantRecord(PEOPLE[1], 21),
        ParticipantRecord("Nobody Here", 22, exists=False, state="missing"),
    ]
    store.replace_participants(TITLE, listed)
    store.save_accounts(
        "global",
        [AccountRecord(PEOPLE[0], 1, datetime(2015, 1, 1, tzinfo=UTC)), AccountRecord(PEOPLE[1], 2, day(10))],
    )
    store.add_contributions(
        "enwiki",
        [
            contribution(1, PEOPLE[0], START + timedelta(hours=1), new=True, sizediff=100),
            contribution(2, PEOPLE[0], START + timedelta(hours=2), sizediff=-20),
            contribution(4, PEOPLE[0], END + timedelta(days=40), sizediff=5),
        ],
    )
    bea = contribution(3, PEOPLE[1], END - timedelta(hours=1), wiki="swwiki", sizediff=50)
    store.add_contributions("swwiki", [bea])
    for wiki in ("enwiki", "swwiki", "commonswiki"):
        store.add_coverage(wiki, PEOPLE, START - timedelta(days=60), NOW)
    count_and_keep(store, store.get_event(TITLE), store.participants(TITLE), NOW)  # type: ignore[arg-type]


@pytest.fixture
def app(store: Store) -> flask.Flask:
    """On SQLite and on MariaDB (the store fixture): the per-wiki sums are SQL."""
    _fill(store)
    store.save_event(event_record("Event:Not counted", page_id=11, name="Not counted yet"))
    url = store.engine.url.render_as_string(hide_password=False)
    return create_app({"DATABASE_URL": url, "TESTING": True})


def _page(app: flask.Flask, path: str = "/event/Event:Nairobi_training") -> str:
    response = app.test_client().get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _section(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"')[1].split("</section>")[0]


def _row(html: str, label: str) -> str:
    """The text of the table row whose header is ``label``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        if re.search(rf"<th[^>]*>(<a[^>]*>)?{re.escape(label)}(</a>)?</th>", row):
            return _text(row).strip()
    raise AssertionError(f"no row {label!r}")


def test_the_headline_figures_are_the_ones_counted_by_hand(app: flask.Flask) -> None:
    page = _page(app)
    assert "<h1>Nairobi training</h1>" in page
    html = _section(page, "eo-all-figures")
    # Two existing accounts (the missing one is not a participant); Bea registered 4 days before.
    assert _row(html, "Participants").startswith("Participants 2 ")
    assert _row(html, "New editors").startswith("New editors 1 ")
    assert _row(html, "Edits during the event").startswith("Edits during the event 3 ")
    assert _row(html, "Articles created").startswith("Articles created 1 ")
    assert _row(html, "Articles improved").startswith("Articles improved 2 ")
    assert _row(html, "Bytes added").startswith("Bytes added 150 ")
    assert _row(html, "Bytes removed").startswith("Bytes removed 20 ")
    # Ana edited 40 days after the end: month 2 of the curve, one of the two participants.
    assert _row(html, "Active in month 2 after") == "Active in month 2 after 1 of 2 (50%) complete"
    assert _row(html, "Active in month 1 after") == "Active in month 1 after 0 of 2 (0%) complete"


def test_a_pending_figure_shows_no_number_and_says_until_when(app: flask.Flask) -> None:
    html = _section(_page(app), "eo-all-figures")
    month4 = _row(html, "Active in month 4 after")
    assert month4.startswith("Active in month 4 after pending pending Final after")
    assert "0 of" not in month4
    # Month 4 closes 120 days after the end (15 January + 120 days = 15 May 2026).
    assert "May 15, 2026" in month4


def test_the_per_wiki_table_splits_the_event_by_wiki(app: flask.Flask) -> None:
    section = _section(_page(app), "eo-wikis")
    # edits, created, improved, bytes added, bytes removed, uploads
    assert _row(section, "enwiki") == "enwiki 2 1 1 100 20 0"
    assert _row(section, "swwiki") == "swwiki 1 0 1 50 0 0"


def test_goals_say_met_and_not_met(app: flask.Flask) -> None:
    section = _section(_page(app), "eo-goals")
    assert _row(section, "Participants") == "Participants 30 2 not met"
    assert _row(section, "Edits during the event") == "Edits during the event 3 3 met"


def test_what_is_tracked_is_said_in_the_event_time_zone_and_in_utc(app: flask.Flask) -> None:
    text = _text(_page(app))
    assert "Wikis swwiki, enwiki" in text
    assert "Event time (Africa/Nairobi) Jan 14, 2026, 3:00 AM +0300" in text
    assert "Event time (UTC) Jan 14, 2026, 12:00 AM UTC" in text


def test_freshness_and_problems_on_the_wiki_page_with_their_line(app: flask.Flask) -> None:
    text = _text(_page(app))
    with app.app_context():
        snapshot = runtime().store.latest_snapshot("event", TITLE)
    assert snapshot is not None
    computed = snapshot.computed_at
    assert f"Last refresh {computed:%b} {computed.day}, {computed:%Y}" in text
    assert "Contributions complete up to Apr 25, 2026, 12:00 AM UTC" in text  # NOW: synced until then
    assert "Next scheduled refresh" in text
    assert "3:17 AM UTC" in text
    assert "Definitions version 1" in text
    assert "One problem was found on the event's wiki page" in text
    assert re.search(r"Line 7: .*xxwiki", text)


def test_the_page_names_no_participant(app: flask.Flask) -> None:
    html = _page(app)
    for person in (*PEOPLE, "Nobody Here"):
        assert person not in html


def test_an_event_not_counted_yet_says_so_and_shows_no_zeros(app: flask.Flask) -> None:
    html = _page(app, "/event/Event:Not_counted")
    assert "have not been counted yet" in html
    assert 'id="eo-wikis"' not in html
    assert "eo-card__value" not in html


def test_an_unknown_event_is_a_404_page_in_the_users_language(app: flask.Flask) -> None:
    response = app.test_client().get("/event/Event:Nowhere?uselang=fr")
    assert response.status_code == 404
    assert 'lang="fr"' in response.get_data(as_text=True)
    assert app.test_client().get("/event/" + "x" * 300).status_code == 404


def test_in_arabic_the_page_is_right_to_left(app: flask.Flask) -> None:
    html = _page(app, "/event/Event:Nairobi_training?uselang=ar")
    assert 'dir="rtl"' in html


def test_the_next_refresh_is_the_time_jobs_yaml_runs_the_nightly_job() -> None:
    jobs = yaml.safe_load((ROOT / "jobs.yaml").read_text())
    schedule = next(job["schedule"] for job in jobs if job["name"] == "nightly-sync")
    minute, hour, *rest = schedule.split()
    at = nightly_time(DEFAULTS["NIGHTLY_AT"])
    assert (int(hour), int(minute), rest) == (at.hour, at.minute, ["*", "*", "*"])
    assert next_run(datetime(2026, 3, 1, 3, 17, tzinfo=UTC), at) == datetime(2026, 3, 2, 3, 17, tzinfo=UTC)
    assert next_run(datetime(2026, 3, 1, 3, 16, tzinfo=UTC), at) == datetime(2026, 3, 1, 3, 17, tzinfo=UTC)
    for bad in ("3am", "24:00", "03:7", "", "٠٣:١٧"):
        with pytest.raises(BadSchedule):
            nightly_time(bad)


def _cohort(store: Store) -> None:
    """A second event with Ana in it too, and a cohort of both: Ana counts once."""
    second = "Event:Mombasa"
    store.save_event(
        event_record(second, page_id=12, name="Mombasa workshop", start=START, end=END, cohort="Wiki Indaba")
    )
    store.replace_participants(second, [ParticipantRecord(PEOPLE[0], 5)])
    count_and_keep(store, store.get_event(second), store.participants(second), NOW)  # type: ignore[arg-type]
    store.save_cohort(CohortRecord("Cohort:Wiki Indaba", 60, 1, "Wiki Indaba", [], True, [], NOW))
    refresh_cohorts(store, NOW)


def test_a_cohort_counts_each_person_once_and_lists_its_events(app: flask.Flask) -> None:
    with app.app_context():
        _cohort(runtime().store)
    page = _page(app, "/cohort/Cohort:Wiki_Indaba")
    figures = _section(page, "eo-all-figures")
    # Ana is in both events, Bea in one: two people, not three.
    assert _row(figures, "Participants").startswith("Participants 2 ")
    # Both events count Ana's two edits on the same pages (and Bea's): each revision once.
    assert _row(figures, "Edits during the event").startswith("Edits during the event 3 ")
    events = _section(page, "eo-events")
    # The fixture's events all name the cohort "Wiki Indaba", the one never counted too.
    assert "3 events" in events
    rows = [_text(row).strip() for row in re.findall(r"<tr>(.*?)</tr>", events, flags=re.S)][1:]
    assert rows == [
        "Mombasa workshop 2026-01-14 – 2026-01-15 1",
        "Nairobi training 2026-01-14 – 2026-01-15 2",
        "Not counted yet 2026-01-14 – 2026-01-15 not counted yet",
    ]
    assert 'href="/event/Event:Nairobi_training"' in events
    for person in PEOPLE:
        assert person not in page
    assert app.test_client().get("/cohort/Cohort:Nowhere").status_code == 404


def test_the_per_wiki_csv_has_each_cell_with_its_status(app: flask.Flask) -> None:
    response = app.test_client().get("/event/Event:Nairobi_training/wikis.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = [line.split(",") for line in response.get_data(as_text=True).strip().split("\r\n")]
    assert rows[0][:5] == [
        "wiki",
        "edits_during",
        "edits_during_status",
        "articles_created",
        "articles_created_status",
    ]
    assert rows[1][:5] == ["enwiki", "2", "ok", "1", "ok"]
    assert rows[2][:3] == ["swwiki", "1", "ok"]
    assert app.test_client().get("/event/Event:Not_counted/wikis.csv").status_code == 404
    # The page itself is still the event page, whatever its title ends with.
    assert app.test_client().get("/event/Event:Nairobi_training").status_code == 200


def test_the_charts_and_the_links_of_an_event(app: flask.Flask) -> None:
    html = _page(app)
    retention = _section(html, "eo-retention")
    assert "<svg" in retention
    assert 'role="img"' in retention
    # The chart reads each month as the table does: month 2 is one of the two participants.
    assert "1 of 2 (50%)" in retention.split("<table")[0]
    assert "<svg" in _section(html, "eo-rates")
    for link in (
        'href="/event/Event:Nairobi_training/contributions"',
        'href="/event/Event:Nairobi_training/outcomes.csv"',
        'href="/event/Event:Nairobi_training/outcomes.json"',
        'href="/event/Event:Nairobi_training/outcomes.wiki"',
        'href="/event/Event:Nairobi_training/wikis.csv"',
        'href="/definitions#retained_30d"',
    ):
        assert link in html
    client = app.test_client()
    assert client.get("/event/Event:Nairobi_training/outcomes.csv").status_code == 200
    assert client.get("/definitions").status_code == 200
    mirrored = _page(app, "/event/Event:Nairobi_training?uselang=ar")
    assert "<svg" in _section(mirrored, "eo-retention")


def test_charts_are_drawn_once_per_snapshot_and_language_and_kept(app: flask.Flask) -> None:
    with app.app_context():
        store = runtime().store
        snapshot = store.latest_snapshot("event", TITLE)
        assert snapshot is not None
        assert store.drawn_charts(snapshot.id, "en") == {}
        first = _section(_page(app), "eo-retention")
        kept = store.drawn_charts(snapshot.id, "en")
        assert set(kept) == {"retention", "rates"}
        assert kept["retention"] in first  # the page shows what it kept
        # The nightly run draws the rest ahead: every language, once.
        assert chartcache.draw_ahead(store, ["en", "ar", "fr"]) == 2  # Arabic and French were missing
        assert chartcache.draw_ahead(store, ["en", "ar", "fr"]) == 0
        arabic = store.drawn_charts(snapshot.id, "ar")["retention"]
        assert arabic != kept["retention"]  # mirrored, in Arabic words
        assert arabic in _page(app, "/event/Event:Nairobi_training?uselang=ar")
