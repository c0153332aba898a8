"""Outcomes of an event, or of a group of events counting each person and page once.

Group semantics (a cohort, or every event of one region, language, …):

- participants: distinct existing accounts over all events.
- new_editors: people whose registration is in [start − 14 d, end] of any of their events.
- edits_during, bytes: distinct revisions inside W of an event the author takes part in, on a
  wiki that event tracks (and, for bytes, in its article namespaces).
- articles_created / improved, uploads: distinct (wiki, page) across events; uploads also on
  Commons when an event does not track it.
- retained_7d, active_month_k, retained_N: a person counts when they edited in that window
  after any of their events. retained_7d_new: new editors (as above) who count for retained_7d.
- edits_per_week_before / after: per person, the 8 weeks before their first event's start and
  after their last event's end, so no edit is counted twice.

A group figure is pending while the window is open for every event, and partial while it is
open for some, or while the data of one person at one event stops short — judged from that
event's own floor, since each event's people are synced from there. One event is the group of
one, so both follow the same code.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from tool.metrics.goals import evaluate_goals
from tool.metrics.inputs import (
    COMMONS,
    COMMONS_FILES,
    Coverage,
    EventSpec,
    Person,
    require_aware,
)
from tool.metrics.outcomes import Figure, Outcomes
from tool.metrics.tally import Attendance, Plan, Tally
from tool.metrics.windows import RATE_WEEKS, RETENTION_KEYS, Status, Window

# DESIGN §5: a new editor registered at most 14 days before the start (people often create their
# account in the days before a training).
NEW_EDITOR_LEAD = timedelta(days=14)


@dataclass(frozen=True)
class Membership:
    """A person at one event, and up to when the data holds them, from that event's own floor."""

    user: str
    plan: Plan
    until: datetime | None  # the earliest over the event's wikis; None if one was never fetched
    uploads_until: datetime | None  # the same with Commons' files, where uploads also count


def compute_event(
    spec: EventSpec, people: Iterable[Person], coverage: Coverage, now: datetime, tally: Tally
) -> Outcomes:
    """Every figure of one event, and its goals, from its counts (``tally``)."""
    outcomes = compute_group([(spec, people)], coverage, now, tally)
    return replace(outcomes, goals=evaluate_goals(spec.goals, outcomes.figures))


def compute_group(
    events: Sequence[tuple[EventSpec, Iterable[Person]]], coverage: Coverage, now: datetime, tally: Tally
) -> Outcomes:
    """Every figure of a group of events, counting distinct people and pages (module docstring).

    ``tally``: the group's counts, gathered for the people of ``attendance_of`` the same events —
    by the store's SQL aggregation (tool.store.tally) in the tool, by the pure reference
    (tool.metrics.tally.tally_contributions) in the definition tests.
    """
    require_aware(now, "now")
    plans = [Plan.of(spec) for spec, _ in events]
    people_per_event = [list(people) for _, people in events]
    attendance, registrations = attendance_of(plans, people_per_event)
    memberships = _memberships(attendance, coverage)
    figures = {
        "participants": Figure(len(attendance), "ok"),
        **_new_editor_figures(attendance, registrations, tally, plans, memberships, now),
        **_during_figures(tally, plans, memberships, now),
        **_retention_figures(tally, plans, memberships, now, len(attendance)),
        **_rate_figures("before", tally.edits_before, attendance, plans, memberships, now),
        **_rate_figures("after", tally.edits_after, attendance, plans, memberships, now),
    }
    if any(person.exists and not person.checked for people in people_per_event for person in people):
        figures = _partial_per_person(figures)
    return Outcomes(computed_at=now, data_until=_data_until(memberships), figures=figures)


# Figures that only sum revisions: a listed name that turns out not to be an account adds nothing
# to them. Every other figure counts or averages over the people, so it depends on who took part.
_SUMS = frozenset(
    {"edits_during", "articles_created", "articles_improved", "bytes_added", "bytes_removed", "uploads"}
)


def _partial_per_person(figures: Mapping[str, Figure]) -> dict[str, Figure]:
    """Some listed names are not checked yet (a wiki was down): who took part is not known for sure."""
    return {
        key: value if key in _SUMS else replace(value, status=worst(value.status, "partial"))
        for key, value in figures.items()
    }


def attendance_of(
    plans: Sequence[Plan], people_per_event: Sequence[Iterable[Person]]
) -> tuple[dict[str, Attendance], dict[str, datetime | None]]:
    """Each existing account's events, and its registration (the first one known).

    Who is counted at which event: the tally of a group is gathered for these people.
    """
    events_of: dict[str, list[Plan]] = {}
    registrations: dict[str, datetime | None] = {}
    for plan, people in zip(plans, people_per_event, strict=True):
        for person in people:
            if not person.exists:
                continue  # DESIGN §5: participants are existing accounts only
            joined = events_of.setdefault(person.user, [])
            if plan not in joined:
                joined.append(plan)
            if registrations.get(person.user) is None:
                registrations[person.user] = person.registration
    attendance = {user: Attendance(user, tuple(joined)) for user, joined in events_of.items()}
    return attendance, registrations


def _memberships(attendance: Mapping[str, Attendance], coverage: Coverage) -> list[Membership]:
    """Each (person, event) with its coverage, judged from the event's own floor (its "before" start).

    A person synced for a later event only is complete from that event's floor on; asking from
    the group's earliest floor would call complete data partial (DESIGN §5).
    """
    memberships = []
    for user, person in attendance.items():
        for plan in person.plans:
            floor = plan.before.start
            tracked = [coverage.until(wiki, user, floor) for wiki in sorted(plan.spec.wikis)]
            files = coverage.until_any((COMMONS, COMMONS_FILES), user, floor)
            memberships.append(Membership(user, plan, _earliest(tracked), _earliest([*tracked, files])))
    return memberships


