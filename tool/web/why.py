"""Why a number is what it is: /event/<title>/contributions (issue #9, DESIGN §9, §10).

The event's organizers see every counted contribution, with a link to its diff, and for each
participant what is counted or why nothing is; a logged-in participant sees their own row; anyone
else the totals only. The same list as CSV, under the same rules, at .../contributions.csv.
Everything is read from the store as it stands (tool.web.counted); no wiki is asked.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import quote

import flask
from flask.typing import ResponseReturnValue

from tool.export import neutralise_formula
from tool.metrics.inputs import Contribution
from tool.metrics.tally import Plan
from tool.pipeline.evaluate import NotEvaluable, spec_of
from tool.store import EventRecord
from tool.store.contributions import Counting
from tool.web.auth import current_user
from tool.web.counted import TIME_FORMAT, Overview, overview
from tool.web.data import runtime, store
from tool.web.organizers import is_organizer
from tool.web.titles import from_url_part, url_part
from tool.wiki.registry import UnknownWiki

bp = flask.Blueprint("why", __name__)

PER_PAGE = 200  # rows of a list on one page
CSV_BATCH = 5000  # rows the CSV reads from the store at a time
#: Longer than any page number of a real list: refused as malformed, not read as a number.
MAX_PAGE_DIGITS = 9
#: How much of a malformed value the error page repeats.
SHOWN_VALUE = 40

Viewer = Literal["organizer", "participant", "public"]


@dataclass(frozen=True)
class Pager:
    """One page of a list: which (1-based), of how many, over how many rows."""

    param: str
    page: int
    pages: int
    rows: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * PER_PAGE

    @classmethod
    def of(cls, param: str, asked: int, rows: int) -> Pager:
        pages = max(1, -(-rows // PER_PAGE))
        return cls(param, min(asked, pages), pages, rows)  # past the end: the last page


@dataclass(frozen=True)
class ContributionLine:
    """A counted revision as the list shows it, with its links on its wiki."""

    time: str
    wiki: str
    title: str
    user: str
    sizediff: int | None
    created: bool
    upload_only: bool  # a Commons upload, counted as an upload by an event that does not track Commons
    page_url: str | None
    diff_url: str | None


class BadPage(Exception):
    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


@bp.get("/event/<path:title>/contributions")
def page(title: str) -> ResponseReturnValue:
    record = _event(title)
    try:
        asked = {name: _page_number(name) for name in ("page", "people")}
    except BadPage as e:
        shown = e.value if len(e.value) <= SHOWN_VALUE else e.value[:SHOWN_VALUE] + "…"
        body = flask.render_template(
            "error.html", heading="why-bad-page-heading", body="why-bad-page-body", params={"value": shown}
        )
        return _private(flask.make_response(body, 400))
    try:
        plan = Plan.of(spec_of(record))
    except NotEvaluable as e:
        html = flask.render_template("why.html", event=record, problem=e, **_links(record))
        return _private(flask.make_response(html, 200))
    found = overview(store(), record, plan, _now())
    viewer, user = _viewer(record, found)
    context = _details(found, viewer, user, asked) if viewer != "public" else {}
    html = flask.render_template(
        "why.html",
        event=record,
        problem=None,
        found=found,
        viewer=viewer,
        window=(_shown_time(plan.spec.start), _shown_time(plan.spec.end)),
        page_link=_page_link,
        **context,
        **_links(record),
    )
    return _private(flask.make_response(html, 200))


def _details(found: Overview, viewer: Viewer, user: str | None, asked: dict[str, int]) -> dict[str, object]:
    """What an organizer sees (every participant, every counted revision), or a participant (theirs)."""
    if viewer == "organizer":
        people = Pager.of("people", asked["people"], len(found.people))
        pager, lines = _contributions(found, None, asked["page"], found.edits + found.uploads_only)
        return {
            "people": found.people[people.offset : people.offset + PER_PAGE],
            "people_pager": people,
            "contributions_pager": pager,
            "contributions": lines,
            "list_status": found.status,
        }
    own = found.row_of(user or "")
    assert own is not None  # _viewer said so
    pager, lines = _contributions(found, own.user, asked["page"], own.total)
    return {"people": [own], "contributions_pager": pager, "contributions": lines, "list_status": own.status}


@bp.get("/event/<path:title>/contributions.csv")
def contributions_csv(title: str) -> ResponseReturnValue:
    record = _event(title)
    try:
        plan = Plan.of(spec_of(record))
    except NotEvaluable as e:
        body = flask.render_template(
            "error.html", heading="why-not-evaluable-heading", body=e.code, params=e.params
        )
        return _private(flask.make_response(body, 404))
    found = overview(store(), record, plan, _now())
    viewer, user = _viewer(record, found)
    if viewer == "public":
        body = flask.render_template(
            "error.html", heading="why-csv-forbidden-heading", body="why-csv-forbidden-body"
        )
        return _private(flask.make_response(body, 403))
    own = found.row_of(user or "") if viewer == "participant" else None
    only, status = (own.user, own.status) if own is not None else (None, found.status)
    response = flask.Response(
        flask.stream_with_context(_csv_rows(found.counting, only, status)), mimetype="text/csv"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="contributions.csv"'
    return _private(response)


def _event(title: str) -> EventRecord:
    wanted = from_url_part(title)
    record = store().get_event(wanted) if wanted else None
    if record is None:
        flask.abort(404)
    return record


def _page_number(name: str) -> int:
    """A list's page from the query string: 1 when not given; a whole number from 1, else BadPage."""
    value = flask.request.args.get(name)
    if value is None:
        return 1
    if not value.isascii() or not value.isdigit() or len(value) > MAX_PAGE_DIGITS or int(value) < 1:
        raise BadPage(value)
    return int(value)


