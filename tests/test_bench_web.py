"""bench/web.py's arithmetic and its client loop, on numbers checkable by hand (no timings asserted)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import flask
import pytest
from werkzeug.serving import make_server

from bench.load import Route, Tally, percentile, run_load, summarize
from bench.web import COHORT_TITLE, ROUTE_NAMES, event_path, report_line, route_mix
from tests.store_fixtures import migrated
from tests.test_store import event
from tool.store import CohortRecord, Store


def test_nearest_rank_percentiles_of_known_lists() -> None:
    hundred = [float(n) for n in range(1, 101)]
    assert [percentile(hundred, p) for p in (50, 95, 99, 100)] == [50, 95, 99, 100]
    ten = [float(n) for n in range(1, 11)]
    # 95 % of ten values is 9.5: the tenth value is the first that at least 95 % are at or below.
    assert [percentile(ten, p) for p in (50, 90, 95, 99)] == [5, 9, 10, 10]
    assert percentile([7.0], 50) == percentile([7.0], 99) == 7
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="not in"):
        percentile(ten, 0)


def test_a_summary_says_milliseconds_rate_and_whether_the_target_held() -> None:
    tally = Tally(seconds=[n / 1000 for n in range(1, 101)])  # 1 ms … 100 ms
    tally.add_error("500")
    tally.add_error("500")
    summary = summarize(Route("event page", "/event/X", target_ms=95), tally, seconds=2)
    assert (summary.requests, summary.errors, summary.why) == (100, 2, {"500": 2})
    assert summary.per_second == 51  # 102 requests in 2 s, the failed ones too
    assert (summary.p50_ms, summary.p95_ms, summary.p99_ms) == pytest.approx((50, 95, 99))
    assert summary.met is True
    assert summarize(Route("list", "/", target_ms=94.9), tally, 2).met is False
    assert summarize(Route("API", "/api/v1/events"), tally, 2).met is None  # no target
    nothing = summarize(Route("list", "/", target_ms=50), Tally(errors=3), 1)
    assert nothing.p95_ms is None
    assert nothing.met is False  # no good answer never meets a target
    line = report_line(summary)
    assert line.startswith("event page")
    assert "p95 ≤ 95 ms: met" in line
    assert "(500: 2)" in line


@pytest.fixture
def server() -> Iterator[str]:
    app = flask.Flask("bench-web-test")
    app.add_url_rule("/ok", "ok", lambda: "fine")
    app.add_url_rule("/boom", "boom", lambda: ("broken", 500))
    running = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{running.server_port}"
    running.shutdown()
    thread.join()


def test_the_clients_count_every_answer_under_its_route(server: str) -> None:
    mix = [Route("fine", "/ok"), Route("broken", "/boom"), Route("fine", "/ok?again")]
    summaries, _ = run_load(server, mix, clients=4, seconds=60, max_requests=6)
    by_name = {s.route.name: s for s in summaries}
    assert list(by_name) == ["fine", "broken"]  # one row per route name, in the mix's order
    # 4 clients × 6 requests, each walking the three-route mix twice: 16 fine, 8 broken.
    assert (by_name["fine"].requests, by_name["fine"].errors) == (16, 0)
    assert (by_name["broken"].requests, by_name["broken"].errors) == (0, 8)
    assert by_name["broken"].why == {"500": 8}


def test_a_server_that_does_not_answer_is_an_error_not_a_latency() -> None:
    summaries, _ = run_load("http://127.0.0.1:9", [Route("down", "/")], clients=2, seconds=60, max_requests=3)
    assert (summaries[0].requests, summaries[0].errors) == (0, 6)
    assert summaries[0].why == {"ConnectionError": 6}


def test_event_paths_are_the_wikis_titles_with_underscores() -> None:
    assert event_path("Event outcomes/Scale/Event 0001") == "/event/Event_outcomes/Scale/Event_0001"
    assert event_path("Event:Lima 2026?") == "/event/Event:Lima_2026%3F"


def test_the_mix_visits_every_route_once_per_event_each_time_another_event(tmp_path: Path) -> None:
    store = Store(migrated(f"sqlite:///{tmp_path / 's.sqlite'}"))
    for n, title in enumerate(["Event:Lima 2026", "Event:Nairobi"], start=1):
        store.save_event(event(title, page_id=n))
    store.save_cohort(
        CohortRecord(
            COHORT_TITLE, 9, 9, "Cohort", events=[], match=False, problems=[], parsed_at=datetime.now(UTC)
        )
    )
    mix = route_mix(store)
    store.dispose()
    assert [route.name for route in mix] == list(ROUTE_NAMES) * 2
    assert [route.path for route in mix if route.name == "event page"] == [
        "/event/Event:Lima_2026",
        "/event/Event:Nairobi",
    ]
    assert [route.path for route in mix if route.name == "API event"] == [
        "/api/v1/event?title=Event%3ALima+2026",
        "/api/v1/event?title=Event%3ANairobi",
    ]
    assert {route.name: route.target_ms for route in mix} == {
        "events list": 50,
        "event page": 50,
        "cohort page": None,
        "comparison": None,
        "API events list": None,
        "API event": None,
    }
