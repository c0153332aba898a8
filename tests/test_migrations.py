"""The Alembic migrations build exactly the schema the models describe, on SQLite and MariaDB."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext

from tool.store import EventRecord, ParticipantRecord, SchemaBehind, Store, StoreUnavailable
from tool.store.engine import MIGRATIONS, schema_head
from tool.store.models import Base


def test_migrated_schema_matches_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_the_head_revision_is_recorded(store: Store) -> None:
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == schema_head() == "0008"


def test_upgrading_from_0001_keeps_stored_pages_and_indexes(empty_store: Store) -> None:
    """A store created before 0002 keeps its events and cohorts; none of them is gone."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with empty_store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        common = {"page_id": 1, "rev_id": 2, "problems": "[]", "parsed_at": datetime(2026, 1, 1)}
        event = {
            **common,
            "title": "Event:Nairobi",
            "name": "Nairobi",
            "fields": "{}",
            "context": '{"region": "Sub-Saharan Africa"}',
            "goals": "{}",
            "timezone": "UTC",
            "wikis": '["swwiki"]',
            "namespaces": "[0]",
            "cohort": "Wiki Indaba",
        }
        conn.execute(_insert("event", event))
        participant = {
            "event_id": 1,
            "user": "Ana",
            "line": 3,
            "source": "page",
            "exists": True,
            "state": "ok",
        }
        conn.execute(_insert("participant", {"id": 1, **participant}))
        cohort = {**common, "title": "Cohort:Indaba", "name": "Wiki Indaba", "events": "[]", "match": True}
        conn.execute(_insert("cohort", cohort))
    # Behind the code: refused, with the fix, and nothing read or written on the old schema.
    with pytest.raises(
        SchemaBehind, match=rf"version 0001, the code needs {schema_head()}; run `python -m tool db upgrade`"
    ):
        empty_store.get_event("Event:Nairobi")
    empty_store.upgrade()
    record = empty_store.get_event("Event:Nairobi")
    assert record is not None
    assert (record.context, record.cohort, record.gone_at) == (
        {"region": "Sub-Saharan Africa"},
        "Wiki Indaba",
        None,
    )
    # SQLite rebuilds the event table in 0002: its participants must not go with the old one.
    assert [p.user for p in empty_store.participants("Event:Nairobi")] == ["Ana"]
    stored = empty_store.get_cohort("Cohort:Indaba")
    assert stored is not None
    assert (stored.name, stored.gone_at) == ("Wiki Indaba", None)
    with empty_store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def _insert(table: str, values: dict[str, object]) -> sa.Insert:
    return sa.insert(sa.table(table, *(sa.column(name) for name in values))).values(**values)


def test_a_schema_newer_than_the_code_is_not_sent_to_db_upgrade(store: Store) -> None:
    """A database migrated by newer code (then rolled back): upgrading cannot help, so it is not advised."""
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    newer = Store(store.url)
    with pytest.raises(StoreUnavailable, match=r"schema version 9999 is newer than this code knows") as error:
        newer.list_events()
    assert not isinstance(error.value, SchemaBehind)
    newer.dispose()
    # The MariaDB database serves the module's later tests: back to the code's version.
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :head"), {"head": schema_head()})


def test_0003_counts_listed_people_on_an_index_and_downgrades(store: Store) -> None:
    """0003 swaps the participant index; back to 0002 and up again, on MariaDB's foreign key too."""
    store.save_event(_listing_event())
    store.replace_participants("Event:Nairobi", [ParticipantRecord("Ana", 1), ParticipantRecord("Bo", 2)])
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with _migrating(store) as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0002")
        assert {i["name"] for i in sa.inspect(conn).get_indexes("participant")} == {"ix_participant_event_id"}
        command.upgrade(config, "head")
        assert {i["name"] for i in sa.inspect(conn).get_indexes("participant")} == {
            "participant_event_exists"
        }
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert [listing.listed for listing in store.event_listings()] == [2]


@contextmanager
def _migrating(store: Store) -> Iterator[sa.Connection]:
    """A transaction as ``Store.upgrade`` migrates in: on SQLite with foreign keys off (engine.py)."""
    with store.engine.connect() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                yield conn
        finally:
            if store.engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def _listing_event() -> EventRecord:
    return EventRecord(
        title="Event:Nairobi",
        page_id=1,
        rev_id=2,
        name="Nairobi",
        fields={},
        context={},
        goals={},
        problems=[],
        start=None,
        end=None,
        timezone="UTC",
        wikis=["swwiki"],
        namespaces=[0],
        cohort=None,
        registration=None,
        parsed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
