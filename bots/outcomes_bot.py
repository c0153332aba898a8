#!/usr/bin/env python3
"""The nightly outcomes bot: refresh every event and cohort, then write each one's summary to the wiki.

    python -m bots.outcomes_bot [-always] [-simulate] [-pt:SECONDS]

In the manner of pywikibot's ``scripts/basic.py``: one bot class, ``treat_page()`` per page, saved
through ``userPut`` (so ``-always`` and the confirmation prompt work as in every pywikibot script),
never with ``force``. What it does, in order:

1. takes the nightly lock (tool.cli.runlock: Redis, or a file without Redis), shared with
   ``python -m tool nightly``, so two runs never overlap (exit status 75 when another holds it);
2. logs in to the home wiki as the tool's bot (a bot password from the configuration) and reads
   its run page (``User:<bot>/Run``, or BOT_RUN_PAGE): anything but "yes" stops it (status 77);
3. runs the nightly pipeline inline (tool.pipeline.nightly: discover, refresh every event and
   cohort, keep the comparisons) — the queue of issue #10 will take the refreshes there;
4. writes each event's and cohort's summary (tool.summary, the renderer of the .wiki download) to
   ``<page>/Outcomes`` (OUTCOMES_SUBPAGE) between its marker comments (bots.markers): only when the
   figures changed, never over ``{{bots}}``/``{{nobots}}``, and it reads the run page again before
   every save, so a "no" there stops it at once;
5. prints its run report (bots.report) and writes it to BOT_REPORT_FILE and BOT_REPORT_PAGE when
   set; exits with status 1 when any page failed.

``-simulate`` (pywikibot's) shows each change as a diff and saves nothing; ``-always`` saves without
asking, for the scheduled job. Edit summaries and the summary itself are in the event's language
(its ``language`` field) when the tool's messages have it, else in English.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pywikibot
from pywikibot.bot import CurrentPageBot, SingleSiteBot
from pywikibot.exceptions import (
    APIError,
    EditConflictError,
    Error,
    InvalidTitleError,
    LockedPageError,
    OtherPageSaveError,
)
from pywikibot.site import APISite

from bots import markers
from bots.report import Entry, Report, Status
from bots.site import NoBotAccount, configure, login
from tool import ROOT, messages, summary
from tool.cli.printer import Printer
from tool.cli.runlock import LockLost, LockUnavailable, RunLock, job_lock
from tool.config import load_config
from tool.metrics import Outcomes
from tool.pipeline.nightly import NightlyRun, run_nightly
from tool.runtime import BotLoginFailed, Runtime
from tool.store import SchemaBehind, Store, StoreUnavailable

#: Another run holds the lock (sysexits' EX_TEMPFAIL), as ``python -m tool nightly``.
EXIT_LOCKED = 75
#: The run page does not say "yes" (sysexits' EX_NOPERM): the community stopped the bot.
EXIT_STOPPED = 77


#: The API's error codes for an account that may not edit (MediaWiki's ApiBlockInfoTrait).
_BLOCKED = frozenset({"blocked", "autoblocked"})


class Stopped(Exception):
    """The run page does not say "yes" (any more)."""


@dataclass(frozen=True)
class Target:
    """One page to write: an event's or a cohort's Outcomes page, and what goes on it."""

    kind: str  # "event" or "cohort"
    title: str  # the event's or cohort's page
    name: str
    language: str
    outcomes: Outcomes


class OutcomesBot(SingleSiteBot, CurrentPageBot):
    """Writes each target's summary between the markers of its Outcomes page."""

    def __init__(self, site: APISite, rt: Runtime, targets: Sequence[Target], report: Report, **kwargs: Any):
        self.rt = rt
        self.report = report
        self.targets = {_page_title(rt, target): target for target in targets}
        self.run_page = pywikibot.Page(site, _run_page_title(rt, site))
        self.stopped: str | None = None
        pages = []
        for title, target in self.targets.items():
            try:
                page = pywikibot.Page(site, title)
                page.title()  # pywikibot reads a title when first asked for it
            except InvalidTitleError:
                # An event's title can be long enough that its subpage's is over 255 bytes.
                report.add(Entry(target.kind, title, "failed", messages.text("bot-fail-title")))
                continue
            pages.append(page)
        super().__init__(site=site, generator=pages, **kwargs)

    def treat_page(self) -> None:
        page = self.current_page
        target = self.targets[page.title()]
        if self.stopped:
            self.report.add(Entry(target.kind, page.title(), "skipped", self.stopped))
            return
        try:
            status, why = self.write(page, target)
        except Stopped as e:
            self.stopped = str(e)
            self.report.stopped = str(e)
            status, why = "skipped", str(e)
        except Exception as e:
            # Every failure on purpose: one page that cannot be written never stops the others.
            status, why = "failed", _why(e)
        self.report.add(Entry(target.kind, page.title(), status, why))

    def write(self, page: pywikibot.Page, target: Target) -> tuple[Status, str]:
        """Write one summary: retried once on fresh text after an edit conflict, then reported."""
        for attempt in (1, 2):
            exists = page.exists()
            old = page.text if exists else ""
            if not page.botMayEdit():
                return "skipped", _reason("bot-skip-nobots")
            link = summary.tool_url(self.rt.config["PUBLIC_URL"], target.kind, target.title)
            rendered = summary.summary(target.name, target.outcomes, target.language, link)
            new = markers.place(old, rendered, _text("bot-marker-note", target))
            if new is None:
                return "unchanged", ""
            self.check_run_page()
            edit_summary = _text("bot-edit-summary" if exists else "bot-create-summary", target)
            try:
                # createonly: a page someone created since it was read is an edit conflict, never
                # overwritten (without a base revision the wiki could not tell).
                saved = self.userPut(
                    page, old, new, summary=edit_summary, asynchronous=False, bot=True,
                    watch="nochange", createonly=not exists,
                    show_diff=not self.opt.always or pywikibot.config.simulate,
                )  # fmt: skip
            except EditConflictError:
                if attempt == 2:
                    return "failed", _reason("bot-fail-conflict")
                page = pywikibot.Page(self.site, page.title())  # fresh: its text read again
                continue
            except LockedPageError:
                return "skipped", _reason("bot-skip-protected")
            except OtherPageSaveError as e:
                # pywikibot wraps the wiki's refusal; a block shows only in it (userinfo may miss it).
                if isinstance(e.reason, APIError) and e.reason.code in _BLOCKED:
                    return "skipped", _reason("bot-skip-blocked")
                raise
            return ("done", "") if saved else ("skipped", _reason("bot-skip-declined"))
        raise AssertionError("unreachable: the second attempt returns")

    def check_run_page(self) -> None:
        """Raise Stopped unless the run page says "yes" now (read afresh: a stop takes effect at once)."""
        check_run_page(self.run_page)


