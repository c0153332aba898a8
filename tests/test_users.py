"""Participants' accounts with list=users: 50 names a request, each name's state as the wiki says."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from devwiki.generator import PROFILES, generate
from tests.wiki_double import Answer, scripted_wiki
from tool.wiki.api import ApiClient
from tool.wiki.users import fetch_accounts

# The shape MediaWiki 1.39+ answers (formatversion=2) for an existing, a blocked, a missing and an
# invalid name, with the normalization it applied to "ana_maría".
USERS_ANSWER = Answer(
    200,
    {
        "batchcomplete": True,
        "query": {
            "normalized": [{"fromencoded": False, "from": "ana_maría", "to": "Ana maría"}],
            "users": [
                {"userid": 7, "name": "Ana maría", "registration": "2026-03-01T10:00:00Z"},
                {"userid": 8, "name": "Blocked user", "registration": "2020-01-01T00:00:00Z", "blockid": 3,
                 "blockedby": "Admin", "blockedbyid": 1, "blockreason": "spam", "blockexpiry": "infinite"},
                {"name": "Nobody here", "missing": True},
                {"name": "Bad|name", "invalid": True},
            ],
        },
    },
)  # fmt: skip


def test_each_state_is_reported_per_name() -> None:
    with scripted_wiki([USERS_ANSWER]) as (api, script):
        accounts = fetch_accounts(ApiClient(api), ["ana_maría", "Blocked user", "Nobody here", "Bad|name"])
    assert {name: (a.state, a.blocked) for name, a in accounts.items()} == {
        "ana_maría": ("ok", False),
        "Blocked user": ("ok", True),
        "Nobody here": ("missing", False),
        "Bad|name": ("invalid", False),
    }
    assert accounts["ana_maría"].name == "Ana maría"
    assert accounts["ana_maría"].registration == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    assert script.requests[0]["params"]["usprop"] == "registration|blockinfo"


def test_names_go_fifty_to_a_request() -> None:
    empty = Answer(200, {"batchcomplete": True, "query": {"users": []}})
    names = [f"Person {n}" for n in range(120)]
    with scripted_wiki([empty]) as (api, script):
        accounts = fetch_accounts(ApiClient(api), names)
    assert [len(r["params"]["ususers"].split("|")) for r in script.requests] == [50, 50, 20]
    # A name the API left out is not silently an account with no edits.
    assert {a.state for a in accounts.values()} == {"invalid"}


@pytest.mark.farm
def test_registration_dates_from_the_farm(farm: dict[str, Any]) -> None:
    history = generate(PROFILES["test"])
    people = [u for u in history.users if u.role == "participant"][:5]
    accounts = fetch_accounts(
        ApiClient(farm["wikis"]["enwiki"]["api"]), [u.name for u in people] + ["Nobody at all"]
    )
    for user in people:
        assert accounts[user.name].state == "ok"
        assert accounts[user.name].registration == user.registration.replace(microsecond=0)
    assert accounts["Nobody at all"].state == "missing"
