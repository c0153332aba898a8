"""Outcomes computed straight from the farm generator's own record, independently of tool.metrics.

This is the other side of the end-to-end comparison: it reads DESIGN §5 afresh and counts from
``devwiki`` revisions, with none of the tool's code, so an error in the tool's windows, SQL or
tallies shows up as a difference instead of being repeated on both sides.
"""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from devwiki.generator import History, SeedEvent, SeedRevision

DAY = timedelta(days=1)


def _participant_revisions(history: History, event: SeedEvent) -> list[SeedRevision]:
    tracked = set(event.wikis)
    return [r for user in event.participants for r in history.contributions(user) if r.wiki in tracked]


def tracked_or_commons(event: SeedEvent) -> set[str]:
    """DESIGN §5: uploads count on the tracked wikis and on Commons."""
    return {*event.wikis, "commonswiki"}


def expected_outcomes(history: History, event: SeedEvent, now: datetime) -> dict[str, float | int | None]:
    """Figure key → value, or None where the window has not closed at ``now`` (pending)."""
    start, end = event.window()
    revisions = _participant_revisions(history, event)
    during = [r for r in revisions if start <= r.timestamp <= end]
    articles = [r for r in during if r.namespace == 0]
    created = {(r.wiki, r.title) for r in articles if r.new}
    edited = {(r.wiki, r.title) for r in articles}
    registrations = {user: history.user(user).registration for user in event.participants}
    new_editors = {u for u, when in registrations.items() if start - 14 * DAY <= when <= end}

    def closed(stop: datetime) -> bool:
        return now >= stop

    def active(low: datetime, high: datetime | None) -> set[str]:
        return {r.user for r in revisions if low <= r.timestamp and (high is None or r.timestamp < high)}

    figures: dict[str, float | int | None] = {
        "participants": len(event.participants),
        "new_editors": len(new_editors),
    }
    during_closed = now > end
    figures["edits_during"] = len(during) if during_closed else None
    figures["articles_created"] = len(created) if during_closed else None
    figures["articles_improved"] = len(edited - created) if during_closed else None
    figures["bytes_added"] = sum(r.sizediff for r in articles if r.sizediff > 0) if during_closed else None
    figures["bytes_removed"] = -sum(r.sizediff for r in articles if r.sizediff < 0) if during_closed else None
    # File pages created on the tracked wikis and on Commons, tracked or not.
    files = [
        r
        for user in event.participants
        for r in history.contributions(user, start=start, end=end)
        if r.wiki in tracked_or_commons(event) and r.namespace == 6 and r.new
    ]
    figures["uploads"] = len({(r.wiki, r.title) for r in files}) if during_closed else None
    retained_from = end + 7 * DAY
    retained = active(retained_from, None)
    figures["retained_7d"] = len(retained) if now >= retained_from else None
    figures["retained_7d_new"] = len(retained & new_editors) if now >= retained_from else None
    for k in range(1, 7):
        low, high = end + 30 * (k - 1) * DAY, end + 30 * k * DAY
        figures[f"active_month_{k}"] = len(active(low, high)) if closed(high) else None
    for days in (30, 90, 180):
        low, high = end + days * DAY, end + (days + 30) * DAY
        figures[f"retained_{days}d"] = len(active(low, high)) if closed(high) else None
    before = {u: 0 for u in event.participants}
    after = {u: 0 for u in event.participants}
    for r in revisions:
        if start - 56 * DAY <= r.timestamp < start:
            before[r.user] += 1
        if end < r.timestamp <= end + 56 * DAY:
            after[r.user] += 1
    for side, counts, is_closed in (("before", before, now >= start), ("after", after, now > end + 56 * DAY)):
        rates = [n / 8 for n in counts.values()]
        figures[f"edits_per_week_{side}_mean"] = statistics.fmean(rates) if is_closed else None
        figures[f"edits_per_week_{side}_median"] = statistics.median(rates) if is_closed else None
    return figures
