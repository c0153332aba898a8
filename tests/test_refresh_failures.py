"""A wiki that is down during a sync: recorded as a problem, the figures it feeds marked partial,
never a crash and never a zero that looks complete."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devwiki.generator import NOW
from tests.conftest import farm_runtime
from tool.cli import _sync_events
from tool.pipeline import discover
from tool.pipeline.refresh import refresh_event
from tool.wiki.api import ApiClient
from tool.wiki.problems import Problem

pytestmark = pytest.mark.farm
NAIROBI = "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026"


def test_a_wiki_that_is_down(farm: dict[str, Any], tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    rt = farm_runtime(farm, tmp_path)
    discover.discover(rt, rt.store)
    # Nothing listens on port 1; no waiting between the bounded retries in a test.
    rt._clients["anonymous", "enwiki"] = rt._clients["bot", "enwiki"] = ApiClient(
        "http://127.0.0.1:1/api.php", sleep=lambda seconds: None, max_retries=2
    )
    report = refresh_event(rt, rt.store, NAIROBI, NOW)
    # Coded like the parser's problems, the wiki's error a parameter: the accounts and the contributions.
    assert {(p.code, p.params["wiki"]) for p in report.problems} == {
        ("problem-refresh-accounts-failed", "enwiki"),
        ("problem-wiki-unavailable", "enwiki"),
    }
    sync_problem = next(p for p in report.problems if p.code == "problem-wiki-unavailable")
    assert sync_problem.message.startswith("enwiki could not be read: ")
    assert report.outcomes is not None
    figures = report.outcomes.figures
    assert figures["edits_during"].status == "partial"  # swwiki and commonswiki were read, enwiki was not
    assert figures["edits_during"].value is not None
    assert figures["participants"].status == "ok"
    snapshot = rt.store.latest_snapshot("event", NAIROBI)
    assert snapshot is not None
    assert snapshot.partial is True
    # The snapshot keeps why it is partial, to be shown again later in any language.
    stored = [Problem.from_json(p) for p in json.loads(snapshot.figures)["problems"]]
    assert stored == report.problems

    # The CLI prints each problem in words, the wiki's error included.
    assert _sync_events(rt, rt.store, [NAIROBI], NOW, keep_going=True) == 1
    printed = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  problem: ")]
    assert len(printed) == 2
    assert any(line.startswith("  problem: The accounts on enwiki could not be read: ") for line in printed)
    assert any(line.startswith("  problem: enwiki could not be read: ") for line in printed)

    # When the wiki is back, the next sync fetches only what is missing and the figures are complete.
    del rt._clients["anonymous", "enwiki"], rt._clients["bot", "enwiki"]
    healed = refresh_event(rt, rt.store, NAIROBI, NOW)
    assert healed.problems == []
    assert healed.outcomes is not None
    assert healed.outcomes.partial is False
    assert healed.sync.requests > 0