def _earliest(untils: Sequence[datetime | None]) -> datetime | None:
    """The earliest time, or None when one is None (nothing known there)."""
    if not untils or any(until is None for until in untils):
        return None
    return min(until for until in untils if until is not None)


def _data_until(memberships: Sequence[Membership]) -> datetime | None:
    return _earliest([m.uploads_until for m in memberships])


def combined_status(
    windows: Sequence[Window], covered: Iterable[tuple[Window, datetime | None]], now: datetime
) -> Status:
    """pending if every event's window is open; partial if some are, or the data stops short."""
    closed = [window.closed_at(now) for window in windows]
    if closed and not any(closed):
        return "pending"
    if not all(closed) or not all(window.covered_by(floor) for window, floor in covered):
        return "partial"
    return "ok"


def worst(*statuses: Status) -> Status:
    for status in ("pending", "partial"):
        if status in statuses:
            return status
    return "ok"


def figure(value: int | float | None, status: Status, denominator: int | None = None) -> Figure:
    """A figure whose value is withheld while pending: an open window is never a zero."""
    return Figure(None if status == "pending" else value, status, denominator)


def is_new_editor(registration: datetime | None, spec: EventSpec) -> bool:
    return registration is not None and spec.start - NEW_EDITOR_LEAD <= registration <= spec.end


def _new_editors(
    attendance: Mapping[str, Attendance], registrations: Mapping[str, datetime | None]
) -> set[str]:
    return {
        user
        for user, person in attendance.items()
        if any(is_new_editor(registrations[user], plan.spec) for plan in person.plans)
    }


def _new_editor_figures(
    attendance: Mapping[str, Attendance],
    registrations: Mapping[str, datetime | None],
    tally: Tally,
    plans: Sequence[Plan],
    memberships: Sequence[Membership],
    now: datetime,
) -> dict[str, Figure]:
    new = _new_editors(attendance, registrations)
    # An unknown registration may hide a new editor: the count is then a lower bound.
    new_status: Status = "partial" if any(r is None for r in registrations.values()) else "ok"
    retained_status = _retention_status("retained_7d", plans, memberships, now)
    retained_new = new & tally.active.get("retained_7d", set())
    return {
        "new_editors": Figure(len(new), new_status),
        "retained_7d_new": figure(len(retained_new), worst(retained_status, new_status), len(new)),
    }


def _during_figures(
    tally: Tally, plans: Sequence[Plan], memberships: Sequence[Membership], now: datetime
) -> dict[str, Figure]:
    windows = [p.during for p in plans]
    status = combined_status(windows, [(m.plan.during, m.until) for m in memberships], now)
    # Uploads also count on Commons: its files must be held too (DESIGN §5).
    uploads_status = combined_status(windows, [(m.plan.during, m.uploads_until) for m in memberships], now)
    sizes = tally.article_sizes.values()
    # A revision whose size change the wiki could not give (hidden parent) makes bytes a lower bound.
    bytes_status = worst(status, "partial" if None in sizes else "ok")
    return {
        "edits_during": figure(len(tally.revisions_during), status),
        "articles_created": figure(len(tally.pages_created), status),
        "articles_improved": figure(len(tally.pages_edited - tally.pages_created), status),
        "bytes_added": figure(sum(s for s in sizes if s is not None and s > 0), bytes_status),
        "bytes_removed": figure(-sum(s for s in sizes if s is not None and s < 0), bytes_status),
        "uploads": figure(len(tally.uploads), uploads_status),
    }


def _retention_status(
    key: str, plans: Sequence[Plan], memberships: Sequence[Membership], now: datetime
) -> Status:
    windows = {id(plan): dict(plan.retention)[key] for plan in plans}
    return combined_status(list(windows.values()), [(windows[id(m.plan)], m.until) for m in memberships], now)


def _retention_figures(
    tally: Tally, plans: Sequence[Plan], memberships: Sequence[Membership], now: datetime, participants: int
) -> dict[str, Figure]:
    return {
        key: figure(
            len(tally.active.get(key, ())), _retention_status(key, plans, memberships, now), participants
        )
        for key in RETENTION_KEYS
    }


def _rate_figures(
    side: str,
    edits: Mapping[str, int],
    attendance: Mapping[str, Attendance],
    plans: Sequence[Plan],
    memberships: Sequence[Membership],
    now: datetime,
) -> dict[str, Figure]:
    """Mean and median edits per person per week over the 8 weeks before / after (tally.Attendance).

    Everyone counts, those who did not edit with 0; the denominator is the number of people.
    """
    rate_plan = {
        user: (person.first if side == "before" else person.last) for user, person in attendance.items()
    }
    covered = [(_rate_window(m.plan, side), m.until) for m in memberships if rate_plan[m.user] is m.plan]
    # With nobody to average, the events' own windows still say whether the figure is pending.
    windows = [window for window, _ in covered] or [_rate_window(plan, side) for plan in plans]
    status = combined_status(windows, covered, now)
    rates = [edits.get(user, 0) / RATE_WEEKS for user in attendance]
    people = len(rates)
    return {
        f"edits_per_week_{side}_mean": figure(statistics.fmean(rates) if rates else None, status, people),
        f"edits_per_week_{side}_median": figure(statistics.median(rates) if rates else None, status, people),
    }


def _rate_window(plan: Plan, side: str) -> Window:
    return plan.before if side == "before" else plan.after
