"""Refresh as a job, in the browser (issue #10, items 4 and 6), with the embedded default: no Redis,
the job runs on a thread of the web process.

The farm's events are discovered into a fresh store; a person logs in through the farm's OAuth
gateway (tests.test_login.log_in), presses the event page's refresh button and follows the job
on the page: queued or running with the batches read of their total, then the new outcomes. Its
wikis answer through devwiki's fault proxy, without faults but slowly, so the job is still under
way while the test looks at it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import flask
import pytest

from devwiki.faults import FaultPlan, FaultProxy
from tests.conftest import farm_runtime
from tests.store_fixtures import count_rows
from tests.test_login import ALICE, log_in
from tool import create_app
from tool.pipeline import discover
from tool.store import Store

pytestmark = pytest.mark.farm

EVENT = "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"
PATH = "/event/" + quote(EVENT.replace(" ", "_"), safe="/,")  # as the tool writes its links
# No faults: every answer 0.1 s late and 10 rows long, so a refresh takes seconds.
SLOW = FaultPlan(rate=0.0, delay=0.1, page_limit=10)
WAIT = 180.0  # seconds a job may take before the test gives up on it


@pytest.fixture
def store_url(farm: dict[str, Any], tmp_path: Path) -> str:
    """A store holding the farm's events as discovery found them, never refreshed."""
    rt = farm_runtime(farm, tmp_path)
    discover.discover(rt, rt.store)
    rt.store.dispose()
    return str(rt.config["DATABASE_URL"])


@pytest.fixture
def slow_farm(farm: dict[str, Any], tmp_path: Path) -> Iterator[str]:
    """A farm.json whose wikis answer through the slow proxy (the login gateway as it is)."""
    with FaultProxy.for_farm(farm, SLOW) as proxy:
        document = {**proxy.farm_status(farm), "oauth": farm["oauth"]}
        path = tmp_path / "slow-farm.json"
        path.write_text(json.dumps({**document, "status_file": str(path)}))
        yield str(path)


def _app(store_url: str, farm_file: str, **config: Any) -> flask.Flask:
    return create_app(
        {"DATABASE_URL": store_url, "FARM": farm_file, "REDIS_URL": None, "TESTING": True, **config}
    )


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "no form with a CSRF token on the page"
    return found[1]


def _page(client: flask.testing.FlaskClient, path: str = PATH) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _follow(client: flask.testing.FlaskClient) -> list[tuple[str, int, int]]:
    """The job's status as refresh.js reads it, every 0.2 s until it is over: (state, done, total)."""
    seen: list[tuple[str, int, int]] = []
    deadline = time.monotonic() + WAIT
    while True:
        status = client.get(PATH + "/refresh/status")
        assert status.status_code == 200
        assert status.headers["Cache-Control"] == "no-store"
        data = status.get_json()
        seen.append((data["state"], data["done"], data["total"]))
        if not data["active"]:
            return seen
        assert time.monotonic() < deadline, f"the job did not end in {WAIT} s: {seen[-5:]}"
        time.sleep(0.2)


def _snapshots(store_url: str) -> int:
    store = Store(store_url)
    try:
        return count_rows(store, "snapshot")
    finally:
        store.dispose()


def test_a_refresh_runs_as_a_job_the_page_shows_its_progress_then_the_new_outcomes(
    store_url: str, slow_farm: str
) -> None:
    app = _app(store_url, slow_farm)
    client, visitor = app.test_client(), app.test_client()
    before = _page(visitor)
    assert "have not been counted yet" in before
    assert 'href="/login?returnto=' in before
    assert "to refresh the outcomes now" in before
    assert 'action="' + PATH + '/refresh"' not in before  # no button for a visitor

    log_in(client, ALICE)
    page = _page(client)
    assert f'<form class="eo-refresh__form" method="post" action="{PATH}/refresh">' in page
    token = _token(page)

    first = client.post(PATH + "/refresh", data={"csrf_token": token})
    assert (first.status_code, first.headers["Location"]) == (303, PATH + "#eo-refresh")
    # A second request while the first is under way joins it: still one job.
    second = client.post(PATH + "/refresh", data={"csrf_token": token})
    assert second.status_code == 303
    store = Store(store_url)
    assert count_rows(store, "job") == 1

    during = _page(client)
    assert "Your refresh has been queued." in during
    assert "A refresh of this event was already under way: your request joined it." in during
    assert f'data-status-url="{PATH}/refresh/status"' in during
    assert '<script src="/static/refresh.js?v=' in during
    assert "Reload this page to see how far it got." in during
    # A visitor's page shows the refresh under way too, and is not kept while it is.
    assert 'role="status" data-status-url=' in _page(visitor)

    seen = _follow(client)
    print(f"\nthe job as the page saw it: {seen}")
    states = [state for state, _done, _total in seen]
    assert states[-1] == "finished"
    assert set(states) <= {"queued", "running", "finished"}
    running = [(done, total) for state, done, total in seen if state == "running" and total]
    assert running == sorted(running)  # batches only ever go up …
    assert all(0 <= done <= total for done, total in running)
    job = store.latest_job("refresh", EVENT)
    assert job is not None
    assert (job.state, job.done, job.attempts, job.error) == ("finished", job.total, 1, None)
    assert job.total >= 3  # … to one batch per wiki: the event's two, and Commons' uploads

    after = _page(client)
    assert "The last refresh finished" in after
    assert "data-status-url" not in after
    assert "refresh.js" not in after
    assert "have not been counted yet" not in after
    snapshot = store.latest_snapshot("event", EVENT)
    assert snapshot is not None
    figures = json.loads(snapshot.figures)["figures"]
    shown = re.search(r'eo-card__value">([^<]+)<', after)  # the first card: participants
    assert shown is not None
    listed = sum(1 for person in store.participants(EVENT) if person.exists)
    assert shown[1].strip() == str(figures["participants"]["value"]) == str(listed)
    # The visitor sees the new outcomes at once, not a page kept from before.
    assert "The last refresh finished" in _page(visitor)
    # The event's cohort was counted again with it.
    assert store.latest_snapshot("cohort", "Event outcomes/Cohorts/Wiki Indaba trainings 2025-2026")
    store.dispose()


