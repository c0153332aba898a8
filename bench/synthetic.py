"""A large synthetic event written straight into a store, for the outcomes benchmark.

10,000 participants and 1,000,000 contributions would take hours to import into the farm's
MediaWiki; the outcomes computation only reads the store, so the rows are generated into it.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tool.metrics import Contribution
from tool.metrics.inputs import COMMONS_FILES
from tool.store import AccountRecord, EventRecord, ParticipantRecord, Store

START = datetime(2025, 5, 1, tzinfo=UTC)
END = datetime(2025, 5, 31, 23, 59, 59, tzinfo=UTC)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
WIKIS = ("enwiki", "swwiki")
TITLE = "Event outcomes/Benchmark/Synthetic"


def fill_store(url: str, participants: int, contributions: int, seed: int = 7) -> tuple[Store, str, datetime]:
    rng = random.Random(seed)
    store = Store(url)
    store.upgrade()
    users = [f"Synthetic user {n}" for n in range(participants)]
    store.save_event(
        EventRecord(
            title=TITLE,
            page_id=1,
            rev_id=1,
            name="Synthetic",
            fields={},
            context={"region": "Global"},
            goals={},
            problems=[],
            start=START,
            end=END,
            timezone="UTC",
            wikis=list(WIKIS),
            namespaces=[0],
            cohort=None,
            registration=None,
            parsed_at=NOW,
        )
    )
    store.replace_participants(
        TITLE,
        [
            ParticipantRecord(user=u, line=i + 1, source="page", exists=True, state="ok")
            for i, u in enumerate(users)
        ],
    )
    for wiki in WIKIS:
        store.save_accounts(
            wiki,
            [
                AccountRecord(
                    user=u,
                    user_id=i + 1,
                    registration=START - timedelta(days=rng.randrange(1, 900)),
                    state="ok",
                )
                for i, u in enumerate(users)
            ],
        )
    low = START - timedelta(weeks=8)
    span = int((NOW - low).total_seconds())
    batch: dict[str, list[Contribution]] = {wiki: [] for wiki in WIKIS}
    for rev in range(1, contributions + 1):
        wiki = WIKIS[rev % len(WIKIS)]
        batch[wiki].append(
            Contribution(
                wiki=wiki,
                rev_id=rev,
                user=users[rng.randrange(participants)],
                page_id=rng.randrange(1, 200_000),
                namespace=rng.choice((0, 0, 0, 1, 2, 4, 6)),
                title=f"Page {rev}",
                timestamp=low + timedelta(seconds=rng.randrange(span)),
                sizediff=rng.randrange(-500, 2000),
                new=rng.random() < 0.05,
            )
        )
        if len(batch[wiki]) >= 50_000:
            store.add_contributions(wiki, batch[wiki])
            batch[wiki] = []
    for wiki, rows in batch.items():
        store.add_contributions(wiki, rows)
        store.add_coverage(wiki, users, low, NOW)
    # Their Commons files were synced too (they uploaded none), so the uploads are not partial.
    store.add_coverage(COMMONS_FILES, users, low, NOW)
    return store, TITLE, NOW
