"""Joining an event and withdrawing (issue #10, item 3): the participant's own line, added and
struck with their own account through the OAuth gateway, read back from the wiki; twice is once;
an ended event or a closed sign-up edits nothing; bad requests write nothing."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask
import pytest

from tests.wikiactions import (
    BLOCKED,
    PARTICIPANT,
    block,
    csrf,
    farm_app,
    log_in,
    on_wiki,
    retire,
    unique,
    write,
)
from tool.pipeline import discover
from tool.web.data import EXTENSION
from tool.web.titles import url_part
from tool.wiki.eventpage import ParsedEvent

pytestmark = pytest.mark.farm

FUTURE = """{{Event outcomes
 | name         = Swahili Wikipedia day
 | start        = 2027-05-08
 | end          = 2027-05-08
 | wikis        = swwiki
 | organizers   = Alice Wanjiku
}}
A day of writing.

== Participants ==
<!-- One person per line: # {{Event participant|User name}} and a signature. -->
# {{Event participant|Siddharth Hassan}}

== Notes ==
Bring a laptop.
"""
SIGNATURE = re.compile(
    rf"# \{{\{{Event participant\|{PARTICIPANT}\}}\}} \[\[User:{PARTICIPANT}\|{PARTICIPANT}\]\] "
    rf"\(\[\[User talk:{PARTICIPANT}\|talk\]\]\) \d\d:\d\d, \d+ \w+ \d{{4}} \(UTC\)"
)


@pytest.fixture
def app(farm: dict[str, Any], tmp_path: Path) -> flask.Flask:
    return farm_app(farm, tmp_path)


@pytest.fixture
def pages(farm: dict[str, Any], farm_credentials: dict[str, Any]) -> Iterator[list[str]]:
    written: list[str] = []
    yield written
    retire(farm, farm_credentials, *written)


def event_page(
    app: flask.Flask, farm: dict[str, Any], credentials: dict[str, Any], pages: list[str], text: str
) -> str:
    """An event page someone else wrote, read into the tool's store as discovery reads it."""
    title = unique("Join")
    pages.append(title)
    write(farm, credentials, title, text)
    runtime = app.extensions[EXTENSION]
    assert discover.discover_page(runtime, runtime.store, title).status == "parsed"
    return title


def participant(app: flask.Flask, account: str = PARTICIPANT) -> flask.testing.FlaskClient:
    client = app.test_client()
    log_in(client, account)
    return client


def act(client: flask.testing.FlaskClient, title: str, do: str) -> str:
    """Press the event page's button; returns the page the person lands on (its text, unescaped)."""
    answer = client.post(f"/event/{url_part(title)}/join", data={"do": do, "csrf_token": csrf(client)})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:3000]
    assert answer.headers["Location"] == f"/event/{url_part(title)}"
    return html.unescape(client.get(answer.headers["Location"]).get_data(as_text=True))


def parsed(app: flask.Flask, title: str, text: str) -> ParsedEvent:
    event = discover.parse_text(app.extensions[EXTENSION], text, title)
    assert isinstance(event, ParsedEvent)
    return event


def added(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_a_participant_joins_with_their_own_account_and_joining_twice_edits_once(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], pages: list[str]
) -> None:
    title = event_page(app, farm, farm_credentials, pages, FUTURE)
    client = participant(app)
    shown = client.get(f"/event/{url_part(title)}").get_data(as_text=True)
    assert 'value="join">Join this event</button>' in shown
    before = on_wiki(farm, title)
    assert before is not None

    landed = act(client, title, "join")
    joined = on_wiki(farm, title)
    assert joined is not None
    assert (joined.user, joined.comment, joined.revisions) == (
        PARTICIPANT, "Joining the event with Event Outcomes", before.revisions + 1
    )  # fmt: skip
    # One line, with the signature the wiki made of the four tildes, after the list and before "Notes".
    (line,) = [change.removeprefix("+") for change in added(before.text, joined.text)]
    assert SIGNATURE.fullmatch(line), line
    assert joined.text.index(line) < joined.text.index("== Notes ==")
    assert [p.user for p in parsed(app, title, joined.text).participants] == ["Siddharth Hassan", PARTICIPANT]
    assert 'You joined "Swahili Wikipedia day"' in landed
    assert 'value="withdraw">Withdraw</button>' in landed  # the tool read the page again at once

    landed = act(client, title, "join")
    assert on_wiki(farm, title) == joined  # twice is once
    assert "You are already listed among the participants" in landed


