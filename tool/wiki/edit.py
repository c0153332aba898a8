"""Reading a page as an edit starts from it, and saving the edit without ever overwriting anyone.

Every save says what it is based on, so the wiki detects what happened meanwhile: a new page is
created only if it still does not exist (``createonly``); a change of an existing page names the
revision it was made from (``baserevid``) and when the editing started (``starttimestamp``), so a
change someone else made meanwhile is merged by the wiki when it can be and refused as an edit
conflict when it cannot, and a page deleted meanwhile is not re-created.
Nothing is ever forced. Each save asserts the account it is made as (``assert=user``,
``assertuser``), and carries the text's MD5 so that a text cut on the way is refused, not saved.

The client is the person's own (tool.runtime.Runtime.user_client: OAuth 1.0a); reading works with
any client. What the wiki refuses becomes :class:`EditFailed`, with the API's code and its
:attr:`~EditFailed.kind` — the few situations a person is told about in their own words.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from tool.wiki.api import ApiClient, ApiError, WikiUnavailable

Kind = Literal[
    "logged-out", "exists", "conflict", "protected", "blocked", "deleted", "bad-title", "read-only",
    "rate-limited", "refused",
]  # fmt: skip

# The API's codes by what they mean for the person (https://www.mediawiki.org/wiki/API:Edit#Errors).
_KINDS: dict[str, Kind] = {
    "assertuserfailed": "logged-out",
    "assertnameduserfailed": "logged-out",
    "notloggedin": "logged-out",
    "articleexists": "exists",
    "editconflict": "conflict",
    "protectedpage": "protected",
    "protectedtitle": "protected",
    "cascadeprotected": "protected",
    "protectednamespace": "protected",
    "protectednamespace-interface": "protected",
    "customcssprotected": "protected",
    "customjsprotected": "protected",
    "customjsonprotected": "protected",
    "cantcreate": "protected",
    "noedit": "protected",
    "permissiondenied": "protected",
    "pagedeleted": "deleted",
    "missingtitle": "deleted",
    "invalidtitle": "bad-title",
    "readonly": "read-only",
    "ratelimited": "rate-limited",
}


class EditFailed(Exception):
    """The wiki did not save the edit: its API code and message, and what that means (``kind``)."""

    def __init__(self, code: str, info: str, reason: str = "") -> None:
        super().__init__(f"{code}: {info}")
        self.code = code
        self.info = info
        self.kind = kind_of(code)
        self.reason = reason  # a block's reason, as the admin wrote it


class BadTitle(Exception):
    """A title no page can have on the wiki (the wiki's reason), or a special page."""

    def __init__(self, title: str, reason: str) -> None:
        super().__init__(f"{title}: {reason}")
        self.title = title
        self.reason = reason


def kind_of(code: str) -> Kind:
    if code.startswith("mwoauth-invalid-authorization"):
        return "logged-out"  # the token was revoked, expired or is not the consumer's
    if code.startswith("titleblacklist"):
        return "protected"  # the wiki's list of titles only some accounts may create
    if "blocked" in code:
        return "blocked"  # blocked, autoblocked, globalblocking-…, blocked on this page …
    return _KINDS.get(code, "refused")  # spam or abuse filters, hooks, a text too big …


@dataclass(frozen=True)
class Revision:
    revid: int
    timestamp: str  # as the API writes it
    text: str
    user: str


@dataclass(frozen=True)
class PageState:
    """A page as an edit starts from it."""

    title: str  # as the wiki spells it
    namespace: int
    page_id: int  # 0 when the page does not exist
    revision: Revision | None  # the latest; None when the page does not exist
    read_at: str  # the wiki's time of the reading, for starttimestamp


@dataclass(frozen=True)
class Edit:
    title: str
    text: str
    summary: str
    user: str  # the account the edit must be made as (assertuser)
    started: str  # starttimestamp: when the person started (the page was read for them)
    base: Revision | None = None  # the revision changed; None: a new page (createonly)


@dataclass(frozen=True)
class Saved:
    revid: int
    changed: bool  # False: the text was already the page's (the wiki made no revision)


_REVISION_PROPS = "ids|timestamp|content|user"


def fetch_page(client: ApiClient, title: str) -> PageState:
    """The page's latest revision, or that it does not exist. BadTitle when no page can have it."""
    body = client.get(
        action="query", titles=[title], prop="revisions", rvprop=_REVISION_PROPS, rvslots="main",
        curtimestamp=True,
    )  # fmt: skip
    page = body["query"]["pages"][0]
    if page.get("invalid"):
        raise BadTitle(title, str(page.get("invalidreason", "")))
    if int(page.get("ns", 0)) < 0:
        raise BadTitle(title, "special")  # Special: and Media: pages cannot be edited
    revision = _revision(page["revisions"][0]) if page.get("revisions") else None
    return PageState(
        page["title"], int(page["ns"]), int(page.get("pageid", 0)), revision, body["curtimestamp"]
    )


def fetch_revision(client: ApiClient, revid: int) -> tuple[str, Revision] | None:
    """A revision by its id, with the title of its page; None when the wiki has no such revision."""
    body = client.get(
        action="query", revids=[revid], prop="revisions", rvprop=_REVISION_PROPS, rvslots="main"
    )
    pages = body.get("query", {}).get("pages", [])
    if not pages or not pages[0].get("revisions"):
        return None
    return pages[0]["title"], _revision(pages[0]["revisions"][0])


def fetch_creator(client: ApiClient, title: str) -> str | None:
    """Who made the page's first revision; None when the page does not exist or the name is hidden."""
    body = client.get(
        action="query", titles=[title], prop="revisions", rvprop="user", rvdir="newer", rvlimit=1
    )
    revisions = body["query"]["pages"][0].get("revisions") or [{}]
    name = revisions[0].get("user")
    return str(name) if name and not revisions[0].get("userhidden") else None


def save(client: ApiClient, edit: Edit) -> Saved:
    """Save ``edit`` as its account; EditFailed when the wiki refuses it, whatever the reason."""
    params: dict[str, Any] = {
        "action": "edit",
        "title": edit.title,
        "text": edit.text,
        "summary": edit.summary,
        "assert": "user",
        "assertuser": edit.user,
        "starttimestamp": edit.started,
        "md5": hashlib.md5(edit.text.encode("utf-8")).hexdigest(),
        "watchlist": "nochange",
    }
    if edit.base is None:
        params["createonly"] = True
    else:
        # baserevid without basetimestamp: with a base timestamp MediaWiki lets an edit pass as "no
        # conflict with oneself" when nobody saved *after that second* (EditPage, userWasLastToEdit
        # compares timestamps with ">"), so an edit someone else saved in the same second as the
        # base would be overwritten. With the revision alone it compares revision ids, and merges
        # or refuses whatever came after the base.
        params.update(nocreate=True, baserevid=edit.base.revid)
    for attempt in range(2):
        try:
            params["token"] = _csrf_token(client)
            body = client.call("POST", params)
        except ApiError as e:
            if e.code == "badtoken" and attempt == 0:
                continue  # the session's token changed meanwhile: once more with the new one
            reason = _block_reason(client) if kind_of(e.code) == "blocked" else ""
            raise EditFailed(e.code, e.info, reason) from e
        result = body.get("edit", {})
        if result.get("result") != "Success":
            # A captcha, or an extension's refusal given as a "Failure" result, not as an error.
            raise EditFailed("failure", str({k: v for k, v in result.items() if k != "result"})[:300])
        if result.get("nochange"):
            return Saved(edit.base.revid if edit.base else 0, changed=False)
        return Saved(int(result["newrevid"]), changed=True)
    raise EditFailed("badtoken", "the wiki refused two fresh edit tokens")


def _block_reason(client: ApiClient) -> str:
    """Why the account is blocked: the edit's error says only that it is (mwclient keeps no more)."""
    try:
        info = client.get(action="query", meta="userinfo", uiprop="blockinfo")["query"]["userinfo"]
    except (ApiError, WikiUnavailable):
        return ""
    return str(info.get("blockreason", ""))


def _csrf_token(client: ApiClient) -> str:
    return str(client.get(action="query", meta="tokens", type="csrf")["query"]["tokens"]["csrftoken"])


def _revision(data: dict[str, Any]) -> Revision:
    return Revision(
        revid=int(data["revid"]),
        timestamp=str(data["timestamp"]),
        text=str(data["slots"]["main"].get("content", "")),
        user=str(data.get("user", "")),
    )
