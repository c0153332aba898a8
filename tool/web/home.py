"""The home page: what the tool is, and the events it knows, filtered, searched, sorted and paged.

Everything on it is read in one statement (store.event_listings) and filtered in memory with the
API's own rules (tool.web.listing), so the page and /api/v1/events always list the same events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import flask

from tool.store import SchemaBehind, StoreUnavailable
from tool.web.api_query import FILTERS, SEARCH, QueryError, window
from tool.web.data import runtime, store
from tool.web.list_query import DIRECTIONS, LIMITS, SORTS, ListQuery, list_query
from tool.web.list_rows import HEADLINE, event_row, ordered
from tool.web.listing import choices, matching

bp = flask.Blueprint("home", __name__)

#: Page numbers shown on each side of the current page; the first and the last are always shown.
PAGES_AROUND = 2
_KNOWN_SORTS = {*(("sort", column) for column in SORTS), *(("dir", direction) for direction in DIRECTIONS)}


@bp.get("/")
def index() -> tuple[str, int]:
    home_url = _home_wiki_url()
    try:
        the_store = store()
        listings = the_store.event_listings()
        offered = choices(the_store, listings)
        try:
            query = list_query(flask.request.args.to_dict(flat=False))
            kept = matching(the_store, listings, query.events)
        except QueryError as error:
            return _refused(error, home_url, bool(listings), offered), error.status
    except SchemaBehind as e:
        flask.current_app.logger.error("%s", e)
        return _unavailable(home_url, "index-store-schema-behind"), 503
    except StoreUnavailable:
        flask.current_app.logger.exception("the store is unavailable")
        return _unavailable(home_url, "index-store-unavailable"), 503
    slice_ = window(query.events, len(kept))
    entries = ordered(kept, query.sort, query.descending)[slice_.offset :][: slice_.limit]
    page = flask.render_template(
        "index.html",
        home_wiki_url=home_url,
        has_events=bool(listings),
        choices=offered,
        form=_form_values(query),
        hidden=_hidden_fields(query.link()),
        query=query,
        list_url=_list_url(query),
        rows=[event_row(entry, home_url) for entry in entries],
        window=slice_,
        page_numbers=page_numbers(slice_.page, slice_.pages),
        **_shared(),
    )
    return page, 200


def page_numbers(current: int, pages: int) -> list[int | None]:
    """The pages a reader can jump to: the first, the last and those near the current; None is a gap."""
    shown = {1, pages, *range(current - PAGES_AROUND, current + PAGES_AROUND + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in shown if 1 <= n <= pages):
        if numbers and number - 1 != numbers[-1]:
            numbers.append(None)
        numbers.append(number)
    return numbers


def _refused(error: QueryError, home_url: str, has_events: bool, offered: Mapping[str, list[str]]) -> str:
    """The list page with the coded message and the form as the reader filled it in: nothing is lost."""
    args = flask.request.args
    form = {name: args[name] for name in (*FILTERS, SEARCH, "limit") if args.get(name)}
    return flask.render_template(
        "index.html",
        home_wiki_url=home_url,
        has_events=has_events,
        choices=offered,
        form=form,
        # A sort the list knows is kept; one it refused would only be refused again.
        hidden=_hidden_fields({k: v for k, v in args.items() if (k, v) in _KNOWN_SORTS}),
        error=error,
        **_shared(),
    )


def _unavailable(home_url: str, problem: str) -> str:
    return flask.render_template("index.html", home_wiki_url=home_url, store_problem=problem, **_shared())


def _shared() -> dict[str, Any]:
    return {"filters": FILTERS, "limits": LIMITS, "headline": HEADLINE, "uselang": _uselang()}


def _form_values(query: ListQuery) -> dict[str, str]:
    values = dict(query.events.filters)
    if query.events.search:
        values[SEARCH] = query.events.search
    values["limit"] = str(query.events.limit)
    return values


def _hidden_fields(args: Mapping[str, str]) -> dict[str, str]:
    """What the filter form carries unchanged: the sort, and the language asked for in the URL."""
    hidden = {name: args[name] for name in ("sort", "dir") if args.get(name)}
    uselang = _uselang()
    if uselang:
        hidden["uselang"] = uselang
    return hidden


def _list_url(query: ListQuery) -> Callable[..., str]:
    """Links to this list with one change (a page, a sort column), keeping the filters and the language."""
    uselang = _uselang()

    def url(**changes: Any) -> str:
        args: dict[str, Any] = query.link(**changes)
        if uselang:
            args["uselang"] = uselang
        return flask.url_for("home.index", **args)

    return url


def _uselang() -> str | None:
    return flask.request.args.get("uselang") or None


def _home_wiki_url() -> str:
    """Where organizers put event pages: the farm's metawiki locally, Meta-Wiki in production."""
    registry = runtime().registry
    return str(registry.info(registry.home).index)
