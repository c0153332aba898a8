"""The example event and cohort pages organizers copy from the tool's /organizers page.

Built from the parser's own lists of fields (tool.wiki.eventpage, tool.wiki.cohortpage), so a
field the parser learns to read fails the page's test until the example shows it too. The values
are wikitext, as an organizer writes them on Meta-Wiki: field names are the parser's (English),
values are the organizer's own.
"""

from __future__ import annotations

from tool.wiki.eventpage import DEFAULT_TEMPLATES, PARTICIPANT_HEADINGS, Templates

COHORT_NAME = "Wiki Indaba trainings 2026"

# Every field of {{Event outcomes}} (tool.wiki.eventpage.KNOWN_FIELDS), in the order a page gives
# them. An empty value is an optional field the example leaves unused: copied as it is, the page
# still reads without a problem.
EVENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Wikipedia training for librarians, Nairobi"),
    ("start", "2026-03-14"),
    ("end", "2026-03-15"),
    ("timezone", "Africa/Nairobi"),
    ("wikis", "swwiki, enwiki, commonswiki"),
    ("namespaces", "0"),
    ("types", "training-seminar"),
    ("format", ""),
    ("region", "Sub-Saharan Africa"),
    ("country", "KE"),
    ("language", "sw"),
    ("theme", "libraries"),
    ("audience", "librarians"),
    ("organizing", "Wikimedia Community User Group Kenya"),
    ("organizers", "Alice, Bob"),
    ("cohort", COHORT_NAME),
    ("registration", ""),
    ("participants", ""),
    ("signup", ""),
)
# goal_<figure> = target (any figure of tool.metrics.keys.GOAL_KEYS).
GOALS: tuple[tuple[str, str], ...] = (("goal_participants", "30"), ("goal_retained_30d", "10"))
PARTICIPANTS: tuple[str, ...] = ("Amina Example", "Juma Example")

# Every field of {{Event outcomes cohort}} (tool.wiki.cohortpage.COHORT_PARAMETERS).
COHORT_VALUES: dict[str, str] = {
    "name": COHORT_NAME,
    "events": "Event:Nairobi librarians 2026; Event:Mombasa teachers 2026",
    "match": "cohort",
}


def event_page(templates: Templates = DEFAULT_TEMPLATES) -> str:
    """A complete event page: the template with every field, then a participants section."""
    lines = [
        "{{" + templates.event,
        *_params([*EVENT_FIELDS, *GOALS]),
        "}}",
        f"== {PARTICIPANT_HEADINGS[0]} ==",
        *(f"# {{{{{templates.participant}|{name}}}}}" for name in PARTICIPANTS),
    ]
    return "\n".join(lines) + "\n"


def cohort_page(templates: Templates = DEFAULT_TEMPLATES) -> str:
    return "\n".join(["{{" + templates.cohort, *_params(list(COHORT_VALUES.items())), "}}"]) + "\n"


def _params(pairs: list[tuple[str, str]]) -> list[str]:
    """`` | name   = value`` lines, the "=" aligned as organizers align them on Meta-Wiki."""
    width = max(len(name) for name, _ in pairs)
    return [f" | {name.ljust(width)} = {value}".rstrip() for name, value in pairs]
