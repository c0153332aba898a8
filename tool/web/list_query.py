"""The events page's query string: the API's filters, search and paging, plus a sort column.

The page reads its query with the API's rules (tool.web.api_query), so a link that works on one
works on the other, with two differences a form makes necessary: a field left at "all" comes as
an empty value and means no filter, and the page also takes ``sort`` and ``dir``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from tool.web.api_query import DEFAULT_LIMIT, SEARCH, EventsQuery, QueryError, events_query, single_values

Direction = Literal["asc", "desc"]

#: The columns the list sorts by, each with the direction it starts in when picked: names, dates
#: and regions from A or the earliest, numbers from the largest.
SORTS: dict[str, Direction] = {
    "name": "asc",
    "start": "asc",
    "region": "asc",
    "participants": "desc",
    "new_editors": "desc",
    "retained_30d": "desc",
    "problems": "desc",
}
DEFAULT_SORT = "name"
DIRECTIONS: tuple[Direction, ...] = ("asc", "desc")
#: The page sizes the form offers; the query takes any size the API takes.
LIMITS = (DEFAULT_LIMIT, 50, 100)


@dataclass(frozen=True)
class ListQuery:
    events: EventsQuery
    sort: str
    direction: Direction

    @property
    def descending(self) -> bool:
        return self.direction == "desc"

    def link(self, *, page: int = 1, sort: str | None = None) -> dict[str, str]:
        """The query string of a link to this list, with what it changes: a page or a sort column.

        Only what differs from the defaults is written, so links stay short and every link to
        the same list is the same URL. A new sort starts on page 1; picking the column the list is
        sorted by again turns its direction around.
        """
        args = dict(self.events.filters)
        if self.events.search:
            args[SEARCH] = self.events.search
        if self.events.limit != DEFAULT_LIMIT:
            args["limit"] = str(self.events.limit)
        column, direction = self.sort, self.direction
        if sort is not None:
            column = sort
            direction = _other(self.direction) if sort == self.sort else SORTS[sort]
        if column != DEFAULT_SORT:
            args["sort"] = column
        if direction != SORTS[column]:
            args["dir"] = direction
        if page > 1:
            args["page"] = str(page)
        return args


def list_query(args: Mapping[str, Sequence[str]]) -> ListQuery:
    """The page's query; a malformed one raises QueryError (a coded message) before anything is read."""
    # A form sends each of its fields; one left empty ("all", or no search) asks for nothing.
    given = {name: values for name, values in args.items() if not _empty(values)}
    own = single_values({name: given.pop(name) for name in ("sort", "dir") if name in given}, ("sort", "dir"))
    sort = own.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        raise QueryError("index-error-unknown-choice", name="sort", value=sort, choices=", ".join(SORTS))
    direction = own.get("dir", SORTS[sort])
    if direction not in DIRECTIONS:
        choices = ", ".join(DIRECTIONS)
        raise QueryError("index-error-unknown-choice", name="dir", value=direction, choices=choices)
    try:
        events = events_query(given)
    except QueryError as e:
        # The API's message speaks of "this API call"; a reader of the page gets the page's own.
        if e.code == "api-error-unknown-parameter":
            raise QueryError("index-error-unknown-parameter", name=e.params["name"]) from None
        raise
    return ListQuery(events, sort, "desc" if direction == "desc" else "asc")


def _empty(values: Sequence[str]) -> bool:
    return len(values) == 1 and not values[0].strip()


def _other(direction: Direction) -> Direction:
    return "asc" if direction == "desc" else "desc"