def check_run_page(page: pywikibot.Page) -> None:
    if not page.exists():
        raise Stopped(messages.text("bot-run-page-missing", page=page.title()))
    text = page.get(force=True)
    if text.strip().casefold() != "yes":
        said = text.strip()[:80] or "—"
        raise Stopped(messages.text("bot-run-page-stop", page=page.title(), text=said))


def targets_of(rt: Runtime, store: Store, run: NightlyRun, report: Report) -> list[Target]:
    """The pages to write after the run's refresh; what cannot be written goes in the report now."""
    subpage = rt.config["OUTCOMES_SUBPAGE"]
    found: list[Target] = []
    for refreshed in run.events:
        page = f"{refreshed.title}/{subpage}"
        if refreshed.report is None:
            if refreshed.not_evaluable:
                why = messages.text("bot-skip-not-evaluable", problem=refreshed.error)
                report.add(Entry("event", page, "skipped", why))
            else:
                why = messages.text("bot-fail-refresh", error=refreshed.error)
                report.add(Entry("event", page, "failed", why))
            continue
        event = store.get_event(refreshed.title)
        snapshot = store.latest_snapshot("event", refreshed.title)
        if event is None or snapshot is None:
            report.add(Entry("event", page, "skipped", messages.text("bot-skip-not-counted")))
            continue
        language = _language(str(event.context.get("language") or ""))
        found.append(Target("event", event.title, event.name, language, Outcomes.from_json(snapshot.figures)))
    for counted in run.cohorts:
        page = f"{counted.title}/{subpage}"
        cohort = store.get_cohort(counted.title)
        snapshot = store.latest_snapshot("cohort", counted.title)
        if counted.error is not None or cohort is None or snapshot is None:
            reason = counted.error or messages.text("bot-skip-not-counted")
            report.add(Entry("cohort", page, "skipped", messages.text("bot-skip-cohort", reason=reason)))
            continue
        found.append(Target("cohort", cohort.title, cohort.name, "en", Outcomes.from_json(snapshot.figures)))
    return found


def _language(value: str) -> str:
    """The event's language field as a language the tool's messages have, else English."""
    code = value.split(",")[0].strip().casefold()
    return code if code and messages.has_language(code) else "en"


def _page_title(rt: Runtime, target: Target) -> str:
    return f"{target.title}/{rt.config['OUTCOMES_SUBPAGE']}"


