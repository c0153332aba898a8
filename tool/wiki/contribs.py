"""Fetch participants' contributions with ``list=usercontribs``, many users per request.

The per-user loop people usually write costs one request per user per wiki at least; the API
takes up to 50 names in ``ucuser`` (500 with ``apihighlimits``) and ``uclimit=max`` rows per
answer (500, or 5000 with ``apihighlimits``), so a whole event costs a few requests per wiki.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from tool.metrics.inputs import Contribution
from tool.wiki.api import ApiClient

# https://www.mediawiki.org/wiki/API:Usercontribs — "Maximum number of values is 50 (500 for
# clients that are allowed higher limits)".
USERS_PER_REQUEST = 50
USERS_PER_REQUEST_HIGH = 500
PROPS = "ids|title|timestamp|sizediff|flags"


def users_per_request(client: ApiClient) -> int:
    """How many names the client's account may put in one request.

    The rights come with the login or ride along with the client's first query (ApiClient.call);
    until then the normal limit holds, since asking first would cost a request of its own.
    """
    return USERS_PER_REQUEST_HIGH if client.high_limits else USERS_PER_REQUEST


def usercontribs_pages(
    client: ApiClient,
    users: Sequence[str],
    start: datetime | None,
    end: datetime | None,
    namespace: int | None = None,
) -> Iterator[list[dict[str, object]]]:
    """Every revision by ``users`` in [start, end] (in ``namespace`` only, when given), as many
    users a request as the account may ask for: the API's rows as they come, one list per answer.

    ``contributions`` turns them into records apart, so a sync can fetch the next answer in one
    thread while it converts and stores this one in another (tool.wiki.readahead).
    """
    done = 0
    while done < len(users):
        chunk = users[done : done + users_per_request(client)]
        done += len(chunk)
        params: dict[str, object] = {
            "list": "usercontribs",
            "ucuser": list(chunk),
            "uclimit": "max",
            "ucprop": PROPS,
            # Oldest first, so an interrupted fetch has stored a contiguous prefix of the window.
            "ucdir": "newer",
            "ucstart": _api_time(start),
            "ucend": _api_time(end),
            "ucnamespace": namespace,
        }
        for part in client.query(**params):
            yield list(part.get("usercontribs", []))


def contributions(wiki: str, rows: Sequence[dict[str, object]]) -> list[Contribution]:
    return [_contribution(wiki, row) for row in rows]


def _contribution(wiki: str, row: dict[str, object]) -> Contribution:
    sizediff = row.get("sizediff")
    return Contribution(
        wiki=wiki,
        rev_id=int(row["revid"]),  # type: ignore[call-overload]
        user=str(row["user"]),
        page_id=int(row["pageid"]),  # type: ignore[call-overload]
        namespace=int(row["ns"]),  # type: ignore[call-overload]
        title=str(row["title"]),
        timestamp=parse_api_time(str(row["timestamp"])),
        sizediff=int(sizediff) if isinstance(sizediff, int) else None,
        new=bool(row.get("new", False)),
    )


def parse_api_time(value: str) -> datetime:
    """``2025-06-08T06:47:48Z``, the API's only form, as an aware UTC datetime.

    A sync parses one per revision: fromisoformat takes well under a microsecond, strptime about
    twenty (measured on the development machine); the checks keep it as strict as the format was.
    """
    if len(value) != 20 or value[10] != "T" or not value.endswith("Z"):
        raise ValueError(f"not an API timestamp: {value!r}")
    return datetime.fromisoformat(value)


def _api_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
