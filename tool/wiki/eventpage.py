"""Event pages (DESIGN §4): the {{Event outcomes}} fields, context, goals and participants.

``parse_event`` is pure and never raises on bad input: whatever is wrong becomes a Problem with
its field and line, and everything else on the page is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import mwparserfromhell

from tool.metrics.keys import GOAL_KEYS
from tool.wiki import wikitext
from tool.wiki.participants import Entry, ParticipantList, Unresolved, parse_participants
from tool.wiki.problems import Problem
from tool.wiki.registry import Registry, UnknownWiki
from tool.wiki.siteinfo import SiteInfo, key
from tool.wiki.usernames import clean, normalize_title

# DESIGN §4: headings of the sections participants are read from, in the languages events use.
PARTICIPANT_HEADINGS = (
    "participants", "participant list", "list of participants", "attendees", "attendance", "sign up",
    "sign-up", "signup", "sign-ups", "registered participants", "registration", "participantes",
    "inscritos", "inscripciones", "lista de participantes", "teilnehmende", "teilnehmer", "teilnehmerinnen",
    "anmeldung", "anmeldungen", "participants·es", "participant·e·s", "participant(e)s", "inscrits",
    "inscriptions", "partecipanti", "iscritti", "deelnemers", "uczestnicy", "участники", "учасники",
    "washiriki", "wanaoshiriki", "usajili", "المشاركون", "المشاركين", "التسجيل", "katılımcılar", "参加者",
    "参与者", "peserta", "kalahok", "participanți", "συμμετέχοντες", "משתתפים", "शामिल सदस्य", "প্রতিভাগী",
)  # fmt: skip
CONTEXT_FIELDS = ("region", "country", "language", "theme", "format", "audience", "organizing")
KNOWN_FIELDS = frozenset(
    {"name", "start", "end", "timezone", "wikis", "namespaces", "types", "organizers", "cohort",
     "registration", "participants", *CONTEXT_FIELDS}
)  # fmt: skip
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class ParsedEvent:
    title: str
    fields: dict[str, str] = field(default_factory=dict)  # every field as written (trimmed)
    context: dict[str, str] = field(default_factory=dict)
    goals: dict[str, float] = field(default_factory=dict)
    name: str = ""
    start: datetime | None = None  # UTC
    end: datetime | None = None  # UTC, inclusive
    timezone: str = "UTC"
    wikis: list[str] = field(default_factory=list)
    namespaces: list[int] = field(default_factory=lambda: [0])
    organizers: list[str] = field(default_factory=list)
    cohort: str | None = None
    registration: int | None = None
    participants_page: str | None = None
    template_line: int | None = None
    people: ParticipantList = field(default_factory=ParticipantList)
    problems: list[Problem] = field(default_factory=list)
    kind: str = "event"

    @property
    def participants(self) -> list[Entry]:
        return self.people.participants

    @property
    def unresolved(self) -> list[Unresolved]:
        return self.people.unresolved

    def problem(self, field_name: str, at: int | None, code: str, /, **params: object) -> None:
        self.problems.append(Problem(field_name, at, code, {k: str(v) for k, v in params.items()}))

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fields": dict(self.fields),
            "context": dict(self.context),
            "goals": dict(self.goals),
            "participants": [{"user": e.user, "line": e.line} for e in self.people.participants],
            "unresolved": [{"text": u.text, "line": u.line} for u in self.people.unresolved],
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass(frozen=True)
class Templates:
    """On-wiki template names (configuration, DESIGN §4), so other wikis can localize them."""

    event: str = "Event outcomes"
    participant: str = "Event participant"
    cohort: str = "Event outcomes cohort"


DEFAULT_TEMPLATES = Templates()


def parse_event(
    text: str,
    site: SiteInfo,
    registry: Registry,
    *,
    title: str,
    templates: Templates = DEFAULT_TEMPLATES,
    headings: tuple[str, ...] = PARTICIPANT_HEADINGS,
) -> ParsedEvent:
    event = ParsedEvent(title=title)
    visible = wikitext.blank_hidden(text)
    params, lines = _template_params(visible, templates.event, event)
    if params is not None:
        _read_fields(event, params, registry)
    _read_participants(event, lines, site, templates, headings)
    return event


def _template_params(
    text: str, name: str, event: ParsedEvent
) -> tuple[list[tuple[str, str, int]] | None, list[str]]:
    lines = text.split("\n")
    starts = wikitext.template_starts(text, {key(name)})
    if not starts:
        event.problem("page", None, "problem-no-template", template=name)
        return None, lines
    start = starts[0]
    event.template_line = wikitext.line_of(text, start)
    if len(starts) > 1:
        event.problem("page", wikitext.line_of(text, starts[1]), "problem-two-templates", template=name,
                      line=event.template_line)  # fmt: skip
    end = wikitext.template_end(text, start)
    if end is None:
        event.problem("page", event.template_line, "problem-template-unclosed", template=name)
        following = [h.line for h in wikitext.headings(lines) if h.line > event.template_line]
        stop = len("\n".join(lines[: following[0] - 1])) if following else len(text)
        source = text[start:stop] + "}}"
    else:
        source = text[start:end]
    return params_with_lines(source, event.template_line), lines


def params_with_lines(source: str, first_line: int) -> list[tuple[str, str, int]]:
    parsed = mwparserfromhell.parse(source).filter_templates(recursive=False)
    if not parsed:
        return []
    found: list[tuple[str, str, int]] = []
    position = 0
    for param in parsed[0].params:
        name = str(param.name).strip()
        if not param.showkey:
            continue  # positional values mean nothing here
        match = re.compile(r"\|\s*" + re.escape(name) + r"\s*=").search(source, position)
        offset = match.start() if match else position
        position = match.end() if match else position
        found.append((name, str(param.value).strip(), first_line + source.count("\n", 0, offset)))
    return found


def plain(value: str) -> str:
    """The value as a reader sees it: markup stripped, spaces normalized."""
    return clean(mwparserfromhell.parse(value).strip_code())


def _read_fields(event: ParsedEvent, params: list[tuple[str, str, int]], registry: Registry) -> None:
    where = {}
    for raw_name, value, line in params:
        name = key(raw_name).replace(" ", "_")
        event.fields[name] = value
        where[name] = line
        if name.startswith("goal_"):
            _read_goal(event, name.removeprefix("goal_"), value, line)
        elif name not in KNOWN_FIELDS:
            event.problem(name, line, "problem-unknown-field", field=raw_name)
    get = {name: plain(value) for name, value in event.fields.items()}
    event.name = get.get("name") or event.title
    event.context = {k: get[k] for k in CONTEXT_FIELDS if get.get(k)}
    if get.get("types"):
        event.context.setdefault("format", get["types"])
    event.organizers = [o.strip() for o in re.split(r"[,;]", get.get("organizers", "")) if o.strip()]
    event.cohort = get.get("cohort") or None
    if get.get("participants"):
        event.participants_page = normalize_title(get["participants"].strip("[]"))
    _read_timezone(event, get.get("timezone", ""), where.get("timezone"))
    _read_dates(event, get, where)
    _read_wikis(event, get.get("wikis", ""), where.get("wikis", event.template_line), registry)
    _read_namespaces(event, get.get("namespaces", ""), where.get("namespaces"))
    _read_registration(event, get.get("registration", ""), where.get("registration"))


def _read_goal(event: ParsedEvent, goal: str, value: str, line: int) -> None:
    if goal not in GOAL_KEYS:
        event.problem(f"goal_{goal}", line, "problem-unknown-goal", goal=goal, known=", ".join(GOAL_KEYS))
        return
    try:
        target = float(plain(value))
    except ValueError:
        target = -1.0
    if not (target >= 0 and target != float("inf")):
        event.problem(f"goal_{goal}", line, "problem-bad-goal", goal=goal, value=value)
        return
    event.goals[goal] = int(target) if target.is_integer() else target


def _read_timezone(event: ParsedEvent, value: str, line: int | None) -> None:
    if not value:
        return
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        event.problem("timezone", line, "problem-unknown-timezone", value=value)
        event.timezone = ""  # dates cannot be placed in time
        return
    event.timezone = value


def parse_moment(value: str, zone: str, end_of_day: bool) -> datetime:
    """A date, date and time, or ISO 8601 time in ``zone`` (unless it carries an offset), in UTC."""
    text = value.strip().replace(" ", "T", 1) if not _DATE.match(value.strip()) else value.strip()
    if _DATE.match(text):
        day = datetime.strptime(text, "%Y-%m-%d").date()
        moment = datetime.combine(day, time(23, 59, 59) if end_of_day else time(0, 0, 0))
    else:
        moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def _read_dates(event: ParsedEvent, get: dict[str, str], where: dict[str, int]) -> None:
    moments: dict[str, datetime] = {}
    for name in ("start", "end"):
        value, line = get.get(name, ""), where.get(name, event.template_line)
        if not value:
            event.problem(name, line, "problem-missing-field", field=name)
            continue
        if not event.timezone:
            continue  # already reported: an unknown timezone
        try:
            moments[name] = parse_moment(value, event.timezone, end_of_day=name == "end")
        except ValueError:
            event.problem(name, line, "problem-bad-date", value=value)
    if "start" in moments and "end" in moments and moments["end"] < moments["start"]:
        event.problem("end", where.get("end"), "problem-end-before-start", end=get["end"], start=get["start"])
        return
    event.start, event.end = moments.get("start"), moments.get("end")


def _read_wikis(event: ParsedEvent, value: str, line: int | None, registry: Registry) -> None:
    names = [n.strip() for n in re.split(r"[,;\s]+", value) if n.strip()]
    if not names:
        event.problem("wikis", line, "problem-missing-field", field="wikis")
        return
    for name in names:
        try:
            dbname = registry.dbname(name)
        except UnknownWiki:
            event.problem("wikis", line, "problem-unknown-wiki", value=name)
            continue
        if dbname not in event.wikis:
            event.wikis.append(dbname)


def _read_namespaces(event: ParsedEvent, value: str, line: int | None) -> None:
    if not value:
        return
    try:
        namespaces = sorted({int(n) for n in re.split(r"[,;\s]+", value) if n.strip()})
    except ValueError:
        event.problem("namespaces", line, "problem-bad-namespaces", value=value)
        return
    if namespaces:
        event.namespaces = namespaces


def _read_registration(event: ParsedEvent, value: str, line: int | None) -> None:
    if not value:
        return
    if not value.isdigit():
        event.problem("registration", line, "problem-bad-registration", value=value)
        return
    event.registration = int(value)


def _read_participants(
    event: ParsedEvent, lines: list[str], site: SiteInfo, templates: Templates, headings: tuple[str, ...]
) -> None:
    wanted = {key(h) for h in headings}
    sections = [h for h in wikitext.headings(lines) if _heading_key(h.text) in wanted]
    for heading in sections:
        if any(other.line < heading.line and other.level < heading.level for other in sections):
            continue  # a subsection of a participants section is read with it
        event.people.extend(
            parse_participants(wikitext.section_lines(lines, heading), site, [templates.participant])
        )
    if not sections and not event.participants_page and event.template_line is not None:
        event.problem(
            "participants", None, "problem-no-participants-section", headings=", ".join(headings[:6])
        )
    for entry, first in event.people.duplicates:
        event.problem(
            "participants", entry.line, "problem-duplicate-participant", user=entry.user, line=first
        )
    for unresolved in event.people.unresolved:
        if unresolved.reason:
            event.problem("participants", unresolved.line, "problem-not-an-account", text=unresolved.text,
                          reason=unresolved.reason)  # fmt: skip


def _heading_key(text: str) -> str:
    plain = clean(mwparserfromhell.parse(text).strip_code()).rstrip(":").strip()
    return key(plain)
