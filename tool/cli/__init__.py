"""Command line: ``python -m tool <command>``. Run ``python -m tool --help`` for the list.

Configuration is the app's own (config.yaml, then TOOL_* variables; TOOL_FARM points at the local
wiki farm). Errors print one line saying what is wrong and exit with status 1 or 2, never a traceback
for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tool import ROOT, messages
from tool.cli.printer import Printer, print_discovery
from tool.config import load_config


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except CliError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


class CliError(Exception):
    """Bad input or an unavailable service: printed as one line, exit status 1.

    Its text is an i18n message (``messages.text``) or the text of a coded error it wraps.
    """


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tool", description="Event Outcomes command line")
    sub = parser.add_subparsers(required=True, metavar="command")

    p = sub.add_parser("parse", help="parse an event or cohort page (a wikitext file or --page TITLE)")
    p.add_argument("file", nargs="?", help="a wikitext file ('-' for standard input)")
    p.add_argument("--page", help="a page title on the home wiki, instead of a file")
    p.add_argument("--title", help="the page title to assume for a file (default: the file name)")
    p.add_argument("--json", action="store_true", help="print JSON (the default prints a summary)")
    p.set_defaults(run=_parse)

    p = sub.add_parser("discover", help="find event and cohort pages on the home wiki and store them")
    p.add_argument("--force", action="store_true", help="re-parse pages whose revision did not change")
    p.set_defaults(run=_discover)

    p = sub.add_parser("sync", help="sync an event's contributions and store a snapshot of its outcomes")
    p.add_argument("page", nargs="?", help="event page title (default with --all: every stored event)")
    p.add_argument("--all", action="store_true", help="every stored event")
    p.add_argument("--now", help=argparse.SUPPRESS)  # ISO time; for reproducible runs on the farm
    p.set_defaults(run=_sync)

    p = sub.add_parser("nightly", help="the nightly job: discover, then sync every event (one run at a time)")
    p.add_argument("--now", help=argparse.SUPPRESS)
    p.set_defaults(run=_nightly)

    p = sub.add_parser("worker", help="run refresh jobs from the Redis queue (REDIS_URL), until stopped")
    p.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    p.set_defaults(run=_worker)

    p = sub.add_parser("outcomes", help="print the stored outcomes of an event or a cohort")
    p.add_argument("page", help="event or cohort page title")
    p.add_argument("--format", choices=["json", "csv", "wikitext"], default="json")
    p.add_argument("--lang", default="en", help="language of the wikitext labels")
    p.add_argument(
        "--recompute",
        action="store_true",
        help="count them again from the stored contributions (and store them as the latest snapshot)",
    )
    p.add_argument("--now", help=argparse.SUPPRESS)
    p.set_defaults(run=_outcomes)

    p = sub.add_parser("compare", help="compare outcomes across a context field, counted from the store")
    p.add_argument(
        "--by", required=True, help="region, country, language, theme, format, audience, organizing, year"
    )
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--now", help=argparse.SUPPRESS)
    p.set_defaults(run=_compare)

    p = sub.add_parser("db", help="database maintenance")
    p.add_argument("action", choices=["upgrade"])
    p.set_defaults(run=_db)
    return parser


def _config() -> dict[str, Any]:
    return load_config(ROOT / "instance")


def _runtime() -> Any:
    from tool.runtime import Runtime

    try:
        return Runtime(_config())
    except (FileNotFoundError, ValueError) as e:  # ValueError: a configuration the tool refuses
        raise CliError(str(e)) from e


def _store(runtime: Any) -> Any:
    """The runtime's store, its schema checked before anything else is read or written."""
    from tool.store import SchemaBehind, StoreUnavailable

    try:
        store = runtime.store
        store.require_current()
    except SchemaBehind as e:
        raise CliError(messages.text("cli-db-behind", where=e.where)) from e
    except StoreUnavailable as e:
        raise CliError(str(e)) from e
    return store


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as e:
        raise CliError(messages.text("cli-bad-now", value=value)) from e
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _parse(args: argparse.Namespace) -> int:
    from tool.pipeline import discover

    rt = _runtime()
    if args.page:
        parsed = _guard(lambda: discover.parse_page(rt, args.page))
    elif args.file:
        try:
            text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise CliError(messages.text("cli-cannot-read", file=args.file, error=e)) from e
        title = args.title or Path(args.file).stem
        parsed = _guard(lambda: discover.parse_text(rt, text, title))
    else:
        raise CliError(messages.text("cli-parse-no-input"))
    document = parsed.to_json()
    if args.json:
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(
            messages.text(
                "cli-parse-summary",
                kind=document["kind"],
                num_participants=len(document.get("participants", [])),
                num_unresolved=len(document.get("unresolved", [])),
                num_problems=len(document["problems"]),
            )
        )
        for problem in document["problems"]:
            line = "—" if problem["line"] is None else problem["line"]
            print(
                "  "
                + messages.text(
                    "cli-parse-problem", line=line, field=problem["field"], problem=problem["message"]
                )
            )
    return 0


