"""The demo events: different regions, languages and formats, a cohort, and who takes part in what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devwiki.seed import SeedEvent

COHORT = "Wiki Indaba trainings 2025-2026"
COHORT_TITLE = f"Event outcomes/Cohorts/{COHORT}"


@dataclass(frozen=True)
class EventPlan:
    key: str
    title: str  # the metawiki page
    name: str
    start: date
    end: date
    timezone: str
    wikis: tuple[str, ...]
    context: dict[str, str]
    organizers: tuple[str, str]
    cohort: str | None
    share: float  # this event's part of the participant pool


PLANS = (
    EventPlan(
        "bogota", "Wikimedia Colombia/Editatón Mujeres en la Ciencia 2025", "Editatón Mujeres en la Ciencia",
        date(2025, 6, 7), date(2025, 6, 8), "America/Bogota", ("enwiki", "commonswiki"),
        {"region": "Latin America and the Caribbean", "country": "CO", "language": "es",
         "theme": "women in science", "types": "editing-event", "audience": "university students",
         "organizing": "Wikimedia Colombia"},
        ("Carmen Ruiz", "Bob Otieno"), None, 0.28,
    ),
    EventPlan(
        "mentoring", "Wikimedia Tanzania/Online mentoring: Swahili health articles 2025",
        "Swahili health articles mentoring", date(2025, 9, 1), date(2025, 10, 31), "UTC",
        ("swwiki", "enwiki"),
        {"region": "Sub-Saharan Africa", "country": "TZ", "language": "sw", "theme": "health",
         "types": "mentoring", "audience": "new editors", "organizing": "Wikimedia Tanzania"},
        ("Alice Wanjiku", "Dieter Schmidt"), COHORT, 0.22,
    ),
    EventPlan(
        "nairobi", "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026",
        "Wikipedia training for librarians, Nairobi", date(2026, 3, 14), date(2026, 3, 15), "Africa/Nairobi",
        ("swwiki", "enwiki", "commonswiki"),
        {"region": "Sub-Saharan Africa", "country": "KE", "language": "sw", "theme": "libraries",
         "types": "training-seminar", "audience": "librarians",
         "organizing": "Wikimedia Community User Group Kenya"},
        ("Alice Wanjiku", "Bob Otieno"), COHORT, 0.30,
    ),
    EventPlan(
        # Recent relative to NOW (2026-11-01): its 30-day and later windows are still pending.
        "berlin", "WikiCon 2026/Workshop: first edits", "WikiCon 2026 workshop: first edits",
        date(2026, 10, 20), date(2026, 10, 21), "Europe/Berlin", ("enwiki", "commonswiki"),
        {"region": "Northern and Western Europe", "country": "DE", "language": "de",
         "theme": "open knowledge", "types": "conference", "audience": "community members",
         "organizing": "Wikimedia Deutschland"},
        ("Dieter Schmidt", "Carmen Ruiz"), None, 0.20,
    ),
)  # fmt: skip
BENCH_PLAN = EventPlan(
    "bench", "Event outcomes/Benchmark/Global edit-a-thon May 2025", "Global edit-a-thon May 2025",
    date(2025, 5, 1), date(2025, 5, 31), "UTC", ("enwiki", "swwiki"),
    {"region": "Global", "language": "en", "theme": "benchmark", "types": "editing-event",
     "audience": "everyone", "organizing": "Event Outcomes developers"},
    ("Alice Wanjiku", "Carmen Ruiz"), None, 0.0,
)  # fmt: skip
# People the tests can rely on, and where they go: two are in two events each (one across the cohort).
_FIXED_PLACES = {
    "Wanjiru Kamau": ("mentoring", "nairobi"),
    "José Pérez": ("bogota", "berlin"),
    "Jürgen Müller-Lüdenscheid": ("berlin",),
    "ليلى حسن": ("mentoring",),
}


def plans(bench: bool) -> list[EventPlan]:
    return [*PLANS, BENCH_PLAN] if bench else list(PLANS)


def assign(names: list[str], chosen: list[EventPlan]) -> dict[str, list[str]]:
    """Each event's participants, in sign-up order.

    The pool is split by share; some mentoring people come back for the Nairobi training (the
    cohort must count them once) and a few Bogotá people go to Berlin; the bench event has everyone.
    """
    assigned: dict[str, list[str]] = {plan.key: [] for plan in chosen}
    for name, keys in _FIXED_PLACES.items():
        if name in names:
            for key in keys:
                assigned[key].append(name)
    rest = [n for n in names if n not in _FIXED_PLACES]
    shared = [p for p in chosen if p.share > 0]
    total = sum(p.share for p in shared)
    cursor = 0
    for index, plan in enumerate(shared):
        last = index == len(shared) - 1
        count = len(rest) - cursor if last else round(len(rest) * plan.share / total)
        assigned[plan.key] += rest[cursor : cursor + count]
        cursor += count
    assigned["nairobi"] += assigned["mentoring"][2 : 2 + max(1, len(assigned["mentoring"]) // 6)]
    assigned["berlin"] += assigned["bogota"][2 : 2 + max(1, len(assigned["bogota"]) // 10)]
    if "bench" in assigned:
        assigned["bench"] = list(names)
    return assigned


def goals(key: str, count: int) -> dict[str, int]:
    """Goals that come out met, not met and pending, so every goal state shows."""
    table = {
        "bogota": {"participants": count, "articles_created": 5},
        "mentoring": {"retained_90d": max(1, count // 3), "new_editors": 2},
        "nairobi": {"participants": count + 5, "retained_30d": max(1, count // 3), "uploads": 10},
        "berlin": {"participants": count, "retained_30d": 5},
        "bench": {"edits_during": 10 * count},
    }
    return table[key]


def build(plan: EventPlan, participants: list[str]) -> SeedEvent:
    return SeedEvent(
        title=plan.title,
        name=plan.name,
        start=plan.start,
        end=plan.end,
        timezone=plan.timezone,
        wikis=plan.wikis,
        context=dict(plan.context),
        organizers=plan.organizers,
        participants=tuple(participants),
        cohort=plan.cohort,
        goals=goals(plan.key, len(participants)),
    )
