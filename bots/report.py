"""The bot's run report: for each page, written, unchanged, skipped (why) or failed (why).

Printed at the end of every run, and written where the maintainer configures it: a file
(``BOT_REPORT_FILE``) and a wiki page (``BOT_REPORT_PAGE``). The page is a table; names in it go
through ``literal`` like everything the bot writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from tool import messages
from tool.wiki.literal import literal, needs_nowiki

Status = Literal["done", "unchanged", "skipped", "failed"]
STATUSES: tuple[Status, ...] = ("done", "unchanged", "skipped", "failed")


@dataclass(frozen=True)
class Entry:
    kind: str  # "event" or "cohort"
    page: str  # the Outcomes page
    status: Status
    why: str = ""  # for skipped and failed: the reason, in words

    def line(self) -> str:
        status = messages.text(f"bot-status-{self.status}")
        if self.why:
            return messages.text("bot-report-entry-why", status=status, page=self.page, reason=self.why)
        return messages.text("bot-report-entry", status=status, page=self.page)


@dataclass
class Report:
    started: datetime
    simulated: bool = False
    entries: list[Entry] = field(default_factory=list)
    # Why the run stopped before its end (the run page), if it did.
    stopped: str | None = None

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    @property
    def failed(self) -> bool:
        return any(entry.status == "failed" for entry in self.entries)

    def counts(self) -> Counter[str]:
        return Counter(entry.status for entry in self.entries)

    def summary_line(self) -> str:
        counts = self.counts()
        return messages.text(
            "bot-report-summary",
            num_done=counts["done"],
            num_unchanged=counts["unchanged"],
            num_skipped=counts["skipped"],
            num_failed=counts["failed"],
        )

    def text(self) -> str:
        """The report as plain text: one line a page, then the totals (the job log, the file)."""
        lines = [messages.text("bot-report-heading", time=_time(self.started))]
        if self.simulated:
            lines.append(messages.text("bot-report-simulated"))
        lines += [entry.line() for entry in self.entries]
        if self.stopped:
            lines.append(self.stopped)
        lines.append(self.summary_line())
        return "\n".join(lines) + "\n"

    def wikitext(self) -> str:
        """The report as a wiki page: the totals, then a table of the pages."""
        lines = [literal(messages.text("bot-report-heading", time=_time(self.started)))]
        lines += ["", literal(self.summary_line())]
        if self.stopped:
            lines += ["", literal(self.stopped)]
        lines += ["", '{| class="wikitable sortable"']
        headings = (messages.text(f"bot-report-column-{column}") for column in ("page", "status", "reason"))
        lines.append("! " + " !! ".join(literal(heading) for heading in headings))
        for entry in self.entries:
            # A link to the page, unless its title holds what a link would read as markup (~~~, __).
            link = literal(entry.page) if needs_nowiki(entry.page) else f"[[:{entry.page}]]"
            status = literal(messages.text(f"bot-status-{entry.status}"))
            lines += ["|-", f"| {link} || {status} || {literal(entry.why) if entry.why else '—'}"]
        lines.append("|}")
        return "\n".join(lines) + "\n"


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