def _discover(args: argparse.Namespace) -> int:
    rt = _runtime()
    return _discover_with(rt, _store(rt), force=args.force)


def _discover_with(rt: Any, store: Any, *, force: bool) -> int:
    from tool.pipeline import discover

    report = _guard(lambda: discover.discover(rt, store, force=force))
    print_discovery(report)
    return 1 if _discovery_failed(report) else 0


def _discovery_failed(report: Any) -> bool:
    return any(entry.status == "failed" for entry in report.entries)


def _sync(args: argparse.Namespace) -> int:
    rt = _runtime()
    store = _store(rt)
    titles = [e.title for e in store.list_events()] if args.all else [args.page]
    if not titles or titles == [None]:
        raise CliError(messages.text("cli-sync-no-input"))
    now = _now(args.now)
    failed = _sync_events(rt, store, titles, now, keep_going=args.all)
    _refresh_cohorts(store, now, None if args.all else titles)
    return 1 if failed else 0


def _refresh_cohorts(store: Any, now: datetime, events: Sequence[str] | None) -> None:
    """Store a snapshot of each cohort holding one of ``events`` (None: every cohort), after their sync.

    A cohort that cannot be counted is said, but does not fail the run: its events' own
    failures already do.
    """
    from tool.pipeline.refresh import refresh_cohorts

    Printer().cohorts(_guard(lambda: refresh_cohorts(store, now, events)))


def _sync_events(rt: Any, store: Any, titles: Sequence[str], now: datetime, *, keep_going: bool) -> int:
    """Sync and evaluate each event, printing what happened; returns how many failed or had problems."""
    from tool.pipeline.nightly import refresh_events

    results = _guard(lambda: refresh_events(rt, store, titles, now, Printer(), keep_going=keep_going))
    return sum(1 for result in results if result.failed)


#: Exit status of a nightly run that found another one holding the lock (sysexits' EX_TEMPFAIL).
EXIT_LOCKED = 75


def _nightly(args: argparse.Namespace) -> int:
    """Discovery, then a refresh of every event, under a lock so two runs never overlap."""
    from tool.cli.runlock import LockLost, LockUnavailable, job_lock
    from tool.pipeline.nightly import run_nightly

    config = _config()
    lock = job_lock(config, "nightly")
    try:
        if not lock.acquire():
            print(messages.text("cli-nightly-locked", where=lock.where), file=sys.stderr)
            return EXIT_LOCKED
    except LockUnavailable as e:
        raise CliError(str(e)) from e
    try:
        rt = _runtime()
        store = _store(rt)
        run = _guard(lambda: run_nightly(rt, store, _now(args.now), Printer(), lock.keep))
    except (LockLost, LockUnavailable) as e:
        raise CliError(str(e)) from e
    finally:
        lock.release()
    failed = sum(1 for result in run.events if result.failed)
    print(messages.text("cli-nightly-summary", num_events=len(run.events), num_failed=failed))
    return 1 if _discovery_failed(run.discovery) or failed else 0


def _worker(args: argparse.Namespace) -> int:
    """An RQ worker of the refresh queue: as many as the load needs, on one Redis and one store."""
    from tool.jobs.worker import make_worker

    config = _config()
    if not config.get("REDIS_URL"):
        raise CliError(messages.text("cli-worker-no-redis"))
    _store(_runtime())  # a schema behind stops the worker here, not each job
    make_worker(config).work(burst=args.burst, logging_level="INFO")
    return 0


