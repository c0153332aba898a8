"""The outcomes bot writing one page while someone else edits it: ``python -m tests.bot_conflict MODE TITLE``.

Run by tests/test_outcomes_bot.py in its own process, with the bot's environment (tests/bot_runs.py).
The bot is the real one, saving to the farm; the only addition is a person — the farm's Admin —
who saves the same page right before the bot's save: before the first one only (``once``), or
before both (``twice``). The wiki then answers the bot with a real edit conflict. Prints the report.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import mwclient

# Through the bots package, which points pywikibot at the instance folder before importing it.
from bots import outcomes_bot
from bots.outcomes_bot import OutcomesBot, Target
from bots.report import Report
from bots.site import configure, login
from tests.test_export import _sample
from tool import ROOT
from tool.config import load_config
from tool.runtime import Runtime

# What the person writes: first the page (created while the bot was about to), then a paragraph at
# its end, where the bot appends its block: two insertions at one place, which the wiki's three-way
# merge can never reconcile (a rewritten first line beside the bot's insertion it sometimes could).
FIRST = "Notes by someone, written while the bot was about to."
SECOND = FIRST + "\n\nAnd a second paragraph, where the bot's block would go."


class Racing(OutcomesBot):
    def __init__(self, *args: Any, person: mwclient.Site, races: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person, self.races, self.saves = person, races, 0

    def userPut(self, page: Any, oldtext: str, newtext: str, **kwargs: Any) -> bool:
        self.saves += 1
        if self.saves <= self.races:
            text = FIRST if self.saves == 1 else SECOND
            self.person.pages[page.title()].edit(text, summary="meanwhile")
        return bool(super().userPut(page, oldtext, newtext, **kwargs))


def main(mode: str, title: str) -> int:
    rt = Runtime(load_config(ROOT / "instance"))
    configure(rt)
    outcomes_bot.pywikibot.handle_args([])
    site = login(rt)
    status = json.loads(Path(rt.config["FARM"]).read_text())
    admin = json.loads(Path(status["credentials"]).read_text())["admin"]
    person = mwclient.Site(
        status["wikis"]["metawiki"]["server"].removeprefix("http://"), path="/", scheme="http"
    )
    person.login(admin["username"], admin["password"])
    report = Report(datetime.now(UTC))
    target = Target("event", title, "Conflict test", "en", _sample())
    races = {"once": 1, "twice": 2}[mode]
    Racing(site, rt, [target], report, person=person, races=races, always=True).run()
    sys.stdout.write(report.text())
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
