"""Event pages (DESIGN §4): the {{Event outcomes}} fields, context, goals and participants.

``parse_event`` is pure and never raises on bad input: whatever is wrong becomes a Problem with
its field and line, and everything else on the page is still read. Its result is frozen: what the
wiki says beyond the page (a participants page, a registration, the accounts) is resolved into a
record of its own (tool.pipeline.resolve), never written back into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import mwparserfromhell

from tool.config import DEFAULTS
from tool.metrics.keys import GOAL_KEYS
from tool.wiki import wikitext as markup
from tool.wiki.eventtime import FIRST_YEAR, MAX_DURATION, last_year, parse_moment, year_of
from tool.wiki.nearest import nearest
from tool.wiki.participants import (
    Participant,
    ParticipantsResult,
    Unresolved,
    list_too_long,
    parse_participants,
)
from tool.wiki.problems import Problem
from tool.wiki.registry import Registry, UnknownWiki
from tool.wiki.siteinfo import SiteInfo, key
from tool.wiki.timezones import read_timezone
from tool.wiki.usernames import clean, normalize_username

# DESIGN §4: headings of the sections participants are read from, in the languages events use.
PARTICIPANT_HEADINGS = (
    "Participants", "Participant list", "List of participants", "Attendees", "Attendance", "Sign up",
    "Sign-up", "Signup", "Sign-ups", "Sign ups", "Registered participants", "Registration", "Participantes",
    "Inscritos", "Inscripciones", "Lista de participantes", "Teilnehmende", "Teilnehmer", "Teilnehmerinnen",
    "Anmeldung", "Anmeldungen", "Participants·es", "Participant·e·s", "Participant·es", "Participant(e)s",
    "Inscrits", "Inscriptions", "Partecipanti", "Iscritti", "Deelnemers", "Uczestnicy", "Участники",
    "Учасники", "Washiriki", "Wanaoshiriki", "Usajili", "المشاركون", "المشاركين", "التسجيل", "Katılımcılar",
    "参加者", "参与者", "參與者", "Peserta", "Kalahok", "Participanți", "Συμμετέχοντες", "משתתפים",
    "प्रतिभागी", "অংশগ্রহণকারী", "Mga kalahok", "Olukopa", "Mahalarta", "Abitabiriye",
)  # fmt: skip
# DESIGN §5: at most 20 tracked wikis (each is one more API client and sync per night).
MAX_WIKIS = 20
# The store's columns: registration ids are BIGINT, namespaces INT; a goal beyond a trillion is a typo.
MAX_REGISTRATION = 2**63 - 1
MAX_NAMESPACE = 2**31 - 1
MAX_GOAL = 10**12
# How much of a bad value a problem repeats: enough to find it on the page, never the whole of it.
SHOWN_CHARS = 80
# What a page without ``timezone =`` or ``namespaces =`` means: UTC, and articles only.
DEFAULT_TIMEZONE = "UTC"
CONTEXT_FIELDS = ("region", "country", "language", "theme", "format", "audience", "organizing")
KNOWN_FIELDS = frozenset(
    {"name", "start", "end", "timezone", "wikis", "namespaces", "types", "organizers", "cohort",
     "registration", "participants", "signup", *CONTEXT_FIELDS}
)  # fmt: skip
# Every parameter of {{Event outcomes}} the parser reads; its TemplateData documents exactly these.
EVENT_PARAMETERS = KNOWN_FIELDS | {f"goal_{goal}" for goal in GOAL_KEYS}
# Words people use for an outcome that no spelling of its name is near.
# ``signup =``: whether people may still join through the tool (issue #10); empty means open.
SIGNUP_VALUES = {"open": False, "closed": True}
GOAL_WORDS = {
    "retention": ("retained_30d", "retained_90d"),
    "edits": ("edits_during",),
    "newcomers": ("new_editors",),
    "new_users": ("new_editors",),
    "files": ("uploads",),
    "images": ("uploads",),
}


@dataclass(frozen=True)
class Templates:
    """On-wiki template names (configuration, DESIGN §4), so other wikis can localize them."""

    event: str = DEFAULTS["EVENT_TEMPLATE"]
    participant: str = DEFAULTS["PARTICIPANT_TEMPLATE"]
    cohort: str = DEFAULTS["COHORT_TEMPLATE"]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Templates:
        return cls(config["EVENT_TEMPLATE"], config["PARTICIPANT_TEMPLATE"], config["COHORT_TEMPLATE"])


DEFAULT_TEMPLATES = Templates()


def articles_only() -> list[int]:
    return [0]


@dataclass(frozen=True)
class ParsedEvent:
    """What an event page says, as parse_event read it; never changed afterwards."""

    title: str
    fields: dict[str, str] = field(default_factory=dict)  # every field as written (trimmed)
    context: dict[str, str] = field(default_factory=dict)
    goals: dict[str, float] = field(default_factory=dict)
    name: str = ""
    start: datetime | None = None  # UTC
    end: datetime | None = None  # UTC, inclusive
    timezone: str = DEFAULT_TIMEZONE  # an IANA name; "" when the page names an unknown zone
    wikis: list[str] = field(default_factory=list)
    namespaces: list[int] = field(default_factory=articles_only)
    organizers: list[str] = field(default_factory=list)
    cohort: str | None = None
    registration: int | None = None
    participants_page: str | None = None  # ``participants = <page>``: for the caller to fetch and add
    signup_closed: bool = False  # ``signup = closed``: the tool adds nobody to the list any more
    template_line: int | None = None
    people: ParticipantsResult = field(default_factory=ParticipantsResult)
    problems: list[Problem] = field(default_factory=list)
    kind: str = "event"

    @property
    def participants(self) -> list[Participant]:
        return self.people.participants

    @property
    def unresolved(self) -> list[Unresolved]:
        return self.people.unresolved

    @property
    def withdrawn(self) -> list[Participant]:
        return self.people.withdrawn

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fields": dict(self.fields),
            "context": dict(self.context),
            "goals": dict(self.goals),
            "participants": [{"user": p.user, "line": p.line} for p in self.people.participants],
            "unresolved": [{"text": u.text, "line": u.line} for u in self.people.unresolved],
            "problems": [p.to_json() for p in self.problems],
        }


def add_list(people: ParticipantsResult, found: ParticipantsResult) -> list[Problem]:
    """Add a section's list to ``people`` (in place); the problems it brings.

    Those are repeats, names that are no accounts, then the list's own (lines too long to read, a
    page cut).
    """
    before = len(people.duplicates)
    people.extend(found)
    problems = [
        Problem.of("participants", repeat.line, "problem-duplicate-participant", user=repeat.user,
                   line=repeat.first_line)
        for repeat in people.duplicates[before:]
    ]  # fmt: skip
    problems += [Problem("participants", u.line, u.code, dict(u.params)) for u in found.unresolved if u.code]
    return problems + found.problems


def with_list(
    people: ParticipantsResult, found: ParticipantsResult
) -> tuple[ParticipantsResult, list[Problem]]:
    """``people`` and another list (a participants page) as a new result, and the problems that brings.

    ``people`` is left as it was: it is a parse result's.
    """
    joined = replace(
        people,
        participants=[*people.participants], unresolved=[*people.unresolved],
        withdrawn=[*people.withdrawn], mentions=[*people.mentions], duplicates=[*people.duplicates],
        problems=[*people.problems],
    )  # fmt: skip
    return joined, add_list(joined, found)


@dataclass(frozen=True)
class Param:
    name: str  # as written, trimmed
    value: str  # as written, trimmed
    line: int


@dataclass(frozen=True)
class FoundTemplate:
    params: list[Param]
    line: int


def parse_event(
    wikitext: str,
    site: SiteInfo,
    registry: Registry,
    *,
    title: str,
    templates: Templates = DEFAULT_TEMPLATES,
    participant_headings: tuple[str, ...] = PARTICIPANT_HEADINGS,
) -> ParsedEvent:
    # The problems are one list, filled while the page is read and handed over with the result.
    problems: list[Problem] = []
    wikitext = cut_page(wikitext, problems)
    budget = markup.Budget()
    visible = markup.blank_hidden(wikitext)
    found = find_template(visible, templates.event, problems, budget)
    event = ParsedEvent(title=title, name=title, problems=problems)
    if found is not None:
        event = _read_fields(event, found, site, registry, budget)
    people = _read_participants(event, visible, site, templates, participant_headings, budget)
    return replace(event, people=people)


def cut_page(wikitext: str, problems: list[Problem]) -> str:
    """The page up to MediaWiki's size limit; a longer text (no wiki saves one) is cut, with a problem."""
    kept, cut = markup.cut_page(wikitext)
    if cut is not None:
        problems.append(Problem.of("page", cut, "problem-page-too-long", limit=markup.MAX_PAGE_BYTES // 1024))
    return kept


def find_template(
    text: str, name: str, problems: list[Problem], budget: markup.Budget | None = None
) -> FoundTemplate | None:
    """The first use of template ``name`` in ``text`` (comments already blanked), with its parameters.

    No use, a second use and an unclosed one are problems; an unclosed template is read up to the
    next heading, as far as an organizer would expect it to reach.
    """
    starts = markup.template_starts(text, {key(name)})
    if not starts:
        problems.append(Problem.of("page", None, "problem-no-template", template=name))
        return None
    start, line = starts[0], markup.line_of(text, starts[0])
    if len(starts) > 1:
        second = markup.line_of(text, starts[1])
        problems.append(Problem.of("page", second, "problem-two-templates", template=name, line=line))
    end = markup.template_end(text, start)
    if end is None:
        problems.append(Problem.of("page", line, "problem-template-unclosed", template=name))
        heading = re.compile(r"^=.*=\s*$", re.M).search(text, start)
        source = text[start : heading.start() if heading else len(text)].rstrip() + "\n}}"
    else:
        source = text[start:end]
    return FoundTemplate(template_params(source, line, budget, problems), line)


def template_params(
    source: str, first_line: int, budget: markup.Budget | None = None, problems: list[Problem] | None = None
) -> list[Param]:
    """Named parameters of the template that ``source`` is (``{{…}}``), each with its line.

    mwparserfromhell reads it when the budget allows; a template too large or too broken for that
    is split at its own "|"s, outside links and inner templates. Parameters after the first
    markup.MAX_FIELDS are not read (a problem in ``problems`` says where they start).
    """
    allowed = (budget or markup.Budget()).allows(source)
    parsed = mwparserfromhell.parse(source).filter_templates(recursive=False) if allowed else []
    if parsed and str(parsed[0]) == source:
        template = parsed[0]
        pieces = [(str(p), str(p.name), str(p.value), p.showkey) for p in template.params]
        offset = 2 + len(str(template.name))
    else:  # markup mwparserfromhell does not take as one template: split it ourselves
        parts = markup.split_outside(source[2:-2], "|", limit=markup.MAX_FIELDS + 2)
        pieces = [(part, *_named(part)) for part in parts[1:]]
        offset = 2 + len(parts[0])
    params: list[Param] = []
    line, counted = first_line, 0  # lines counted up to offset ``counted``: offsets only grow
    for index, (raw, name, value, named) in enumerate(pieces):
        at = offset + 1 + len(raw) - len(raw.lstrip())  # the line of the name, wherever the "|" before it is
        line += source.count("\n", counted, at)
        counted = at
        if index == markup.MAX_FIELDS:
            if problems is not None:
                problems.append(Problem.of("page", line, "problem-too-many-fields", limit=markup.MAX_FIELDS))
            break
        if named:
            params.append(Param(name.strip(), value.strip(), line))
        offset += 1 + len(raw)
    return params


def _named(part: str) -> tuple[str, str, bool]:
    name, equals, value = part.partition("=")
    return (name, value, True) if equals else ("", part, False)


def plain(value: str, budget: markup.Budget | None = None) -> str:
    """The value as a reader sees it: markup stripped, spaces normalized."""
    return clean(markup.strip_code(value, budget))


def field_value(param: Param, problems: list[Problem]) -> str:
    """The value, cut (with a problem) when it is longer than any real field (markup.MAX_LINE)."""
    if len(param.value) <= markup.MAX_LINE:
        return param.value
    name = shown(key(param.name).replace(" ", "_"))
    problems.append(Problem.of(name, param.line, "problem-field-too-long", field=name, limit=markup.MAX_LINE))
    return param.value[: markup.MAX_LINE]


def shown(text: str, limit: int = SHOWN_CHARS) -> str:
    """Text for a problem's message: a name or value longer than a reader needs is cut short."""
    return text if len(text) <= limit else text[:limit] + "…"


def _read_fields(
    event: ParsedEvent, found: FoundTemplate, site: SiteInfo, registry: Registry, budget: markup.Budget
) -> ParsedEvent:
    problems = event.problems
    fields: dict[str, str] = {}
    goals: dict[str, float] = {}
    where: dict[str, int] = {}
    for param in found.params:
        name = key(param.name).replace(" ", "_")
        if name in where:
            problems.append(
                Problem.of(name, param.line, "problem-repeated-field", field=shown(name), line=where[name])
            )
        # MediaWiki uses the last of repeated parameters
        fields[name] = value = field_value(param, problems)
        where[name] = param.line
        if name.startswith("goal_"):
            _read_goal(goals, name.removeprefix("goal_"), plain(value, budget), param.line, problems)
        elif name not in KNOWN_FIELDS:
            problems.append(
                Problem.suggesting(name, param.line, "problem-unknown-field", nearest(name, EVENT_PARAMETERS),
                                   field=shown(param.name))
            )  # fmt: skip
    get = {name: plain(value, budget) for name, value in fields.items()}
    context = {k: get[k] for k in CONTEXT_FIELDS if get.get(k)}
    if get.get("types"):
        context.setdefault("format", get["types"])
    participants_page = None
    if get.get("participants"):
        participants_page = site.normalize_title(_link_target(fields["participants"], budget))
    # In this order, as their problems are listed.
    timezone = _read_timezone(get.get("timezone", ""), where.get("timezone"), problems)
    start, end = _read_dates(get, where, timezone, found.line, problems)
    wikis = _read_wikis(get.get("wikis", ""), where.get("wikis", found.line), registry, problems)
    namespaces = _read_namespaces(get.get("namespaces", ""), where.get("namespaces"), problems)
    registration = _read_registration(get.get("registration", ""), where.get("registration"), problems)
    closed = _read_signup(get.get("signup", ""), where.get("signup"), problems)
    return replace(
        event, fields=fields, context=context, goals=goals, name=get.get("name") or event.title,
        start=start, end=end, timezone=timezone, wikis=wikis, namespaces=namespaces,
        organizers=_organizers(fields.get("organizers", ""), site, budget), cohort=get.get("cohort") or None,
        registration=registration, participants_page=participants_page, signup_closed=closed,
        template_line=found.line,
    )  # fmt: skip


def _link_target(value: str, budget: markup.Budget) -> str:
    """The page a field names: a link's target ("[[X|the list]]" → X), else the text."""
    link = re.search(r"\[\[([^\[\]|]+)", value)
    return link.group(1) if link else plain(value, budget)


def _read_goal(goals: dict[str, float], goal: str, value: str, line: int, problems: list[Problem]) -> None:
    if goal not in GOAL_KEYS:
        near = nearest(goal, GOAL_KEYS, GOAL_WORDS)
        code = "problem-unknown-goal-name"
        problems.append(Problem.suggesting(f"goal_{goal}", line, code, near, goal=shown(goal)))
        return
    goals.pop(goal, None)  # a repeated goal's last value counts, even when it is bad or empty
    if not value:
        return  # an empty goal, as a preloaded page or the visual editor leaves it: no goal
    try:
        target = float(value)
    except ValueError:
        target = -1.0
    # Not negative, not infinite, not NaN (NaN fails every comparison).
    if not 0 <= target < float("inf"):
        problems.append(Problem.of(f"goal_{goal}", line, "problem-bad-goal", goal=goal, value=shown(value)))
    elif target > MAX_GOAL:
        problems.append(
            Problem.of(f"goal_{goal}", line, "problem-goal-too-large", goal=goal, value=shown(value),
                       limit=f"{MAX_GOAL:,}")
        )  # fmt: skip
    else:
        goals[goal] = int(target) if target.is_integer() else target


def _organizers(value: str, site: SiteInfo, budget: markup.Budget) -> list[str]:
    """Organizers as account names: "Alice, [[User:Bob|Bob]]; {{u|Cid}}" → Alice, Bob, Cid."""
    names: dict[str, None] = {}  # a dict keeps the order and finds repeats at once
    for piece in markup.split_outside(value, ",;"):
        listed = parse_participants(piece, site).participants
        if listed:
            name = listed[0].user
        else:
            text = plain(piece, budget)
            name = normalize_username(text) or text
        if name:
            names.setdefault(name)
    return list(names)


def read_organizers(value: str, site: SiteInfo) -> list[str]:
    """The accounts an ``organizers =`` field names, read from the field as written (EventRecord.fields).

    The web reads the stored field with this, so who may see an event's details is decided by the
    same reading as ParsedEvent.organizers.
    """
    return _organizers(value, site, markup.Budget())


def _read_timezone(value: str, line: int | None, problems: list[Problem]) -> str:
    if not value:
        return DEFAULT_TIMEZONE
    reading = read_timezone(value)
    if reading.zone is not None:
        return reading.zone
    if reading.candidates:
        problems.append(
            Problem.of("timezone", line, "problem-ambiguous-timezone", value=shown(value),
                       zones=", ".join(reading.candidates), example=reading.candidates[0])
        )  # fmt: skip
    else:
        problems.append(
            Problem.suggesting("timezone", line, "problem-unknown-timezone", reading.suggestions,
                               value=shown(value))
        )  # fmt: skip
    return ""  # dates cannot be placed in time


def _read_dates(
    get: dict[str, str], where: dict[str, int], timezone: str, template_line: int, problems: list[Problem]
) -> tuple[datetime | None, datetime | None]:
    """(start, end), each None when it is missing or wrong, both when they do not fit together."""
    moments: dict[str, datetime] = {}
    for name in ("start", "end"):
        value, line = get.get(name, ""), where.get(name, template_line)
        if not value:
            problems.append(Problem.of(name, line, "problem-missing-field", field=name))
            continue
        if not timezone:
            continue  # already reported: an unknown timezone
        year = year_of(value)
        if year is not None and not FIRST_YEAR <= year <= last_year():
            problems.append(
                Problem.of(name, line, "problem-date-out-of-range", value=shown(value), first=FIRST_YEAR,
                           last=last_year())
            )  # fmt: skip
            continue
        moment = parse_moment(value, timezone, end_of_day=name == "end")
        if moment is None:
            problems.append(Problem.of(name, line, "problem-bad-date", value=shown(value)))
        else:
            moments[name] = moment
    if "start" in moments and "end" in moments:
        if moments["end"] < moments["start"]:
            problems.append(
                Problem.of("end", where.get("end"), "problem-end-before-start", end=shown(get["end"]),
                           start=shown(get["start"]))
            )  # fmt: skip
            return None, None
        if moments["end"] - moments["start"] > MAX_DURATION:
            problems.append(
                Problem.of("end", where.get("end"), "problem-event-too-long", start=shown(get["start"]),
                           end=shown(get["end"]), years=MAX_DURATION.days // 365)
            )  # fmt: skip
            return None, None
    return moments.get("start"), moments.get("end")


def _read_wikis(value: str, line: int | None, registry: Registry, problems: list[Problem]) -> list[str]:
    wikis: list[str] = []
    named = False
    for name, dbname in _wiki_names(value, registry):
        named = True
        if dbname is None:
            problems.append(Problem.of("wikis", line, "problem-unknown-wiki", value=shown(name)))
            continue
        if dbname in wikis:
            continue
        if len(wikis) == MAX_WIKIS:
            problems.append(
                Problem.of("wikis", line, "problem-too-many-wikis", limit=MAX_WIKIS, value=shown(name))
            )
            return wikis
        wikis.append(dbname)
    if not named:
        problems.append(Problem.of("wikis", line, "problem-missing-field", field="wikis"))
    return wikis


def _wiki_names(value: str, registry: Registry) -> Iterator[tuple[str, str | None]]:
    """Each name in a wikis field with its dbname (None: unknown), in the order written.

    Names are separated by commas or semicolons. A piece of several words is one name
    ("Wikimedia Commons") when the registry knows it, else a list ("swwiki enwiki") when any of
    its words is a wiki; a piece in which no word is ("English Wikipedia") is one unknown name.
    """
    for piece in re.split(r"[,;\n]", value):
        piece = " ".join(piece.split())
        if not piece:
            continue
        whole = _known(piece, registry)
        words = piece.split(" ")
        if whole is not None or len(words) == 1:
            yield piece, whole
            continue
        found = [(word, _known(word, registry)) for word in words]
        if any(dbname is not None for _, dbname in found):
            yield from found
        else:
            yield piece, None


def _known(name: str, registry: Registry) -> str | None:
    try:
        return registry.dbname(name)
    except UnknownWiki:
        return None


def _read_namespaces(value: str, line: int | None, problems: list[Problem]) -> list[int]:
    if not value:
        return articles_only()
    pieces = [n for n in re.split(r"[,;\s]+", value) if n.strip()]
    # Ten digits at most: int() of thousands of digits is slow, and the store's column is an INT.
    if all(n.isascii() and n.isdigit() and len(n) <= 10 for n in pieces):
        namespaces = sorted({int(n) for n in pieces})
    else:
        namespaces = []
    # Articles are never in Special: or Media: (negative numbers fail isdigit above).
    if not namespaces or namespaces[-1] > MAX_NAMESPACE:
        problems.append(Problem.of("namespaces", line, "problem-bad-namespaces", value=shown(value)))
        return articles_only()
    return namespaces


def _read_registration(value: str, line: int | None, problems: list[Problem]) -> int | None:
    if not value:
        return None
    # Nineteen digits at most before int(): Python refuses more than 4,300, the store more than BIGINT.
    if not (value.isascii() and value.isdigit() and len(value) <= 19 and int(value) <= MAX_REGISTRATION):
        problems.append(Problem.of("registration", line, "problem-bad-registration", value=shown(value)))
        return None
    return int(value)


def signup_closed(value: str) -> bool:
    """Whether a ``signup =`` field as written (EventRecord.fields) closes the list; unread means open."""
    return SIGNUP_VALUES.get(plain(value).casefold(), False)


def _read_signup(value: str, line: int | None, problems: list[Problem]) -> bool:
    if not value:
        return False
    closed = SIGNUP_VALUES.get(value.casefold())
    if closed is None:
        # Read as open, as the page would be without the field: a typo must not lock people out.
        problems.append(Problem.of("signup", line, "problem-bad-signup", value=shown(value)))
        return False
    return closed


def _read_participants(
    event: ParsedEvent,
    text: str,
    site: SiteInfo,
    templates: Templates,
    headings: tuple[str, ...],
    budget: markup.Budget,
) -> ParticipantsResult:
    """The people of the page's participants sections; their problems are added to the event's."""
    people = ParticipantsResult()
    problems = event.problems
    lines = text.split("\n")
    wanted = {heading_key(h) for h in headings}
    found = False
    highest = 7  # the highest level (lowest number) of a participants heading so far
    sections, cut = markup.sections(lines)
    for section in sections:
        heading = section.heading
        if heading_key(heading.text, budget) not in wanted:
            continue
        found = True
        if highest < heading.level:
            continue  # below a participants heading: a subsection of a participants section is read with it
        highest = heading.level
        if not budget.take_line():  # the heading counts: 100,000 empty sections are work too
            problems.append(list_too_long(heading.line))
            break
        body = "\n".join(section.body(lines))
        found_list = parse_participants(
            body, site, heading.line + 1, user_templates=[templates.participant], budget=budget
        )
        problems += add_list(people, found_list)
        if budget.lines_cut:
            break  # parse_participants said where
    if cut is not None:
        problems.append(Problem.of("page", cut, "problem-too-many-headings", limit=markup.MAX_HEADINGS))
    elsewhere = event.participants_page or event.registration is not None
    if not found and not elsewhere and event.template_line is not None:
        problems.append(
            Problem.of(
                "participants", None, "problem-no-participants-section", headings=", ".join(headings[:6])
            )
        )
    return people


def heading_key(text: str, budget: markup.Budget | None = None) -> str:
    """How headings compare: markup, a count such as "(32)" and a final colon left out, case folded."""
    plain_text = plain(text, budget)
    plain_text = re.sub(r"\s*\([^()]*\)$", "", plain_text.rstrip(":： ")).rstrip(":： ")
    return key(plain_text)