def _viewer(record: EventRecord, found: Overview) -> tuple[Viewer, str | None]:
    """Who is looking (DESIGN §10): the event's organizers, a participant (their own row), anyone."""
    user = current_user()
    if is_organizer(record, user):
        return "organizer", user
    if user is not None and found.row_of(user) is not None:
        return "participant", user
    return "public", user


def _contributions(
    found: Overview, user: str | None, asked: int, rows: int
) -> tuple[Pager, list[ContributionLine]]:
    pager = Pager.of("page", asked, rows)
    listed = store().counted_contributions(found.counting, user=user, offset=pager.offset, limit=PER_PAGE)
    return pager, _lines(found.counting, listed)


def _lines(counting: Counting, listed: Sequence[Contribution]) -> list[ContributionLine]:
    index: dict[str, str | None] = {}
    lines = []
    for c in listed:
        if c.wiki not in index:
            index[c.wiki] = _index_url(c.wiki)
        base = index[c.wiki]
        lines.append(
            ContributionLine(
                time=c.timestamp.strftime(TIME_FORMAT),
                wiki=c.wiki,
                title=c.title,
                user=c.user,
                sizediff=c.sizediff,
                created=c.new,
                upload_only=c.wiki not in counting.wikis,
                page_url=f"{base}?title={quote(url_part(c.title))}" if base else None,
                diff_url=f"{base}?diff={c.rev_id}" if base else None,
            )
        )
    return lines


def _index_url(wiki: str) -> str | None:
    """The wiki's index.php, or None for a wiki the registry no longer knows (then no links)."""
    try:
        return runtime().registry.info(wiki).index
    except UnknownWiki:
        return None


CSV_HEADER = ("timestamp", "wiki", "page", "user", "size_change", "created", "counted_as", "diff", "status")


def _csv_rows(counting: Counting, user: str | None, status: str) -> Iterator[str]:
    """The list, a batch at a time (keyset: each batch after the last row of the one before).

    Every row carries the list's status (pending, partial or ok), so a spreadsheet shows it with
    the rows; an empty list that is not final still has one row, to say so.
    """
    yield _csv_line(CSV_HEADER)
    after = None
    written = 0
    while True:
        batch = store().counted_contributions(counting, user=user, after=after, limit=CSV_BATCH)
        for line, c in zip(_lines(counting, batch), batch, strict=True):
            yield _csv_line(
                (
                    c.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    c.wiki,
                    c.title,
                    c.user,
                    "unknown" if c.sizediff is None else str(c.sizediff),
                    "yes" if c.new else "no",
                    "upload" if line.upload_only else "edit",
                    line.diff_url or "",
                    status,
                )
            )
        written += len(batch)
        if len(batch) < CSV_BATCH:
            break
        last = batch[-1]
        after = (last.timestamp, last.wiki, last.rev_id)
    if not written and status != "ok":
        yield _csv_line(("", "", "", "", "", "", "", "", status))


def _csv_line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    # RFC 4180's CRLF, as tool.export writes CSV; every cell made safe from spreadsheet formulas.
    csv.writer(out, lineterminator="\r\n").writerow([neutralise_formula(cell) for cell in cells])
    return out.getvalue()


def _page_link(pager: Pager, number: int) -> str:
    """This page's URL with another page of one list; the other list's page and the language kept."""
    args: dict[str, Any] = {
        name: value for name, value in flask.request.args.items() if name in ("page", "people", "uselang")
    }
    args[pager.param] = str(number)
    view_args = flask.request.view_args or {}
    return flask.url_for("why.page", title=view_args.get("title", ""), **args)


def _shown_time(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


def _links(record: EventRecord) -> dict[str, str]:
    part = url_part(record.title)
    return {
        "event_url": flask.url_for("event.page", title=part),
        "csv_url": flask.url_for("why.contributions_csv", title=part),
    }


def _private(response: flask.Response) -> flask.Response:
    """What this page shows depends on who is logged in: no shared cache may keep it."""
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.add("Cookie")
    return response


def _now() -> datetime:
    return datetime.now(UTC)
