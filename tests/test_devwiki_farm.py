"""The local wiki farm is a real MediaWiki: the bot edits, usercontribs matches the generator."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import mwclient
import pytest

from devwiki import farm as farm_module
from devwiki.generator import PROFILES, generate
from devwiki.mediawiki import FarmError


def _site(info: dict[str, Any]) -> mwclient.Site:
    host = info["server"].removeprefix("http://")
    return mwclient.Site(host, path="/", scheme="http", clients_useragent="event-outcomes-tests (devwiki)")


@pytest.fixture(scope="module")
def history() -> Any:
    return generate(PROFILES["test"])


def test_bot_edits_a_page_and_reads_it_back(farm: dict[str, Any], farm_credentials: dict[str, Any]) -> None:
    site = _site(farm["wikis"]["metawiki"])
    bot = farm_credentials["bot"]
    site.login(bot["botpassword_user"], bot["botpassword"])
    title = f"User:OutcomesBot/Farm check {uuid.uuid4().hex[:8]}"
    text = f"Checked by the test suite: {uuid.uuid4()} — ünïcødé"
    site.pages[title].edit(text, summary="farm check", bot=True)

    fresh = _site(farm["wikis"]["metawiki"])  # anonymous: the edit is really stored, not cached
    assert fresh.pages[title].text() == text
    revision = next(fresh.pages[title].revisions(prop="user|flags"))
    assert revision["user"] == "OutcomesBot"


@pytest.mark.parametrize("wiki", ["enwiki", "swwiki", "commonswiki"])
def test_usercontribs_match_the_generator(farm: dict[str, Any], history: Any, wiki: str) -> None:
    # The busiest participant on this wiki: their count is least likely to match by accident.
    counts: dict[str, int] = {}
    for revision in history.revisions_on(wiki):
        counts[revision.user] = counts.get(revision.user, 0) + 1
    participants = {u.name for u in history.users if u.role == "participant"}
    user = max((u for u in counts if u in participants), key=lambda u: counts[u])
    expected = history.contributions(user, wiki=wiki)

    site = _site(farm["wikis"][wiki])
    got = list(site.usercontributions(user, prop="ids|timestamp|sizediff|flags|title"))
    assert len(got) == len(expected) > 0
    assert sum(c["sizediff"] for c in got) == sum(r.sizediff for r in expected)
    assert sum(1 for c in got if "new" in c) == sum(1 for r in expected if r.new)


def test_registration_dates_are_the_generators(farm: dict[str, Any], history: Any) -> None:
    site = _site(farm["wikis"]["enwiki"])
    sample = [u for u in history.users if u.role == "participant"][:5]
    answer = site.api("query", list="users", ususers="|".join(u.name for u in sample), usprop="registration")
    got = {u["name"]: u["registration"] for u in answer["query"]["users"]}
    assert got == {u.name: u.registration.strftime("%Y-%m-%dT%H:%M:%SZ") for u in sample}


def test_event_pages_transclude_the_template(farm: dict[str, Any], history: Any) -> None:
    site = _site(farm["wikis"]["metawiki"])
    embedded = {
        p["title"]
        for p in site.api("query", list="embeddedin", eititle="Template:Event outcomes", eilimit="max")[
            "query"
        ]["embeddedin"]
    }
    assert {event.title for event in history.events} <= embedded


def test_status_json_names_each_api_and_the_credentials(farm: dict[str, Any]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "devwiki",
            "status",
            "--profile",
            "test",
            "--json",
            "--base-port",
            str(farm["base_port"]),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    status = json.loads(done.stdout)
    assert status["running"] is True
    assert set(status["wikis"]) == {"metawiki", "enwiki", "swwiki", "commonswiki"}
    assert status["wikis"]["enwiki"]["api"].startswith("http://127.0.0.1:")
    assert json.loads(Path(status["credentials"]).read_text())["bot"]["username"] == "OutcomesBot"


def test_a_port_in_use_is_named_with_the_way_out() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        farm = farm_module.Farm(PROFILES["test"], base_port=port)
        with pytest.raises(FarmError, match=rf"port {port} .*in use.*--base-port"):
            farm_module.check_ports(farm)
