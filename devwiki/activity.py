"""Who edits what and when on the content wikis: the plan of every edit, before any text exists.

Participants edit before (some), during (most) and after their events, with a retention curve
that decays month by month; background editors create the articles first and keep editing; a few
edits sit exactly on window edges, where off-by-one errors show. Each page's edits get distinct
whole-second timestamps, all at or before ``NOW``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from devwiki import articles
from devwiki.people import EDITORS, WITHDRAWN
from devwiki.seed import NOW, Profile, SeedEvent

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)
# Background editors: the first four create and maintain articles; the rest are the withdrawn.
_GNOMES = EDITORS[:4]
_POOL_FROM = datetime(2024, 1, 1, tzinfo=UTC)
_POOL_SPAN = timedelta(days=365)
_BACKGROUND_FROM = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PlannedEdit:
    wiki: str
    title: str
    namespace: int
    user: str
    timestamp: datetime
    kind: str  # "create", "grow" or "shrink"
    comment: str


@dataclass(frozen=True)
class _Own:
    wiki: str
    title: str
    namespace: int
    created: datetime


class Planner:
    def __init__(self, rng: random.Random, profile: Profile) -> None:
        self.rng = rng
        self.profile = profile
        self.edits: list[PlannedEdit] = []
        self._taken: dict[tuple[str, str], set[datetime]] = defaultdict(set)
        self._pool: dict[str, list[str]] = {}
        self._own: dict[str, list[_Own]] = defaultdict(list)  # pages each person created
        self._files = 0

    # --- placing edits -----------------------------------------------------------------------

    def _place(self, edit: PlannedEdit, exact: bool = False) -> bool:
        """Add an edit at a second no other edit of its page holds (exact: that second or nothing)."""
        taken = self._taken[(edit.wiki, edit.title)]
        when = edit.timestamp.replace(microsecond=0)
        step = SECOND
        while when in taken and not exact:
            when += step
            if when > NOW:  # never past NOW: look backwards instead
                when, step = edit.timestamp.replace(microsecond=0), -SECOND
        if when in taken:
            return False
        taken.add(when)
        self.edits.append(
            PlannedEdit(edit.wiki, edit.title, edit.namespace, edit.user, when, edit.kind, edit.comment)
        )
        return True

    def _moment(self, low: datetime, high: datetime) -> datetime | None:
        """A random whole second in [low, high], capped at NOW; None when the span is empty."""
        high = min(high, NOW)
        if high < low:
            return None
        return low + timedelta(seconds=self.rng.randrange(int((high - low).total_seconds()) + 1))

    # --- background editors ------------------------------------------------------------------

    def seed_pool(self) -> None:
        """Articles (and Commons files) that exist before every event, created in 2024."""
        sizes = {"enwiki": self.profile.pool_pages, "swwiki": self.profile.pool_pages}
        sizes["commonswiki"] = max(3, self.profile.pool_pages // 4)
        for wiki, count in sizes.items():
            titles = []
            for index in range(count):
                when = _POOL_FROM + timedelta(seconds=self.rng.randrange(int(_POOL_SPAN.total_seconds())))
                namespace = 6 if wiki == "commonswiki" else 0
                title = self._file_title(when) if namespace == 6 else articles.pool_title(wiki, index)
                self._place(
                    PlannedEdit(wiki, title, namespace, self.rng.choice(_GNOMES), when, "create", "New page")
                )
                titles.append(title)
            self._pool[wiki] = titles

    def background(self) -> None:
        """Non-participants keep editing the same articles through 2025 and 2026."""
        for _ in range(self.profile.background_edits):
            wiki = self.rng.choice(("enwiki", "enwiki", "swwiki", "commonswiki"))
            when = self._moment(_BACKGROUND_FROM, NOW)
            if when is not None:
                self._improve(wiki, self.rng.choice(_GNOMES), when)

    # --- one edit of each kind ---------------------------------------------------------------

    def _file_title(self, when: datetime) -> str:
        self._files += 1
        return articles.file_title(self.rng, when, self._files)

    def _create_article(self, wiki: str, user: str, when: datetime) -> None:
        title = articles.biography_title(self.rng)
        while self._taken.get((wiki, title)):
            role = self.rng.choice(("writer", "activist", "teacher"))
            title = f"{title.rsplit(' (', 1)[0]} ({role} {len(self.edits)})"
        self._place(PlannedEdit(wiki, title, 0, user, when, "create", "Created article"))
        self._own[user].append(_Own(wiki, title, 0, when))

    def _upload(self, user: str, when: datetime) -> None:
        title = self._file_title(when)
        self._place(PlannedEdit("commonswiki", title, 6, user, when, "create", "Uploaded own work"))
        self._own[user].append(_Own("commonswiki", title, 6, when))

    def _improve(self, wiki: str, user: str, when: datetime) -> None:
        """Edit an existing page: one's own (if created before ``when``) or one from the pool."""
        own = [p for p in self._own.get(user, []) if p.wiki == wiki and p.created < when]
        if own and self.rng.random() < 0.3:
            page = self.rng.choice(own)
            title, namespace = page.title, page.namespace
        else:
            title, namespace = self.rng.choice(self._pool[wiki]), 6 if wiki == "commonswiki" else 0
        kind = "shrink" if self.rng.random() < 0.2 else "grow"
        comment = "Copyedit, removed unsourced claim" if kind == "shrink" else "Expanded with sources"
        self._place(PlannedEdit(wiki, title, namespace, user, when, kind, comment))

    def content_edit(self, wiki: str, user: str, when: datetime, during: bool) -> None:
        """One participant edit: mostly improvements, creations (more during events), talk and user pages."""
        roll = self.rng.random()
        if wiki == "commonswiki":
            if roll < 0.8:
                self._upload(user, when)
            else:
                self._improve(wiki, user, when)
        elif roll < (0.22 if during else 0.08):
            self._create_article(wiki, user, when)
        elif roll < 0.82:
            self._improve(wiki, user, when)
        elif roll < 0.91:
            title = f"Talk:{self.rng.choice(self._pool[wiki])}"
            self._place(PlannedEdit(wiki, title, 1, user, when, "grow", "Question about sources"))
        else:
            self._place(PlannedEdit(wiki, f"User:{user}", 2, user, when, "grow", "About me"))

    # --- people at events --------------------------------------------------------------------

    def participate(self, user: str, registered: datetime, event: SeedEvent) -> None:
        start, end = event.window()
        scale = self.profile.activity
        editing = [w for w in event.wikis if w != "commonswiki"] or list(event.wikis)
        if self.rng.random() < 0.55:  # an existing editor, active in the 8 weeks before
            self._burst(
                user,
                editing,
                max(registered, start - 56 * DAY),
                start - SECOND,
                self.rng.randint(1, 5) * scale,
            )
        if self.rng.random() < 0.92:  # the rest signed up and did not show
            self._burst(
                user, editing, max(registered, start), end, self.rng.randint(2, 8) * scale, during=True
            )
            if "commonswiki" in event.wikis and self.rng.random() < 0.6:
                self._burst(
                    user, ["commonswiki"], max(registered, start), end, self.rng.randint(1, 3), during=True
                )
        for month in range(7):
            # The retention curve: fewer people come back each month after the event.
            if self.rng.random() < 0.7 * 0.72**month:
                low = end + month * 30 * DAY
                self._burst(user, editing, low, low + 30 * DAY - SECOND, self.rng.randint(1, 4) * scale * 0.6)

    def _burst(
        self, user: str, wikis: list[str], low: datetime, high: datetime, count: float, during: bool = False
    ) -> None:
        for _ in range(max(1, round(count))):
            when = self._moment(low, high)
            if when is not None:
                self.content_edit(self.rng.choice(wikis), user, when, during)

    def bystanders(self, event: SeedEvent, index: int) -> None:
        """Organizers and the withdrawn person edit during the event too, without being participants."""
        start, end = event.window()
        editing = [w for w in event.wikis if w != "commonswiki"]
        for user in (*event.organizers, WITHDRAWN[index % len(WITHDRAWN)]):
            for _ in range(self.rng.randint(1, 3)):
                when = self._moment(start, end)
                if when is not None:
                    self.content_edit(self.rng.choice(editing), user, when, during=True)

    def edges(self, event: SeedEvent, registrations: dict[str, datetime]) -> None:
        """Edits exactly on the windows' edges (DESIGN §5 bounds), one per participant for the first few."""
        start, end = event.window()
        moments = (
            (end, "last second of W: during"),
            (end + SECOND, "first second after W: not during"),
            (start, "first second of W: during"),
            (start - SECOND, "last second before W: not during"),
            (end + 7 * DAY, "end + 7 days exactly: retained_7d"),
            (end + 7 * DAY - SECOND, "one second short of retained_7d"),
            (end + 30 * DAY, "first second of active month 2"),
            (end + 30 * DAY - SECOND, "last second of active month 1"),
        )
        wiki = next(w for w in event.wikis if w != "commonswiki")
        people = event.participants
        for index, (moment, why) in enumerate(moments):
            # The index-th participant, or the next one who already had an account at that moment.
            user = next((p for p in people[index:] + people[:index] if registrations[p] <= moment), None)
            if user is None or moment > NOW:
                continue
            # Half in the article namespace (bytes and articles_improved), half on the user page.
            kind = "shrink" if index % 4 == 3 else "grow"
            article = PlannedEdit(wiki, self._pool[wiki][index], 0, user, moment, kind, why)
            if index % 2 == 1 and self._place(article, exact=True):
                continue
            self._place(PlannedEdit(wiki, f"User:{user}", 2, user, moment, "grow", why), exact=True)
