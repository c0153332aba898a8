"""What the tests of the on-wiki actions (register, settings, join) share: the tool on the farm, a
person logged in through the OAuth gateway, the wiki read back through its API, and what a wiki
admin does (protect a title, block an account) with MediaWiki's own maintenance scripts.

Every page the tests write is under Event outcomes/Test/ with a unique suffix, and is retired at
the end (no longer an event), so that the farm stays as the other tests expect it.
"""

from __future__ import annotations

import html
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import flask
import mwclient
import requests

from devwiki import mediawiki
from tests.conftest import bot_site, consent
from tests.store_fixtures import migrated
from tool import create_app

ORGANIZER = "Alice Wanjiku"
OTHER_ORGANIZER = "Bob Otieno"
PARTICIPANT = "Kofi Banda"
OTHER_PARTICIPANT = "Siddharth Hassan"
BLOCKED = "Dalia García"  # blocked and unblocked by the tests that need a blocked account


def farm_app(farm: dict[str, Any], tmp_path: Path) -> flask.Flask:
    return create_app(
        {"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"), "FARM": farm["status_file"]}
    )


def log_in(client: flask.testing.FlaskClient, account: str) -> None:
    """/login → the gateway's consent page, as the person fills it in → /oauth-callback."""
    started = client.get("/login")
    assert started.status_code == 302
    callback = consent(started.headers["Location"], account)
    finished = client.get("/oauth-callback?" + urlsplit(callback).query)
    assert finished.status_code == 302, finished.get_data(as_text=True)


def csrf(client: flask.testing.FlaskClient) -> str:
    """The session's CSRF token, as every form of the tool carries it."""
    client.get("/")  # the header's logout form makes one (a visitor's page has no form that POSTs)
    with client.session_transaction() as session:
        return str(session.setdefault("csrf_token", "a visitor's token"))


def unique(what: str) -> str:
    return f"Event outcomes/Test/{what} {uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Saved:
    """A page as the wiki keeps it: its text and latest revision, read anonymously from the wiki."""

    text: str
    revid: int
    user: str
    comment: str
    revisions: int


def on_wiki(farm: dict[str, Any], title: str) -> Saved | None:
    """The page read back from the wiki itself (not through the gateway), or None when missing."""
    params = {
        "action": "query", "titles": title, "prop": "revisions", "rvprop": "ids|user|comment|content",
        "rvslots": "main", "rvlimit": "max", "format": "json", "formatversion": "2",
    }  # fmt: skip
    page = requests.get(farm["wikis"]["metawiki"]["api"], params=params, timeout=30).json()["query"]["pages"][
        0
    ]
    if page.get("missing") or page.get("invalid"):
        return None
    latest = page["revisions"][0]
    return Saved(
        text=latest["slots"]["main"]["content"],
        revid=int(latest["revid"]),
        user=latest["user"],
        comment=latest["comment"],
        revisions=len(page["revisions"]),
    )


def write(farm: dict[str, Any], credentials: dict[str, Any], title: str, text: str) -> None:
    """Someone else (the farm's bot) writes the page."""
    bot_site(farm, credentials).pages[title].edit(text, summary="wikiactions test", bot=True)


def retire(farm: dict[str, Any], credentials: dict[str, Any], *titles: str) -> None:
    """No longer an event: the next discovery of the other tests does not find it."""
    site: mwclient.Site = bot_site(farm, credentials)
    for title in titles:
        if site.pages[title].exists:
            site.pages[title].edit("Retired by a wikiactions test.", summary="cleanup", bot=True)


def admin(farm: dict[str, Any], script: str, *args: str) -> str:
    """What a wiki admin does, with MediaWiki's own maintenance scripts on the events wiki."""
    return mediawiki.maintenance(Path(farm["wikis"]["metawiki"]["settings"]), script, *args)


def block(farm: dict[str, Any], account: str, *, unblock: bool = False) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as names:
        names.write(account + "\n")
        names.flush()
        flags = ["--unblock"] if unblock else ["--reason", "Testing blocks of Event Outcomes"]
        admin(farm, "blockUsers.php", *flags, names.name)


def field_value(page: str, name: str) -> str:
    """The value a form's text field holds (as the browser shows it)."""
    found = re.search(rf'<input [^>]*name="{re.escape(name)}" value="([^"]*)"', page)
    assert found, name
    return html.unescape(found.group(1))
