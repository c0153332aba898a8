"""Crash and resume (issue #12, item 2, the sync's half): ``python -m tool sync --all`` killed with
SIGKILL half-way, then run again, ends with what one uninterrupted run stores.

The sync commits every answer it stores (DESIGN §7), so what a killed run stored stays, and the
next run asks only for what is missing (coverage), skipping rows it already has. The killed run
goes through devwiki's fault proxy without faults, only slower and in pages of 10 rows, so it is
still going when the test has seen its first batches committed. SQLite and MariaDB alike.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from devwiki.faults import FaultPlan, FaultProxy
from tests.store_contents import contents, counted_twice
from tests.store_fixtures import migrated, throwaway_mariadb_database
from tool.cli import main

pytestmark = pytest.mark.farm

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-01T00:00:00Z"
# No faults: every answer 50 ms late and 10 rows long, so the sync takes seconds and commits often.
SLOW = FaultPlan(rate=0.0, delay=0.05, page_limit=10)


def _env(farm_file: str, db: str, instance: Path) -> dict[str, str]:
    return {"TOOL_FARM": farm_file, "TOOL_DATABASE_URL": db, "TOOL_INSTANCE_PATH": str(instance)}


def _run(env: dict[str, str], *args: str) -> tuple[int, str]:
    """A CLI command in this process (its standard output returned)."""
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        patch.delenv("TOOL_REDIS_URL", raising=False)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            code = main(list(args))
    return code, out.getvalue()


def _discovered(farm: dict[str, Any], db: str, instance: Path) -> str:
    """``db`` migrated, with the farm's events discovered (what the sync starts from)."""
    instance.mkdir(exist_ok=True)
    migrated(db)
    code, _ = _run(_env(farm["status_file"], db, instance), "discover")
    assert code == 0
    return db


@pytest.fixture(scope="module")
def uninterrupted(farm: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    where = tmp_path_factory.mktemp("uninterrupted")
    db = _discovered(farm, f"sqlite:///{where / 's.sqlite'}", where)
    code, _ = _run(_env(farm["status_file"], db, where), "sync", "--all", "--now", NOW)
    assert code == 0
    return contents(db)


@pytest.fixture(params=["sqlite", "mariadb"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 's.sqlite'}"
    else:
        with throwaway_mariadb_database() as url:
            yield url


def _stored(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM contribution")).scalar_one())


def test_a_sync_killed_half_way_resumes_and_ends_as_an_uninterrupted_one(
    farm: dict[str, Any], uninterrupted: dict[str, Any], store_url: str, tmp_path: Path
) -> None:
    total = sum(len(revs) for revs in uninterrupted["contributions"].values())
    db = _discovered(farm, store_url, tmp_path)
    engine = sa.create_engine(db)
    with FaultProxy.for_farm(farm, SLOW) as proxy:
        env = _env(str(proxy.write_farm(farm, tmp_path / "farm.json")), db, tmp_path)
        process = subprocess.Popen(
            [sys.executable, "-m", "tool", "sync", "--all", "--now", NOW],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # Killed once a quarter of the contributions are committed: some batches, far from all.
            while _stored(engine) < total // 4:
                assert process.poll() is None, "the sync ended before it could be killed"
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)  # no finally, no atexit: as an evicted job
        finally:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    killed_at = _stored(engine)
    engine.dispose()
    assert 0 < killed_at < total  # half-way: some batches committed, not all

    code, out = _run(_env(farm["status_file"], db, tmp_path), "sync", "--all", "--now", NOW)
    print(f"\nkilled with {killed_at} of {total} contributions stored; the next run: {out.splitlines()[0]}")
    assert code == 0
    added = re.search(r"^All events together: (\d+) new contributions", out, re.MULTILINE)
    assert added is not None
    assert killed_at + int(added[1]) == total  # it resumed: nothing fetched twice was stored twice

    resumed = contents(db)
    assert resumed["contributions"] == uninterrupted["contributions"]
    assert counted_twice(resumed["contributions"]) == {}
    assert resumed["snapshots"] == uninterrupted["snapshots"]
    for part in ("events", "cohorts", "participants", "accounts"):
        assert resumed[part] == uninterrupted[part], part
