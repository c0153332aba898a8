"""The nightly run's steps as the command line says them, a line each (tool.pipeline.nightly.Observer).

The CLI's ``discover``, ``sync`` and ``nightly`` print through it, and so does the outcomes bot, so a
job's log reads the same whichever command ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tool import messages
from tool.cli.progress import ProgressBar


def print_discovery(report: Any) -> None:
    for entry in report.entries:
        print(
            messages.text(
                "cli-discover-entry",
                kind=entry.kind,
                status=entry.status,
                num_problems=entry.problems,
                title=entry.title,
            )
        )
        if entry.status == "failed":
            print("  " + messages.text("cli-discover-failure", error=entry.message))
    for template in report.unused_templates:
        print(messages.text("cli-discover-unused-template", template=template))
    if report.event_namespace_skipped is not None:
        key, params = report.event_namespace_skipped
        print(messages.text(key, **params))
    print(messages.text("cli-discover-summary", num_pages=len(report.entries), num_requests=report.requests))
    failed = sum(1 for entry in report.entries if entry.status == "failed")
    if failed:
        print(messages.text("cli-discover-failures", num_failed=failed))


class Printer:
    """The nightly run's steps as the command line says them (tool.pipeline.nightly.Observer)."""

    def progress(self, label: str) -> ProgressBar:
        return ProgressBar(label)

    def discovered(self, report: Any) -> None:
        print_discovery(report)

    def shared(self, shared: Any, error: str | None) -> None:
        if shared is None:
            print(messages.text("cli-sync-shared-failed", error=error))
            return
        sync = shared.report
        print(
            messages.text(
                "cli-sync-shared",
                num_events=len(shared.users),
                num_added=sync.contributions_added,
                num_windows=sync.windows_fetched,
                num_requests=sync.requests,
            )
        )

    def refreshed(self, result: Any) -> None:
        if result.report is None:
            print(messages.text("cli-sync-failed", title=result.title, error=result.error))
            return
        report = result.report
        sync = report.sync
        print(
            messages.text(
                "cli-sync-summary",
                title=result.title,
                num_added=sync.contributions_added,
                num_windows=sync.windows_fetched,
                num_requests=sync.requests,
                num_accounts=report.account_requests,
            )
        )
        for problem in report.problems:
            print("  " + messages.text("cli-sync-problem", problem=problem.message))

    def cohorts(self, done: Sequence[Any]) -> None:
        for cohort in done:
            if cohort.error is None:
                print(messages.text("cli-sync-cohort", title=cohort.title, num_events=cohort.events))
            else:
                print(messages.text("cli-sync-cohort-failed", title=cohort.title, error=cohort.error))

    def comparisons(self, fields: Sequence[str]) -> None:
        print(messages.text("cli-nightly-comparisons", fields=", ".join(fields)))
