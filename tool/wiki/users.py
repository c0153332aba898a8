"""Check participants' accounts: exists, invalid, blocked, renamed, and when they registered.

``list=users`` takes 50 names a request (500 with apihighlimits) and normalizes them as
MediaWiki does; ``meta=globaluserinfo`` (CentralAuth, on Wikimedia wikis) gives the global
registration date and the global id that stays the same across renames.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tool.wiki.api import ApiClient, ApiError
from tool.wiki.contribs import parse_api_time

USERS_PER_REQUEST = 50


@dataclass(frozen=True)
class Account:
    """What a wiki says about one name as written on the event page."""

    asked: str  # the name as we asked for it
    name: str  # the name MediaWiki normalized it to
    state: str  # "ok", "missing", "invalid"
    user_id: int | None = None
    registration: datetime | None = None
    blocked: bool = False


def fetch_accounts(client: ApiClient, names: Iterable[str]) -> dict[str, Account]:
    """Account state for each name, keyed by the name as asked."""
    pending = list(dict.fromkeys(names))
    accounts: dict[str, Account] = {}
    for i in range(0, len(pending), USERS_PER_REQUEST):
        chunk = pending[i : i + USERS_PER_REQUEST]
        body = client.get(action="query", list="users", ususers=chunk, usprop="registration|blockinfo")
        query = body.get("query", {})
        # The API reports normalization ("foo_bar" → "Foo bar") separately from the results.
        renamed = {n["to"]: n["from"] for n in query.get("normalized", [])}
        for row in query.get("users", []):
            asked = renamed.get(row["name"], row["name"])
            accounts[asked] = _account(asked, row)
    for name in pending:
        # A name the API dropped entirely is not silently treated as having no edits.
        accounts.setdefault(name, Account(asked=name, name=name, state="invalid"))
    return accounts


def _account(asked: str, row: dict[str, object]) -> Account:
    if row.get("invalid"):
        return Account(asked=asked, name=str(row["name"]), state="invalid")
    if row.get("missing"):
        return Account(asked=asked, name=str(row["name"]), state="missing")
    registration = row.get("registration")
    return Account(
        asked=asked,
        name=str(row["name"]),
        state="ok",
        user_id=int(row["userid"]),  # type: ignore[call-overload]
        registration=parse_api_time(str(registration)) if registration else None,
        blocked="blockid" in row,
    )


def fetch_global_registration(client: ApiClient, name: str) -> tuple[int, datetime] | None:
    """(global id, global registration) where CentralAuth exists; None where it does not."""
    try:
        body = client.get(action="query", meta="globaluserinfo", guiuser=name)
    except ApiError as e:
        if e.code in {"badvalue", "unknown_meta"}:  # no CentralAuth on this wiki
            return None
        raise
    info = body.get("query", {}).get("globaluserinfo", {})
    if "missing" in info or "id" not in info:
        return None
    return int(info["id"]), parse_api_time(str(info["registration"]))


def has_centralauth(client: ApiClient) -> bool:
    """Whether the wiki has global accounts (CentralAuth): then registration dates are global."""
    body = client.get(action="query", meta="siteinfo", siprop="extensions")
    extensions = body.get("query", {}).get("extensions", [])
    return any(extension.get("name") == "CentralAuth" for extension in extensions)
