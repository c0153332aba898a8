"""Metawiki's pages: the templates (the project's own from wiki-templates/), event pages (DESIGN §4)
and the cohort page, with their histories.

Event pages grow the way real ones do: an organizer creates the page, participants sign up in the
weeks before (in every form people really write), one person signs up and withdraws, and an
organizer tidies the list just before the event. ``SeedEvent.participants`` is exactly the set of
people a correct parser finds in the final text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta

from devwiki.events import COHORT, COHORT_TITLE
from devwiki.people import WITHDRAWN
from devwiki.seed import SeedEvent, SeedRevision
from devwiki.signatures import signature
from tool.wiki.templatefiles import template_pages

TEMPLATES_AUTHOR = "Alice Wanjiku"
TEMPLATES_INSTALLED = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
UNRESOLVED_LINE = "# Juma (will create an account on the day)"
# At most this many sign-up revisions per event page: the bench event's 500 people sign in groups.
MAX_SIGNUP_REVISIONS = 40

# Templates Meta-Wiki already has, which event pages use; the project's own come from wiki-templates/.
TEMPLATES = {
    "Template:U": "<includeonly>[[User:{{{1}}}|{{{2|{{{1}}}}}}]]</includeonly>"
    "<noinclude>Links to a user page.</noinclude>",
    "Template:Ping": "<includeonly>@[[User:{{{1}}}|{{{1}}}]]:</includeonly><noinclude>Mentions (notifies) a "
    "user.</noinclude>",
}
# The User namespace and Special:Contributions as people paste them from their home wikis.
_USER_NS = {"sw": "Mtumiaji", "es": "Usuaria", "de": "Benutzerin"}
_CONTRIBUTIONS = {"sw": "Maalum:Michango", "es": "Especial:Contribuciones", "de": "Spezial:Beiträge"}
_INTERWIKI = {"sw": ":sw:Mtumiaji", "es": ":es:Usuario", "de": ":de:Benutzer"}


def participant_line(
    name: str, index: int, signed: datetime, language: str, organizer: str, signs: bool
) -> str:
    """One list line in the index-th of the forms people really write; every one names ``name``.

    ``signs`` False: someone else writes the line, so it carries no signature of ``name``.
    """
    ns = _USER_NS.get(language, "User")
    forms = (
        f"{{{{Event participant|{name}}}}} {signature(name, signed)}",
        signature(name, signed),
        f"{{{{u|{name}}}}}",
        f"[[User:{name.replace(' ', '_')}]]",
        f"[[{_CONTRIBUTIONS.get(language, 'Special:Contributions')}/{name}|{name}]]",
        f"[[User talk:{name}|{name}]] – I will work on health articles",
        f"[[{ns}:{name}|{name}]]",
        f"[[user:{name[0].lower()}{name[1:]}]]",  # MediaWiki upper-cases the first letter
        # One person per line: the first user link, not the organizer's.
        f"{{{{u|{name}}}}} (invited by [[User:{organizer}|{organizer}]])",
        f"[[User:{name}/Sandbox|{name}]] – drafting an article",
        f"[[{_INTERWIKI.get(language, 'm:User')}:{name}|{name}]]",
    )
    choice = index % len(forms)
    if not signs and choice < 2:  # the first two forms are signatures
        choice += 2
    return "# " + forms[choice]


def _withdrawn_line(name: str, signed: datetime, struck: bool) -> str:
    line = f"{signature(name, signed)} – I cannot attend"
    return f"# <s>{line}</s>" if struck else f"# {line}"


def _header(event: SeedEvent) -> str:
    start, end = event.start.isoformat(), event.end.isoformat()
    fields = [("name", event.name), ("start", start), ("end", end), ("timezone", event.timezone)]
    fields += [("wikis", ", ".join(event.wikis)), ("namespaces", "0")]
    fields += [(key, event.context[key]) for key in _CONTEXT_KEYS if key in event.context]
    fields.append(("organizers", ", ".join(event.organizers)))
    if event.cohort:
        fields.append(("cohort", event.cohort))
    lines = [f" | {key:<12} = {value}" for key, value in fields]
    lines += [f" | {'goal_' + key:<21} = {value}" for key, value in event.goals.items()]
    return "{{Event outcomes\n" + "\n".join(lines) + "\n}}\n"


_CONTEXT_KEYS = ("types", "region", "country", "language", "theme", "audience", "organizing")


def event_text(event: SeedEvent, lines: Sequence[str]) -> str:
    organizer, other = event.organizers
    intro = (
        f"'''{event.name}''' is organized by {{{{u|{organizer}}}}}; questions to {{{{ping|{other}}}}}. "
        "Karibu! ¡Bienvenidos! Willkommen!\n"
    )
    body = "\n".join(lines) + "\n" if lines else ""
    return (
        f"{_header(event)}{intro}\n== Participants ==\n{body}\n== Notes ==\nBring a laptop and a charger.\n"
    )


def event_revisions(event: SeedEvent, index: int, registered: Mapping[str, datetime]) -> list[SeedRevision]:
    """The event page's history: creation, sign-ups, the organizer's tidy-up, the walk-ins.

    People sign up themselves once they have an account; those who register in the last two
    days or during the event are walk-ins, added by the organizer just after it ends.
    """
    start, end = event.window()
    created = datetime.combine(event.start, time(10, index), UTC) - timedelta(days=28)
    organizer, withdrawn = event.organizers[0], WITHDRAWN[index % len(WITHDRAWN)]
    page = _PageHistory(event, created, organizer)
    # The withdrawn person signs up early, like everyone else; the organizer strikes the line later.
    signed = page.when + timedelta(hours=1)
    page.save(withdrawn, signed, [_withdrawn_line(withdrawn, signed, struck=False)], "Signing up")
    cutoff = start - timedelta(days=2)
    early = [n for n in event.participants if registered[n] <= cutoff]
    batch = max(1, math.ceil(len(early) / MAX_SIGNUP_REVISIONS))
    opened, step = page.when, (cutoff - page.when) / (len(early) // batch + 2)
    for number, first in enumerate(range(0, len(early), batch), start=1):
        group = early[first : first + batch]
        # Evenly spread, but never before the signer has an account: at most minutes past the cutoff.
        joined = max(registered[n] for n in group) + timedelta(minutes=10)
        when = max(opened + number * step, joined, page.when + timedelta(minutes=1))
        lines = [page.line(n, event.participants.index(n), when, signs=True) for n in group]
        page.save(group[0], when, lines, "Signing up")
    page.lines[0] = _withdrawn_line(withdrawn, signed, struck=True)
    page.save(organizer, start - timedelta(days=1), [], f"Struck {withdrawn}: withdrew")
    walk_ins = [n for n in event.participants if n not in early]
    lines = [page.line(n, event.participants.index(n), end, signs=False) for n in walk_ins]
    page.save(
        organizer,
        end + timedelta(hours=1),
        [*lines, UNRESOLVED_LINE],
        "Added the walk-ins from the sign-in sheet",
    )
    return page.revisions


class _PageHistory:
    """An event page being edited: its list lines so far and its revisions."""

    def __init__(self, event: SeedEvent, created: datetime, organizer: str) -> None:
        self.event, self.organizer = event, organizer
        self.language = event.context.get("language", "en")
        self.lines: list[str] = []
        self.revisions = [
            _meta(event.title, 0, organizer, created, event_text(event, []), "New event page", None)
        ]

    @property
    def when(self) -> datetime:
        return self.revisions[-1].timestamp

    def line(self, name: str, index: int, when: datetime, signs: bool) -> str:
        return participant_line(name, index, when, self.language, self.organizer, signs)

    def save(self, user: str, when: datetime, added: list[str], comment: str) -> None:
        self.lines += added
        text = event_text(self.event, self.lines)
        self.revisions.append(
            _meta(self.event.title, 0, user, when.replace(microsecond=0), text, comment, self.revisions[-1])
        )


def cohort_revisions(events: Sequence[SeedEvent]) -> list[SeedRevision]:
    """The cohort page: first with one event, then the second added when it was planned."""
    members = [e for e in events if e.cohort == COHORT]
    revisions: list[SeedRevision] = []
    for count in range(1, len(members) + 1):
        listed = members[:count]
        when = datetime.combine(listed[-1].start, time(9, 0), UTC) - timedelta(days=40)
        text = _cohort_text(listed)
        comment = "New cohort" if count == 1 else f"Added [[{listed[-1].title}]]"
        revisions.append(
            _meta(
                COHORT_TITLE,
                0,
                listed[-1].organizers[0],
                when,
                text,
                comment,
                revisions[-1] if revisions else None,
            )
        )
    return revisions


def _cohort_text(events: Sequence[SeedEvent]) -> str:
    links = "".join(
        f"* [[{e.title}|{e.name}]] ({e.start.isoformat()} – {e.end.isoformat()})\n" for e in events
    )
    return (
        "{{Event outcomes cohort\n"
        f" | name   = {COHORT}\n"
        f" | events = {'; '.join(e.title for e in events)}\n"
        " | match  = cohort\n"
        "}}\n"
        "Trainings and mentoring for East African Wikimedians, followed as one group.\n\n"
        f"== Events ==\n{links}"
    )


def template_revisions() -> list[SeedRevision]:
    """The project's templates as shipped (documentation pages first), then Meta-Wiki's own."""
    return [
        _meta(
            title,
            10,
            TEMPLATES_AUTHOR,
            TEMPLATES_INSTALLED + timedelta(minutes=i),
            text,
            "Template for Event Outcomes",
            None,
        )
        for i, (title, text) in enumerate({**template_pages(), **TEMPLATES}.items())
    ]


def _meta(
    title: str,
    namespace: int,
    user: str,
    when: datetime,
    text: str,
    comment: str,
    previous: SeedRevision | None,
) -> SeedRevision:
    size = len(text.encode("utf-8"))
    before = previous.size if previous else 0
    return SeedRevision(
        "metawiki", title, namespace, user, when, text, size, size - before, previous is None, comment
    )
