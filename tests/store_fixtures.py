"""A fresh store per test, on SQLite and on MariaDB: the same tests must pass on both."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import service_missing
from tool.metrics.inputs import Contribution
from tool.store import Store

MARIADB_URL = os.environ.get("TOOL_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/")


@contextmanager
def throwaway_mariadb_database() -> Iterator[str]:
    """The URL of a new, empty utf8mb4 database, dropped on leaving."""
    name = f"eo_test_{secrets.token_hex(4)}"
    try:
        server = sa.create_engine(MARIADB_URL)
        with server.begin() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
    except sa.exc.OperationalError as e:
        service_missing(f"MariaDB at {MARIADB_URL} is not reachable: {e.orig}")
    try:
        yield f"{MARIADB_URL.rstrip('/')}/{name}?charset=utf8mb4"
    finally:
        with server.begin() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        server.dispose()


@pytest.fixture(scope="module")
def mariadb_database() -> Iterator[str]:
    """A throwaway utf8mb4 database for one test module, dropped afterwards."""
    with throwaway_mariadb_database() as url:
        yield url


def migrated(url: str) -> str:
    """``url`` with its schema created, as `python -m tool db upgrade` leaves it (nothing else migrates)."""
    store = Store(url)
    store.upgrade()
    store.dispose()
    return url


def stored_contributions(
    store: Store, wikis: Sequence[str], users: Sequence[str], start: datetime, end: datetime
) -> list[Contribution]:
    """The stored contributions in [start, end], as records, read the way evaluation reads them."""
    return [Contribution(*row) for row in store.contribution_tuples(wikis, users, start, end)]


def count_rows(store: Store, table: str) -> int:
    """How many rows ``table`` holds: what a test checks was stored once, not what a caller reads."""
    with store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one())


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store whose schema was never created (its own database, so no other test upgrades it)."""
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
        else:
            url = stack.enter_context(throwaway_mariadb_database())
        store = Store(url)
        stack.callback(store.dispose)
        yield store


@pytest.fixture(params=["sqlite", pytest.param("mariadb", marks=pytest.mark.mariadb)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    else:
        url = request.getfixturevalue("mariadb_database")
    store = Store(url)
    store.upgrade()
    yield store
    if request.param == "mariadb":
        # Each test starts empty: drop what this one created, the schema stays.
        with store.engine.begin() as conn:
            for table in (
                "participant",
                "event",
                "cohort",
                "account",
                "contribution",
                "coverage",
                "snapshot",
                "job",
            ):
                conn.execute(sa.text(f"DELETE FROM {table}"))
    store.dispose()
