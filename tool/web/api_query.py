"""The query string of the API's events list: filters and paging, checked before anything is read.

A malformed query (a parameter the list does not take, one given twice, a page that is not a whole
number) is refused with a coded message; a page past the end is the last page, not an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tool.wiki.eventpage import CONTEXT_FIELDS

#: The filters of the events list: the page's context fields, its cohort and its start year.
FILTERS: tuple[str, ...] = (*CONTEXT_FIELDS, "cohort", "year")
PAGING = ("limit", "offset", "page")
SEARCH = "q"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: Longer searches cannot match a name (a page title is at most 255 bytes) and only cost work.
MAX_SEARCH = 255
#: A page or offset beyond this is malformed, not merely past the end: it bounds the arithmetic.
MAX_POSITION = 10**9


class QueryError(Exception):
    """A coded message (``api-error-…``) and its parameters, said with a 400 or a 404."""

    def __init__(self, code: str, status: int = 400, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.params = params


@dataclass(frozen=True)
class EventsQuery:
    filters: Mapping[str, str]
    search: str | None
    limit: int
    offset: int | None
    page: int | None


@dataclass(frozen=True)
class Window:
    """Which slice of the matching events one response holds."""

    total: int
    limit: int
    offset: int
    page: int
    pages: int


def single_values(args: Mapping[str, Sequence[str]], allowed: Sequence[str]) -> dict[str, str]:
    """Each parameter's one value; an unknown or repeated parameter is malformed."""
    values: dict[str, str] = {}
    for name, given in args.items():
        if name not in allowed:
            raise QueryError("api-error-unknown-parameter", name=name)
        if len(given) != 1:
            raise QueryError("api-error-repeated-parameter", name=name)
        values[name] = given[0]
    return values


def events_query(args: Mapping[str, Sequence[str]]) -> EventsQuery:
    # "uselang" picks the language of the error messages, as on every page.
    values = single_values(args, (*FILTERS, SEARCH, *PAGING, "uselang"))
    if "page" in values and "offset" in values:
        raise QueryError("api-error-page-and-offset")
    search = values.get(SEARCH)
    if search is not None and len(search) > MAX_SEARCH:
        raise QueryError("api-error-too-long", name=SEARCH, most=str(MAX_SEARCH))
    filters = {name: values[name].strip() for name in FILTERS if name in values}
    if "year" in filters:
        _integer("year", filters["year"], 1, 9999)
    limit = _integer("limit", values["limit"], 1, MAX_LIMIT) if "limit" in values else DEFAULT_LIMIT
    offset = _integer("offset", values["offset"], 0, MAX_POSITION) if "offset" in values else None
    page = _integer("page", values["page"], 1, MAX_POSITION) if "page" in values else None
    return EventsQuery(filters, search.strip() if search else None, limit, offset, page)


def window(query: EventsQuery, total: int) -> Window:
    """The slice asked for; past the end it is the last page (an empty list has one empty page)."""
    pages = max(1, -(-total // query.limit))
    if query.page is not None:
        page = min(query.page, pages)
        offset = (page - 1) * query.limit
    else:
        offset = query.offset or 0
        if offset >= total:
            offset = (pages - 1) * query.limit
        page = offset // query.limit + 1
    return Window(total=total, limit=query.limit, offset=offset, page=page, pages=pages)


def _integer(name: str, value: str, low: int, high: int) -> int:
    # Digits only: int() would also take " 7", "+7", "٧" and "1_000", none of which a client means.
    if not value.isascii() or not value.isdigit():
        raise QueryError("api-error-not-an-integer", name=name, value=value)
    if len(value) > len(str(high)) or not low <= int(value) <= high:
        raise QueryError("api-error-out-of-range", name=name, low=str(low), high=str(high))
    return int(value)
