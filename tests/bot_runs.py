"""The outcomes bot as its job runs it: ``python -m bots.outcomes_bot`` in its own process, on the farm.

Each test gets its own store, instance folder (pywikibot's folder in it), run page and Outcomes
subpage name (``TOOL_OUTCOMES_SUBPAGE``), so its pages start missing whatever earlier runs wrote,
and nothing it does shows in another test's pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mwclient

from tests.store_fixtures import migrated

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BotRun:
    code: int
    out: str
    err: str

    def lines(self, status: str) -> list[str]:
        """The report's pages with this status ("written", "unchanged", "skipped", "failed")."""
        return sorted(
            line.removeprefix(f"{status}: ")
            for line in self.out.splitlines()
            if line.startswith(f"{status}: ")
        )


@dataclass
class BotSetup:
    env: dict[str, str]
    subpage: str
    run_page: str
    tmp_path: Path

    def run(self, *args: str, **extra: str) -> BotRun:
        env = {**self.env, **{f"TOOL_{key}": value for key, value in extra.items()}}
        done = subprocess.run(
            [sys.executable, "-m", "bots.outcomes_bot", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        return BotRun(done.returncode, done.stdout, done.stderr)

    def page(self, title: str) -> str:
        """The Outcomes page of the event or cohort page ``title``."""
        return f"{title}/{self.subpage}"


def setup(farm: dict[str, Any], tmp_path: Path, site: mwclient.Site) -> BotSetup:
    """A fresh store and instance folder, a run page saying "yes", and an Outcomes subpage of its own."""
    tag = uuid.uuid4().hex[:8]
    run_page = f"User:OutcomesBot/Run/{tag}"
    site.pages[run_page].edit("yes", summary="the bot tests' run page", bot=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TOOL_", "PYWIKIBOT"))}
    env.update(
        {
            "TOOL_FARM": farm["status_file"],
            "TOOL_DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"),
            "TOOL_INSTANCE_PATH": str(tmp_path / "instance"),
            "TOOL_BOT_EDIT_INTERVAL": "0",
            "TOOL_BOT_RUN_PAGE": run_page,
            "TOOL_OUTCOMES_SUBPAGE": f"Outcomes {tag}",
        }
    )
    return BotSetup(env, f"Outcomes {tag}", run_page, tmp_path)


def admin_site(farm: dict[str, Any], credentials: dict[str, Any], wiki: str = "metawiki") -> mwclient.Site:
    host = farm["wikis"][wiki]["server"].removeprefix("http://")
    site = mwclient.Site(host, path="/", scheme="http", clients_useragent="event-outcomes-tests")
    site.login(credentials["admin"]["username"], credentials["admin"]["password"])
    return site


def revision(site: mwclient.Site, title: str) -> int:
    """The page's latest revision id (0: no page)."""
    answer = site.api("query", prop="revisions", titles=title, rvprop="ids")
    page = next(iter(answer["query"]["pages"].values()))
    return int(page["revisions"][0]["revid"]) if "revisions" in page else 0


def text(site: mwclient.Site, title: str) -> str:
    return str(site.pages[title].text(cache=False))


def rendered(site: mwclient.Site, title: str) -> str:
    """The page's HTML as MediaWiki renders it (action=parse)."""
    return str(site.api("parse", page=title, prop="text", formatversion=2)["parse"]["text"])


def last_edit_by(site: mwclient.Site, user: str) -> int:
    """The revision id of ``user``'s latest edit on the wiki (0: none): it moves with every edit."""
    answer = site.api("query", list="usercontribs", ucuser=user, uclimit=1, ucprop="ids")
    contributions = answer["query"]["usercontribs"]
    return int(contributions[0]["revid"]) if contributions else 0


def credentials_of(farm: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(farm["credentials"]).read_text())
    return data