def _run_page_title(rt: Runtime, site: APISite) -> str:
    configured = rt.config.get("BOT_RUN_PAGE")
    return str(configured) if configured else f"User:{site.username()}/Run"


def _text(key: str, target: Target) -> str:
    """An edit summary, in the event's language (people watching the page read it)."""
    return messages.text(key, target.language)


def _reason(key: str) -> str:
    """Why a page was skipped, for the run report: read by the tool's maintainers, so in one
    language for every page, as the report's other lines are."""
    return messages.text(key)


def _why(error: Exception) -> str:
    """A save that failed, in words on one line: the wiki's error code and message, or pywikibot's."""
    if isinstance(error, OtherPageSaveError) and isinstance(error.reason, Exception):
        error = error.reason  # pywikibot's wrapper says only "Edit to page … failed:"
    if isinstance(error, APIError):
        why = messages.text("bot-fail-save", error=f"{error.code}: {error.info}")
    elif isinstance(error, Error):
        why = messages.text("bot-fail-save", error=f"{type(error).__name__}: {error}")
    else:
        why = f"{type(error).__name__}: {error}"
    return " ".join(why.split())


def main(*args: str) -> int:
    try:
        rt = Runtime(load_config(ROOT / "instance"))
    except (FileNotFoundError, ValueError) as e:
        return _fail(str(e))
    configure(rt)  # before pywikibot's arguments, which make its default site: the home wiki
    local = pywikibot.handle_args(args)
    options: dict[str, Any] = {}
    now = datetime.now(UTC)
    for arg in local:
        if arg == "-always":
            options["always"] = True
        elif arg.startswith("-now:"):  # for reproducible runs on the farm, as the CLI's --now
            now = datetime.fromisoformat(arg.removeprefix("-now:"))
        else:
            pywikibot.bot.suggest_help(unknown_parameters=[arg])
            return 2
    lock = job_lock(rt.config, "nightly")
    try:
        if not lock.acquire():
            print(messages.text("cli-nightly-locked", where=lock.where), file=sys.stderr)
            return EXIT_LOCKED
    except LockUnavailable as e:
        return _fail(str(e))
    try:
        return _run(rt, lock, options, now)
    except LockLost as e:
        return _fail(str(e))
    finally:
        lock.release()


def _run(rt: Runtime, lock: RunLock, options: dict[str, Any], now: datetime) -> int:
    try:
        store = rt.store
        store.require_current()
    except SchemaBehind as e:
        return _fail(messages.text("cli-db-behind", where=e.where))
    except StoreUnavailable as e:
        return _fail(str(e))
    try:
        site = login(rt)
    except (NoBotAccount, BotLoginFailed) as e:
        return _fail(str(e))
    report = Report(now.astimezone(UTC), simulated=bool(pywikibot.config.simulate))
    try:
        check_run_page(pywikibot.Page(site, _run_page_title(rt, site)))
    except Stopped as e:
        print(str(e), file=sys.stderr)
        return EXIT_STOPPED
    try:
        run = run_nightly(rt, store, now, Printer(), lock.keep)
    except (StoreUnavailable, BotLoginFailed) as e:
        return _fail(str(e))
    bot = OutcomesBot(site, rt, targets_of(rt, store, run, report), report, **options)
    if site.is_blocked(force=True):
        for page in bot.generator:
            report.add(
                Entry(
                    bot.targets[page.title()].kind, page.title(), "skipped", messages.text("bot-skip-blocked")
                )
            )
    else:
        try:
            bot.run()
        except Exception as e:
            # Not one page's failure (those are in the report) but the run's own: said, never silent.
            report.stopped = messages.text("bot-run-failed", error=_why(e))
            _publish(rt, site, report)
            return 1
    _publish(rt, site, report)
    if report.failed:
        return 1
    return EXIT_STOPPED if report.stopped else 0


def _publish(rt: Runtime, site: APISite, report: Report) -> None:
    """The report: printed, then to BOT_REPORT_FILE and BOT_REPORT_PAGE when they are set."""
    text = report.text()
    sys.stdout.write(text)
    if rt.config.get("BOT_REPORT_FILE"):
        path = Path(rt.config["BOT_REPORT_FILE"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if rt.config.get("BOT_REPORT_PAGE") and not report.simulated and not report.stopped:
        page = pywikibot.Page(site, str(rt.config["BOT_REPORT_PAGE"]))
        try:
            page.text = report.wikitext()
            page.save(summary=report.summary_line(), bot=True, watch="nochange", asynchronous=False)
        except Exception as e:
            # The report is already printed (and in its file): a page that cannot take it is said.
            print(messages.text("bot-report-page-failed", page=page.title(), error=_why(e)), file=sys.stderr)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
