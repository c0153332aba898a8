"""The data types of the farm's synthetic world, and the history's ground-truth queries.

``devwiki.generator`` builds these; the farm imports them, and tests compare the tool's results
against ``History.contributions()``.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

# Bump when the generator's output changes for the same parameters: the farm's cache key uses it.
GENERATOR_VERSION = 2
# The generator's "now": no timestamp is later, and windows that close after it are pending.
NOW = datetime(2026, 11, 1, tzinfo=UTC)
# metawiki first: it holds the event pages that every other step starts from.
WIKI_ORDER = ("metawiki", "enwiki", "swwiki", "commonswiki")


@dataclass(frozen=True)
class Profile:
    """How big the world is; everything else follows from ``seed``."""

    name: str
    seed: int
    participants: int  # participant accounts in total, across all events
    activity: float  # scales how many edits each participant makes in each period
    pool_pages: int  # articles per content wiki that background editors created before any event
    background_edits: int  # edits by background editors to those articles during 2025-2026
    bench_event: bool = False  # one more event with every participant in it (the sync benchmark)

    def cache_key(self) -> str:
        """Changes whenever a parameter or the generator's version does."""
        text = json.dumps({**asdict(self), "generator": GENERATOR_VERSION}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SeedUser:
    name: str
    registration: datetime
    role: str  # "participant", "organizer" or "editor" (a background editor, never a participant)


@dataclass(frozen=True)
class SeedRevision:
    wiki: str
    title: str
    namespace: int
    user: str
    timestamp: datetime
    text: str
    size: int  # bytes of text in UTF-8, as MediaWiki's rev_len
    sizediff: int  # size minus the previous revision's size (the size itself for a creation)
    new: bool
    comment: str


@dataclass(frozen=True)
class SeedEvent:
    title: str
    name: str
    start: date
    end: date
    timezone: str
    wikis: tuple[str, ...]
    context: dict[str, str]
    organizers: tuple[str, ...]
    participants: tuple[str, ...]
    cohort: str | None
    goals: dict[str, int]

    def window(self) -> tuple[datetime, datetime]:
        """W in UTC: the first second of the start day to the last second of the end day (local)."""
        zone = ZoneInfo(self.timezone)
        start = datetime.combine(self.start, time(0, 0, 0), zone).astimezone(UTC)
        end = datetime.combine(self.end, time(23, 59, 59), zone).astimezone(UTC)
        return start, end


@dataclass
class History:
    profile: Profile
    users: list[SeedUser]
    events: list[SeedEvent]
    cohorts: list[tuple[str, str]]  # (metawiki title, cohort name)
    revisions: list[SeedRevision]
    _by_user: dict[str, list[SeedRevision]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_user: dict[str, list[SeedRevision]] = defaultdict(list)
        for revision in self.revisions:
            by_user[revision.user].append(revision)
        self._by_user = {user: sorted(revs, key=_time_order) for user, revs in by_user.items()}

    def wikis(self) -> list[str]:
        present = {r.wiki for r in self.revisions}
        return [w for w in WIKI_ORDER if w in present] + sorted(present - set(WIKI_ORDER))

    def contributions(
        self, user: str, wiki: str | None = None, start: datetime | None = None, end: datetime | None = None
    ) -> list[SeedRevision]:
        """This user's revisions, oldest first, optionally on one wiki and within [start, end]."""
        revisions = self._by_user.get(user, [])
        times = [r.timestamp for r in revisions]
        low = 0 if start is None else bisect_left(times, _aware(start, "start"))
        high = len(revisions) if end is None else bisect_right(times, _aware(end, "end"))
        return [r for r in revisions[low:high] if wiki is None or r.wiki == wiki]

    def revisions_on(self, wiki: str) -> list[SeedRevision]:
        return [r for r in self.revisions if r.wiki == wiki]

    def user(self, name: str) -> SeedUser:
        for user in self.users:
            if user.name == name:
                return user
        raise KeyError(f"no user {name!r} in the {self.profile.name} history")


def _time_order(revision: SeedRevision) -> tuple[datetime, str, str]:
    return revision.timestamp, revision.wiki, revision.title


def _aware(moment: datetime, what: str) -> datetime:
    # Comparing naive and aware datetimes raises deep inside bisect; say what is wrong instead.
    if moment.tzinfo is None:
        raise ValueError(
            f"contributions(): {what} {moment.isoformat()} has no time zone; pass a UTC datetime"
        )
    return moment
