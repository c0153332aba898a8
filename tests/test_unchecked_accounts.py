"""No silent completeness (issue #7, item 6): names that could not be checked because a wiki was down
are stored as "unchecked", counted with `participants` partial, named in a problem with the wiki
that failed, and checked again at the next refresh."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import bot_site, farm_runtime
from tests.metrics_history import reference_tally
from tool.metrics import Contribution, Coverage, EventSpec, Person, compute_event
from tool.metrics.inputs import COMMONS_FILES
from tool.pipeline import discover, evaluate
from tool.pipeline.refresh import refresh_event
from tool.wiki.api import ApiClient

START = datetime(2026, 3, 14, tzinfo=UTC)
END = datetime(2026, 3, 15, 23, 59, 59, tzinfo=UTC)
LATER = datetime(2026, 12, 1, tzinfo=UTC)  # every window closed


def _outcomes(bea_checked: bool) -> dict[str, tuple[Any, str]]:
    spec = EventSpec("Event:Nairobi", START, END, frozenset({"swwiki"}))
    people = [Person("Ana", None), Person("Bea", None, checked=bea_checked)]
    edit = Contribution("swwiki", 1, "Ana", 10, 0, "Maji", START + timedelta(hours=10), 120, True)
    # Everything held, on the tracked wiki and on Commons' files (uploads), from well before start.
    held = [(START - timedelta(days=100), LATER)]
    coverage = Coverage({(wiki, user): held for wiki in ("swwiki", COMMONS_FILES) for user in ("Ana", "Bea")})
    figures = compute_event(spec, people, coverage, LATER, reference_tally([(spec, people)], [edit])).figures
    return {key: (figure.value, figure.status) for key, figure in figures.items()}


def test_an_unchecked_name_makes_the_figures_about_people_partial() -> None:
    checked, unchecked = _outcomes(True), _outcomes(False)
    assert checked["participants"] == (2, "ok")
    assert unchecked["participants"] == (2, "partial")  # Bea is counted, but may be no account
    assert unchecked["retained_7d"] == (0, "partial")  # out of 2 people, or of 1?
    assert unchecked["edits_per_week_after_mean"][1] == "partial"
    # Sums of revisions do not depend on whether Bea exists: a name without an account adds nothing.
    assert unchecked["edits_during"] == checked["edits_during"] == (1, "ok")
    assert unchecked["articles_created"] == (1, "ok")


@pytest.mark.farm
def test_a_wiki_down_during_discovery_leaves_names_unchecked_until_the_next_refresh(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Path
) -> None:
    rt = farm_runtime(farm, tmp_path)
    site = bot_site(farm, farm_credentials)
    suffix = uuid.uuid4().hex[:8]
    title, nobody = f"Event outcomes/Test/Unchecked {suffix}", f"Nobody {suffix}"
    site.pages[title].edit(
        "{{Event outcomes|start=2026-05-01|end=2026-05-02|wikis=enwiki}}\n"
        f"== Participants ==\n# [[User:OutcomesBot]]\n# [[User:{nobody}]]\n",
        summary="unchecked accounts test",
        bot=True,
    )
    try:
        # enwiki is down: Meta-Wiki does not know Nobody, and enwiki cannot say.
        rt._clients["anonymous", "enwiki"] = rt._clients["bot", "enwiki"] = ApiClient(
            "http://127.0.0.1:1/api.php", sleep=lambda s: None, max_retries=1
        )
        discover.discover(rt, rt.store)
        states = {p.user: (p.exists, p.state) for p in rt.store.participants(title)}
        assert states == {"OutcomesBot": (True, "ok"), nobody: (True, "unchecked")}
        record = rt.store.get_event(title)
        assert record is not None
        [problem] = record.problems
        assert (problem["field"], problem["code"]) == ("participants", "problem-accounts-unchecked")
        assert problem["params"]["wiki"] == "enwiki"
        assert problem["params"]["count"] == "1"
        assert problem["message"].startswith("enwiki could not be read while the listed names were checked")
        figures = evaluate.event_outcomes(rt.store, title, LATER).figures
        assert (figures["participants"].value, figures["participants"].status) == (2, "partial")

        # enwiki is back: the refresh checks Nobody, who turns out to have no account.
        del rt._clients["anonymous", "enwiki"], rt._clients["bot", "enwiki"]
        report = refresh_event(rt, rt.store, title, LATER)
        assert report.problems == []
        states = {p.user: (p.exists, p.state) for p in rt.store.participants(title)}
        assert states == {"OutcomesBot": (True, "ok"), nobody: (False, "missing")}
        record = rt.store.get_event(title)
        assert record is not None
        assert [(p["line"], p["code"]) for p in record.problems] == [(4, "problem-account-missing")]
        assert report.outcomes is not None
        participants = report.outcomes.figures["participants"]
        assert (participants.value, participants.status) == (1, "ok")
    finally:
        site.pages[title].edit("Retired by the unchecked accounts test.", summary="cleanup", bot=True)