def test_withdrawing_strikes_the_line_and_joining_again_unstrikes_it(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], pages: list[str]
) -> None:
    title = event_page(app, farm, farm_credentials, pages, FUTURE)
    client = participant(app)
    act(client, title, "join")
    joined = on_wiki(farm, title)
    assert joined is not None

    landed = act(client, title, "withdraw")
    withdrawn = on_wiki(farm, title)
    assert withdrawn is not None
    assert (withdrawn.user, withdrawn.comment) == (
        PARTICIPANT,
        "Withdrawing from the event with Event Outcomes",
    )
    (old, new) = added(joined.text, withdrawn.text)
    assert new == "+# <s>" + old.removeprefix("-# ") + "</s>"
    event = parsed(app, title, withdrawn.text)
    assert ([p.user for p in event.participants], [p.user for p in event.withdrawn]) == (
        ["Siddharth Hassan"], [PARTICIPANT]
    )  # fmt: skip
    assert 'You withdrew from "Swahili Wikipedia day"' in landed
    assert 'value="join">Join this event</button>' in landed

    landed = act(client, title, "withdraw")
    assert on_wiki(farm, title) == withdrawn  # nothing left to withdraw: no edit
    assert "You are not listed among the participants" in landed

    act(client, title, "join")
    rejoined = on_wiki(farm, title)
    assert rejoined is not None
    assert rejoined.text == joined.text  # the struck line, un-struck: the list as it was


@pytest.mark.parametrize(
    ("change", "said", "note"),
    [
        (("2027-05-08", "2025-05-08"), '"Swahili Wikipedia day" has ended', "This event has ended"),
        ((" | organizers", " | signup       = closed\n | organizers"), "is closed (its page says so)",
         "Sign-up for this event is closed."),
        ((" | organizers", " | participants = Join/Sign-up sheet\n | organizers"),
         'are listed on the page "Join/Sign-up sheet"', None),
    ],
    ids=["ended", "closed", "elsewhere"],
)  # fmt: skip
def test_an_ended_event_a_closed_sign_up_or_a_list_elsewhere_says_so_and_edits_nothing(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], pages: list[str],
    change: tuple[str, str], said: str, note: str | None,
) -> None:  # fmt: skip
    title = event_page(app, farm, farm_credentials, pages, FUTURE.replace(*change))
    client = participant(app)
    shown = html.unescape(client.get(f"/event/{url_part(title)}").get_data(as_text=True))
    if note:
        assert note in shown
        assert 'value="join"' not in shown
    before = on_wiki(farm, title)
    landed = act(client, title, "join")
    assert said in landed
    assert on_wiki(farm, title) == before


def test_bad_requests_write_nothing(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], pages: list[str]
) -> None:
    title = event_page(app, farm, farm_credentials, pages, FUTURE)
    before = on_wiki(farm, title)
    path = f"/event/{url_part(title)}/join"

    visitor = app.test_client()
    answer = visitor.post(path, data={"do": "join", "csrf_token": csrf(visitor)})
    assert answer.status_code == 401
    assert f'href="/login?returnto=/event/{url_part(title)}"' in answer.get_data(as_text=True)

    client = participant(app)
    for data in ({"do": "join"}, {"do": "join", "csrf_token": "not-the-token"}):
        assert client.post(path, data=data).status_code == 400
    assert client.get(path).status_code == 404  # a link never joins anyone: no page has that title
    missing = client.post("/event/Event_outcomes/Test/No_such_event/join", data={"csrf_token": csrf(client)})
    assert missing.status_code == 404
    plain = unique("Not an event")
    pages.append(plain)
    write(farm, farm_credentials, plain, "A page without the template.\n== Participants ==\n# [[User:Ana]]\n")
    not_event = client.post(f"/event/{url_part(plain)}/join", data={"do": "join", "csrf_token": csrf(client)})
    assert not_event.status_code == 404
    assert on_wiki(farm, title) == before

    # A token the wiki no longer accepts: logged out, told, nothing written.
    with client.session_transaction() as session:
        session["oauth_access_token"] = {**session["oauth_access_token"], "secret": "revoked"}
    answer = client.post(path, data={"do": "join", "csrf_token": csrf(client)})
    assert answer.status_code == 401
    assert "The wiki no longer accepts your login" in html.unescape(answer.get_data(as_text=True))
    with client.session_transaction() as session:
        assert "user" not in session
    assert on_wiki(farm, title) == before


def test_a_blocked_account_is_told_why_and_nothing_is_written(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], pages: list[str]
) -> None:
    title = event_page(app, farm, farm_credentials, pages, FUTURE)
    before = on_wiki(farm, title)
    client = participant(app, BLOCKED)
    block(farm, BLOCKED)
    try:
        answer = client.post(
            f"/event/{url_part(title)}/join", data={"do": "join", "csrf_token": csrf(client)}
        )
    finally:
        block(farm, BLOCKED, unblock=True)
    assert answer.status_code == 403
    page = html.unescape(answer.get_data(as_text=True))
    assert "Your account is blocked from editing this page on the wiki" in page
    assert "Testing blocks of Event Outcomes" in page
    assert on_wiki(farm, title) == before
