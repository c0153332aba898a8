"""Tables (DESIGN §6). The schema itself is created by the Alembic migrations in migrations/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tool.store.types import UTCDateTime


# Binary collation on MariaDB: its default (utf8mb4_general_ci) would make "Ana" and "ANA", or
# "Élan" and "Elan", the same user — MediaWiki names are case- and accent-sensitive.
def _binary(length: int) -> String:
    return String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
    )


# Page titles: MediaWiki allows 255 *bytes* of title text, plus a namespace prefix (which may be
# localized and long): 512 characters. A unique index over 512 utf8mb4 characters is 2,048 bytes,
# within InnoDB's 3,072-byte key limit (DYNAMIC rows, MariaDB's default).
TITLE = _binary(512)
# User names: at most 255 bytes ($wgMaxNameChars), so 255 characters always hold one; indexed with
# the wiki's dbname (256 bytes), 1,276 bytes.
USER = _binary(255)
# Free text from a page (an event's name, a cohort's name): as long as a page allows (2 MB), so
# MEDIUMTEXT (16 MB) on MariaDB, where TEXT stops at 64 KB. Never indexed: nothing here can be
# too long for a key.
PAGE_TEXT = Text().with_variant(
    mysql.MEDIUMTEXT(charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
)
DBNAME = String(64)


class Base(DeclarativeBase):
    pass


class Wiki(Base):
    __tablename__ = "wiki"
    dbname: Mapped[str] = mapped_column(DBNAME, primary_key=True)
    api: Mapped[str] = mapped_column(String(512))


class Event(Base):
    __tablename__ = "event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(TITLE, unique=True)
    page_id: Mapped[int] = mapped_column(BigInteger, index=True)
    rev_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(PAGE_TEXT)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    context: Mapped[dict[str, Any]] = mapped_column(JSON)
    goals: Mapped[dict[str, Any]] = mapped_column(JSON)
    problems: Mapped[list[Any]] = mapped_column(JSON)
    start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    wikis: Mapped[list[Any]] = mapped_column(JSON)
    namespaces: Mapped[list[Any]] = mapped_column(JSON)
    # The cohort's name as the page writes it; cohort membership is matched in Python (letter case
    # and spaces do not make another cohort, tool/wiki/cohortpage.py), so no index.
    cohort: Mapped[str | None] = mapped_column(PAGE_TEXT)
    registration: Mapped[int | None] = mapped_column(BigInteger)
    parsed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When discovery found the page deleted or no longer using the template; hidden from then on.
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How many of its listed people have an account, kept when its participants are replaced: the
    # events list shows it for every event on every view, so it is read there, not counted.
    listed: Mapped[int] = mapped_column(Integer, server_default="0")


class Cohort(Base):
    __tablename__ = "cohort"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(TITLE, unique=True)
    page_id: Mapped[int] = mapped_column(BigInteger, index=True)
    rev_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(PAGE_TEXT)
    events: Mapped[list[Any]] = mapped_column(JSON)
    match: Mapped[bool] = mapped_column(Boolean)
    problems: Mapped[list[Any]] = mapped_column(JSON)
    parsed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Participant(Base):
    __tablename__ = "participant"
    # An event's people, and how many of them exist counted from the index alone: the events list
    # counts them for every event on each view of the home page (docs/performance.md).
    __table_args__ = (Index("participant_event_exists", "event_id", "exists"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    user: Mapped[str] = mapped_column(USER)
    line: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(32))
    exists: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(16))
    global_user_id: Mapped[int | None] = mapped_column(BigInteger)


class Account(Base):
    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("wiki", "user", name="account_wiki_user"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wiki: Mapped[str] = mapped_column(DBNAME)  # a dbname, or "global" (CentralAuth)
    user: Mapped[str] = mapped_column(USER)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    registration: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16))


class Contribution(Base):
    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("wiki", "rev_id", name="contribution_wiki_rev"),
        # One person's history on a wiki (sync coverage, the per-person windows of the outcomes).
        Index("contribution_wiki_user_time", "wiki", "user", "timestamp"),
        # Everything in an event's window, read from the index alone: the outcomes' "during" figures
        # for 10,000 people need no table lookups (docs/performance.md).
        Index(
            "contribution_wiki_time_cover",
            "wiki",
            "timestamp",
            "user",
            "namespace",
            "page_id",
            "sizediff",
            "new",
            "rev_id",
        ),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    wiki: Mapped[str] = mapped_column(DBNAME)
    rev_id: Mapped[int] = mapped_column(BigInteger)
    user: Mapped[str] = mapped_column(USER)
    page_id: Mapped[int] = mapped_column(BigInteger)
    namespace: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(TITLE)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime)
    sizediff: Mapped[int | None] = mapped_column(Integer)
    new: Mapped[bool] = mapped_column(Boolean)


class Coverage(Base):
    """[start, end]: every contribution of ``user`` on ``wiki`` in it is stored."""

    __tablename__ = "coverage"
    __table_args__ = (Index("coverage_wiki_user", "wiki", "user"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    wiki: Mapped[str] = mapped_column(DBNAME)
    user: Mapped[str] = mapped_column(USER)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)


class Snapshot(Base):
    __tablename__ = "snapshot"
    __table_args__ = (Index("snapshot_target", "kind", "target", "computed_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(TITLE)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    data_time: Mapped[datetime] = mapped_column(UTCDateTime)
    definitions_version: Mapped[int] = mapped_column(Integer)
    figures: Mapped[str] = mapped_column(Text)
    partial: Mapped[bool] = mapped_column(Boolean)


class Chart(Base):
    """A chart of a snapshot as drawn for one language (tool.web.chartcache): drawn once, read often."""

    __tablename__ = "chart"
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("snapshot.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    language: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    svg: Mapped[str] = mapped_column(PAGE_TEXT)


class Job(Base):
    """A long task (an event's refresh) and how far it got: the page of its target shows the newest."""

    __tablename__ = "job"
    __table_args__ = (Index("job_target", "kind", "target"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(TITLE)
    state: Mapped[str] = mapped_column(String(16))
    progress: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(UTCDateTime)
    started: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Batches done of their total (a refresh: one per wiki read), and how many times it was started.
    done: Mapped[int] = mapped_column(Integer, server_default="0")
    total: Mapped[int] = mapped_column(Integer, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")


class StoreStamp(Base):
    """How often the data the outcomes are counted from has changed (one row).

    Every write of contributions, coverage, accounts or participants adds one in its own
    transaction; an event's facts remember the stamp they were counted at, so facts counted
    before a change are counted again, and facts counted after none are read as they are.
    """

    __tablename__ = "store_stamp"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class FactEvent(Base):
    """An event's own counts (tool.store.facts), and what they were counted from.

    The sums are over the event's rows in fact_revision and fact_page; a group adds the sums of
    its events and takes away what two of its events both counted (fact_shared).
    """

    __tablename__ = "fact_event"
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)  # the time the windows were bounded at
    stamp: Mapped[int] = mapped_column(BigInteger)  # StoreStamp.version when counted
    spec_key: Mapped[str] = mapped_column(String(64))  # the dates, wikis and namespaces counted for
    # Nothing stored lay after as_of: the same counts hold at any later time until the stamp moves.
    closed: Mapped[bool] = mapped_column(Boolean)
    edits: Mapped[int] = mapped_column(BigInteger)
    bytes_added: Mapped[int] = mapped_column(BigInteger)
    bytes_removed: Mapped[int] = mapped_column(BigInteger)
    sizes_unknown: Mapped[int] = mapped_column(BigInteger)
    pages_edited: Mapped[int] = mapped_column(BigInteger)
    pages_created: Mapped[int] = mapped_column(BigInteger)
    uploads: Mapped[int] = mapped_column(BigInteger)


class FactMember(Base):
    """One person at one event: what the per-person figures of any group need from them."""

    __tablename__ = "fact_member"
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    user: Mapped[str] = mapped_column(USER, primary_key=True)
    registration: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new: Mapped[bool] = mapped_column(Boolean)  # registered in this event's new-editor window
    checked: Mapped[bool] = mapped_column(Boolean)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uploads_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edits_before: Mapped[int] = mapped_column(Integer)
    edits_after: Mapped[int] = mapped_column(Integer)
    active: Mapped[int] = mapped_column(Integer)  # bit i: edited in RETENTION_KEYS[i]'s window


class FactRevision(Base):
    """A revision in the event's window on a wiki it tracks (its edits and bytes)."""

    __tablename__ = "fact_revision"
    __table_args__ = (Index("fact_revision_key", "wiki", "rev_id"),)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    wiki: Mapped[str] = mapped_column(DBNAME, primary_key=True)
    rev_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article: Mapped[bool] = mapped_column(Boolean)  # in the event's article namespaces
    sizediff: Mapped[int | None] = mapped_column(Integer)


class FactPage(Base):
    """A page the event edited in its article namespaces, created there, or uploaded."""

    __tablename__ = "fact_page"
    __table_args__ = (Index("fact_page_key", "wiki", "page_id"),)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    wiki: Mapped[str] = mapped_column(DBNAME, primary_key=True)
    page_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    edited: Mapped[bool] = mapped_column(Boolean)
    created: Mapped[bool] = mapped_column(Boolean)
    upload: Mapped[bool] = mapped_column(Boolean)


class FactShared(Base):
    """An event's revision ("rev") or page ("page") that another event counted too, at some time.

    Both events get a row when the second one counts it, so a group finds what its events share
    from its own events' rows. A row outlives the other event letting go of the revision or page
    (it then corrects nothing), so counting an event never rewrites the others'.
    """

    __tablename__ = "fact_shared"
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    wiki: Mapped[str] = mapped_column(DBNAME, primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