def test_a_post_without_the_forms_token_is_refused_and_changes_nothing(
    store_url: str, farm: dict[str, Any]
) -> None:
    client = _app(store_url, farm["status_file"]).test_client()
    log_in(client, ALICE)
    _token(_page(client))  # the session has a token: the posts below lack it or bring another
    for data in ({}, {"csrf_token": "not-the-token"}):
        refused = client.post(PATH + "/refresh", data=data)
        assert refused.status_code == 400
        assert "This form has expired" in refused.get_data(as_text=True)
    store = Store(store_url)
    assert (count_rows(store, "job"), count_rows(store, "snapshot")) == (0, 0)
    store.dispose()


def test_only_a_logged_in_user_can_ask_for_a_refresh(store_url: str, farm: dict[str, Any]) -> None:
    client = _app(store_url, farm["status_file"]).test_client()
    _page(client)
    with client.session_transaction() as session:  # a visitor's session has a token of its own
        session["csrf_token"] = "a-visitors-token"
    refused = client.post(PATH + "/refresh", data={"csrf_token": "a-visitors-token"})
    assert refused.status_code == 403
    assert "Only logged-in users can refresh" in refused.get_data(as_text=True)
    store = Store(store_url)
    assert count_rows(store, "job") == 0
    store.dispose()


def test_refreshes_are_limited_per_user_with_when_to_try_again(store_url: str, farm: dict[str, Any]) -> None:
    app = _app(store_url, farm["status_file"], REFRESH_LIMIT="2 per hour")
    client = app.test_client()
    log_in(client, ALICE)
    token = _token(_page(client))
    for _ in range(2):
        assert client.post(PATH + "/refresh", data={"csrf_token": token}).status_code == 303
    store = Store(store_url)
    jobs = count_rows(store, "job")
    limited = client.post(PATH + "/refresh", data={"csrf_token": token})
    assert limited.status_code == 429
    text = limited.get_data(as_text=True)
    assert "You have asked for as many refreshes as one person may (2 per 1 hour)" in text
    minutes = re.search(r"Try again in (\d+) minutes?, at ([^<]+)\.", text)
    assert minutes is not None, text
    assert 1 <= int(minutes[1]) <= 60
    assert 1 <= int(limited.headers["Retry-After"]) <= 3601  # the hour, and the second limits adds
    assert count_rows(store, "job") == jobs  # nothing queued by the refused request
    # Another person has requests of their own.
    other = app.test_client()
    log_in(other, "Bob Otieno")
    assert other.post(PATH + "/refresh", data={"csrf_token": _token(_page(other))}).status_code == 303
    store.dispose()


def test_a_failed_refresh_says_why_and_the_last_good_outcomes_stay(
    store_url: str, farm: dict[str, Any]
) -> None:
    app = _app(store_url, farm["status_file"])
    client = app.test_client()
    log_in(client, ALICE)
    token = _token(_page(client))
    assert client.post(PATH + "/refresh", data={"csrf_token": token}).status_code == 303
    assert _follow(client)[-1][0] == "finished"
    store = Store(store_url)
    good = store.latest_snapshot("event", EVENT)
    assert good is not None
    kept = _snapshots(store_url)

    # The organizers broke the page (no dates) and discovery stored it so: it cannot be counted.
    record = store.get_event(EVENT)
    assert record is not None
    store.save_event(replace(record, start=None, end=None))
    assert client.post(PATH + "/refresh", data={"csrf_token": token}).status_code == 303
    assert _follow(client)[-1][0] == "failed"

    page = _page(client)
    assert "The last refresh, asked for" in page
    assert ", failed: " in page
    assert f"{EVENT}: no valid start, end" in page
    assert "The outcomes shown are those of the last refresh that succeeded" in page
    assert _snapshots(store_url) == kept  # no snapshot from the failed refresh
    latest = store.latest_snapshot("event", EVENT)
    assert latest is not None
    assert latest.id == good.id
    job = store.latest_job("refresh", EVENT)
    assert job is not None
    assert job.state == "failed"
    assert job.error is not None
    assert json.loads(job.error)["code"].startswith("evaluate-")
    store.dispose()


def test_the_progress_script_is_the_tools_own_and_the_page_has_no_inline_script(
    store_url: str, farm: dict[str, Any]
) -> None:
    app = _app(store_url, farm["status_file"])
    client = app.test_client()
    log_in(client, ALICE)
    assert client.post(PATH + "/refresh", data={"csrf_token": _token(_page(client))}).status_code == 303
    response = client.get(PATH)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    assert all(re.fullmatch(r'<script src="/static/refresh\.js\?v=[^"]+" defer>', tag) for tag in scripts), (
        scripts
    )
    script = client.get("/static/refresh.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    _follow(client)


def test_without_redis_the_worker_command_says_none_is_needed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tool.cli import main

    monkeypatch.delenv("TOOL_REDIS_URL", raising=False)
    assert main(["worker", "--burst"]) == 1
    assert (
        "No Redis is configured (REDIS_URL): refreshes run inside the web process" in capsys.readouterr().err
    )