def _outcomes(args: argparse.Namespace) -> int:
    """The latest stored snapshot of an event or cohort; counted again only with --recompute."""
    from tool import export
    from tool.metrics import DEFINITIONS_VERSION, Outcomes

    rt = _runtime()
    store = _store(rt)
    cohort = _guard(lambda: store.get_cohort(args.page))
    kind = "cohort" if cohort is not None else "event"
    if cohort is None and _guard(lambda: store.get_event(args.page)) is None:
        raise CliError(messages.text("evaluate-no-such-event", title=args.page))
    if args.recompute:
        outcomes = _recompute(store, kind, args.page, _now(args.now))
    else:
        snapshot = _guard(lambda: store.latest_snapshot(kind, args.page))
        if snapshot is None:
            raise CliError(messages.text("cli-outcomes-no-snapshot", title=args.page))
        if snapshot.definitions_version != DEFINITIONS_VERSION:
            raise CliError(
                messages.text(
                    "cli-outcomes-old-definitions",
                    title=args.page,
                    stored_version=snapshot.definitions_version,
                    current_version=DEFINITIONS_VERSION,
                )
            )
        outcomes = Outcomes.from_json(snapshot.figures)
        print(
            messages.text(
                "cli-outcomes-snapshot",
                computed_at=_iso(snapshot.computed_at),
                data_time=_iso(snapshot.data_time),
            ),
            file=sys.stderr,
        )
    for reason in outcomes.left_out:
        print(messages.text("cli-outcomes-left-out", reason=reason.text()), file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(export.to_json(kind, args.page, outcomes))
    elif args.format == "csv":
        sys.stdout.write(export.to_csv(outcomes))
    else:
        from tool import summary

        link = summary.tool_url(rt.config["PUBLIC_URL"], kind, args.page)
        sys.stdout.write(summary.to_wikitext(args.page, outcomes, args.lang, link))
    return 0


def _recompute(store: Any, kind: str, title: str, now: datetime) -> Any:
    """Count an event or cohort again from the stored contributions, and keep it as its newest snapshot."""
    from tool.pipeline import evaluate
    from tool.pipeline.discover import cohort_events
    from tool.pipeline.refresh import keep_snapshot

    if kind == "cohort":
        cohort = store.get_cohort(title)
        outcomes = _guard(lambda: evaluate.group_outcomes(store, cohort_events(store, cohort), now))
    else:
        outcomes = _guard(lambda: evaluate.event_outcomes(store, title, now))
    _guard(lambda: keep_snapshot(store, kind, title, outcomes, now, partial=outcomes.partial))
    return outcomes


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _compare(args: argparse.Namespace) -> int:
    from tool import export
    from tool.pipeline import evaluate

    rt = _runtime()
    store = _store(rt)
    groups, skipped = _guard(lambda: evaluate.compare(store, args.by, _now(args.now)))
    for reason in skipped:
        print(messages.text("cli-compare-skipped", reason=reason.text()), file=sys.stderr)
    if args.format == "json":
        document = {"by": args.by, "groups": {name or "(unknown)": o.to_dict() for name, o in groups.items()}}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(export.compare_csv(args.by, groups))
    return 0


def _db(args: argparse.Namespace) -> int:
    from tool.store import StoreUnavailable
    from tool.store.engine import redact

    rt = _runtime()
    try:
        # The one place that changes the schema: every other command refuses one that is behind.
        rt.store.upgrade()
    except StoreUnavailable as e:
        raise CliError(str(e)) from e
    print(messages.text("cli-db-upgraded", where=redact(rt.config["DATABASE_URL"])))
    return 0


def _guard(action: Any) -> Any:
    """Run an action; expected failures (bad input, a service down) become one-line errors."""
    from tool.pipeline.evaluate import NotEvaluable
    from tool.runtime import BotLoginFailed
    from tool.store import StoreUnavailable
    from tool.wiki.api import ApiError, WikiUnavailable
    from tool.wiki.registry import UnknownWiki

    try:
        return action()
    except (
        NotEvaluable,
        StoreUnavailable,
        ApiError,
        WikiUnavailable,
        UnknownWiki,
        BotLoginFailed,
        ValueError,
    ) as e:
        raise CliError(str(e)) from e
