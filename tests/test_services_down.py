"""Services going away (issue #12, item 3): the database and Redis stopped under a running tool,
then started again.

The servers are the tests' own (tests/services.py: a mariadbd and a redis-server in temporary
folders, on ports of their own), stopped and started for real; the shared ones on 3306 and 6379
are never touched. The app is one object through each test: it recovers without a restart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import flask
import pytest
import redis
import sqlalchemy as sa
from werkzeug.test import TestResponse

from devwiki.faults import FaultPlan, FaultProxy
from tests.listed_events import COHORT, EVENTS, NOW, fill
from tests.routes import Url, urls
from tests.services import OwnMariaDB, OwnRedis, own_mariadb, own_redis
from tests.store_fixtures import migrated
from tool import create_app
from tool.cli.runlock import LockUnavailable, RedisRunLock, job_lock
from tool.pipeline.comparisons import keep_comparisons
from tool.store import Store
from tool.web.auth import USER

ROOT = Path(__file__).resolve().parent.parent
EVENT = EVENTS[0][0]
#: Routes that never read the store: the same answer whether the database is there or not.
STORE_FREE = frozenset(
    {
        "static",
        "assets.codex",
        "auth.login",
        "auth.oauth_callback",
        "auth.logout",
        "api.openapi",
        "info.definitions",
        "info.organizers",
        "actions.register",  # the empty form: what it checks it asks the wiki, on saving
        "actions.settings",  # for a visitor: log in first; an organizer's form is read from the wiki
    }
)
#: What every French page and API answer says while the database is gone (the list's, the
#: downloads' and the other pages' messages all begin so: fr.json's *-store-unavailable).
FRENCH = "La base de données de l’outil"


def _french(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "uselang=fr"


def _answers(client: flask.testing.FlaskClient, found: list[Url]) -> dict[str, int]:
    """The status of every GET route, read whole (a streamed download included)."""
    statuses = {}
    for url in found:
        if "GET" in url.methods:
            response = client.get(url.url)
            response.get_data()
            statuses[url.url] = response.status_code
    return statuses


def _says_the_database_is_gone_in_french(response: TestResponse) -> None:
    assert response.status_code == 503, response.request.path
    if response.mimetype == "application/json":
        error = json.loads(response.get_data(as_text=True))
        message = error["error"]["message"]
        assert message.startswith(FRENCH), message
    else:
        page = response.get_data(as_text=True)
        assert '<html lang="fr"' in page
        assert FRENCH in page, page
        assert "Traceback" not in page


# --- the database ---------------------------------------------------------------------------------


@pytest.fixture
def database() -> Iterator[tuple[OwnMariaDB, str]]:
    """Our own MariaDB with a database filled as the nightly run leaves it (events counted, a
    cohort, the comparisons)."""
    with own_mariadb() as server:
        engine = sa.create_engine(server.url)
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE DATABASE eo CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
        engine.dispose()
        url = migrated(f"{server.url}eo?charset=utf8mb4")
        store = Store(url)
        fill(store)
        keep_comparisons(store, NOW)
        store.dispose()
        yield server, url


def test_without_its_database_every_page_is_a_503_in_the_readers_language_until_it_returns(
    database: tuple[OwnMariaDB, str],
) -> None:
    server, url = database
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    client = app.test_client()
    found = urls(app, EVENT, COHORT)
    before = _answers(client, found)
    reads_store = [u for u in found if "GET" in u.methods and u.endpoint not in STORE_FREE]
    assert all(before[u.url] in (200, 403) for u in reads_store), before  # 403: the organizers' CSV
    assert client.get("/healthz").status_code == 200

    server.stop()
    for url_ in reads_store:
        if url_.endpoint == "health.healthz":
            continue  # a probe's JSON, in no language: below
        _says_the_database_is_gone_in_french(client.get(_french(url_.url)))
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json is not None
    assert health.json["status"] == "degraded"
    assert health.json["store"] is False
    assert "127.0.0.1" not in health.get_data(as_text=True)  # the kind of failure, not the address
    # The pages that never read the store are served as before.
    for url_ in found:
        if "GET" in url_.methods and url_.endpoint in STORE_FREE:
            assert client.get(url_.url).status_code == before[url_.url], url_.url

    server.start()  # the same app object, no restart
    assert client.get("/healthz").status_code == 200
    assert _answers(client, found) == before
    print(
        f"\ndatabase stopped: {len(reads_store) - 1} URLs answered 503 in French and /healthz 503, "
        f"{len(before) - len(reads_store)} store-free URLs unchanged; "
        f"started again: all {len(before)} as before"
    )


# --- Redis ----------------------------------------------------------------------------------------


@pytest.fixture
def listed(tmp_path: Path) -> str:
    url = migrated(f"sqlite:///{tmp_path / 'store.sqlite'}")
    store = Store(url)
    fill(store)
    keep_comparisons(store, NOW)
    store.dispose()
    return url


def test_without_redis_every_page_is_still_served_from_the_store(listed: str) -> None:
    with own_redis() as server:
        app = create_app({"DATABASE_URL": listed, "REDIS_URL": server.url, "TESTING": True})
        client = app.test_client()
        found = urls(app, EVENT, COHORT)
        before = _answers(client, found)
        assert before[f"/event/{EVENT}"] == 200
        server.stop()
        assert _answers(client, found) == before  # every page, nothing crashed
        assert client.get("/healthz").status_code == 200
        server.start()
        assert _answers(client, found) == before


def refresh_refused_while_redis_is_down(
    app: flask.Flask, server: OwnRedis, send_refresh: Callable[[], TestResponse], message_key: str
) -> None:
    """With Redis stopped, the refresh says clearly that it cannot run now, nothing is written, and
    every page is still served; Redis started again, the refresh is taken.

    ``send_refresh()`` posts the refresh as an organizer would (logged in, with the form's CSRF
    token, the page asked with ``uselang=qqx``) and returns the response; ``message_key`` is the
    i18n message that says the refresh cannot run now.
    """
    store: Store = app.extensions["event_outcomes"].store
    version = store.pages_version()
    server.stop()
    try:
        refused = send_refresh()
        assert refused.status_code == 503
        assert f"({message_key})" in refused.get_data(as_text=True)
        assert "(error-server-body)" not in refused.get_data(as_text=True)
        assert store.pages_version() == version  # nothing written
        assert app.test_client().get("/").status_code == 200
    finally:
        server.start()
    taken = send_refresh()
    assert taken.status_code == 303, taken.get_data(as_text=True)


def test_without_redis_a_refresh_says_it_cannot_run_now_and_is_taken_once_it_returns(listed: str) -> None:
    with own_redis() as server:
        app = create_app({"DATABASE_URL": listed, "REDIS_URL": server.url, "REDIS_PREFIX": "eo-test"})
        client = app.test_client()
        with client.session_transaction() as session:
            session[USER] = "Ana Participant"
        event = f"/event/{EVENT}"
        page = client.get(event).get_data(as_text=True)
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

        def send_refresh() -> TestResponse:
            return client.post(f"{event}/refresh?uselang=qqx", data={"csrf_token": token})

        refresh_refused_while_redis_is_down(app, server, send_refresh, "refresh-unavailable-body")
        assert client.get(event).status_code == 200


def test_a_nightly_lock_whose_redis_goes_away_says_so_and_never_crashes() -> None:
    with own_redis() as server:
        config = {"REDIS_URL": server.url, "REDIS_PREFIX": "eo-test"}
        lock = job_lock(config, "nightly")
        assert isinstance(lock, RedisRunLock)
        assert lock.acquire()
        server.stop()
        with pytest.raises(LockUnavailable, match="Redis could not be reached to keep the nightly lock"):
            lock.keep()
        lock.release()  # nothing to release, and no error: the run's own error is the one said
        with pytest.raises(LockUnavailable, match="Redis cannot be reached to take the nightly lock"):
            job_lock(config, "nightly").acquire()
        server.start()  # back, empty (no persistence): the next run takes the lock
        again = job_lock(config, "nightly")
        assert again.acquire()
        again.release()


def _nightly(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tool", "nightly", "--now", "2026-11-01T00:00:00Z", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _rows(url: str, table: str = "contribution") -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.farm
def test_the_nightly_run_without_redis_does_nothing_and_says_why_then_runs_when_it_returns(
    farm: dict[str, Any], tmp_path: Path
) -> None:
    db = migrated(f"sqlite:///{tmp_path / 's.sqlite'}")
    with own_redis() as server:
        env = {
            "TOOL_FARM": farm["status_file"],
            "TOOL_DATABASE_URL": db,
            "TOOL_INSTANCE_PATH": str(tmp_path),
            "TOOL_REDIS_URL": server.url,
            "TOOL_REDIS_PREFIX": "eo-test",
        }
        server.stop()
        refused = _nightly(env)
        assert refused.returncode == 1
        said = "error: Redis cannot be reached to take the nightly lock, so nothing was done"
        assert refused.stderr.startswith(said)
        assert "Traceback" not in refused.stderr
        assert Store(db).list_events() == []  # nothing was done

        server.start()
        done = _nightly(env)
        assert done.returncode == 0, done.stderr
        assert "Nightly run done: 4 events refreshed, 0 of them with failures" in done.stdout
        assert redis.Redis.from_url(server.url).keys("eo-test:*") == []  # the lock was released


@pytest.mark.farm
def test_the_nightly_run_whose_redis_goes_away_half_way_stops_cleanly_and_the_next_run_finishes(
    farm: dict[str, Any], tmp_path: Path
) -> None:
    db = migrated(f"sqlite:///{tmp_path / 's.sqlite'}")
    slow = FaultPlan(rate=0.0, delay=0.05, page_limit=10)  # no faults: a run that takes seconds
    with own_redis() as server, FaultProxy.for_farm(farm, slow) as proxy:
        env = {
            "TOOL_FARM": str(proxy.write_farm(farm, tmp_path / "farm.json")),
            "TOOL_DATABASE_URL": db,
            "TOOL_INSTANCE_PATH": str(tmp_path),
            "TOOL_REDIS_URL": server.url,
            "TOOL_REDIS_PREFIX": "eo-test",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "tool", "nightly", "--now", "2026-11-01T00:00:00Z"],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            while _rows(db) == 0:  # discovery done, the sync under way
                assert process.poll() is None, process.communicate()
                time.sleep(0.05)
            server.stop()
            out, err = process.communicate(timeout=600)
        finally:
            process.kill()
            process.wait()
        stored, kept = _rows(db), _rows(db, "snapshot")
        said = err.strip().splitlines()[-1]  # after the progress bars, the run's last word
        print(
            f"\nRedis stopped half-way: the run stopped with {stored} contributions and {kept} snapshots "
            f"stored; {said}"
        )
        assert process.returncode == 1, out + err
        assert said.startswith("error: Redis could not be reached to keep the nightly lock: the run stopped")
        assert "Traceback" not in err
        assert "Nightly run done" not in out

        server.start()
        env["TOOL_FARM"] = farm["status_file"]
        done = _nightly(env)
        assert done.returncode == 0, done.stderr
        assert "Nightly run done: 4 events refreshed, 0 of them with failures" in done.stdout
        # What the stopped run stored stays; the next run adds the rest: every event, the cohort and
        # the comparisons counted and kept.
        assert _rows(db) >= stored
        assert _rows(db, "snapshot") > kept
