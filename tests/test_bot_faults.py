"""The outcomes bot through 10 % of faults writes exactly the pages a clean run writes (issue #12).

Both runs are the real job (``python -m bots.outcomes_bot``), with the same ``-now`` (the farm's
"now"), each into its own store and onto its own Outcomes subpages. The faulty one reaches every
wiki through devwiki's fault proxy: its sync (the tool's client) and its reads and edits
(pywikibot) meet lag, throttling, server errors, stalls, resets and answers cut short. Its pages
must read exactly as the clean run's, every one of them written, none failed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mwclient
import pytest

from devwiki.faults import FaultPlan, FaultProxy
from tests import bot_runs
from tests.bot_runs import text
from tests.conftest import bot_site

pytestmark = pytest.mark.farm

NOW = "-now:2026-11-01T00:00:00+00:00"  # the generator's "now": the same figures in both runs
PAGES = (
    "Wikimedia Colombia/Editatón Mujeres en la Ciencia 2025",
    "Wikimedia Tanzania/Online mentoring: Swahili health articles 2025",
    "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026",
    "WikiCon 2026/Workshop: first edits",
    "Event outcomes/Cohorts/Wiki Indaba trainings 2025-2026",
)
# As tests/test_faults.py's nightly run: a short patience and first wait, a stall past it, and
# answers to "…limit=max" 10 rows long, so that many continuations can meet a fault.
TEN_PERCENT = FaultPlan(rate=0.1, seed=21, retry_after=1, stall=3.0, page_limit=10)
QUICK = {"WIKI_TIMEOUT": "2", "WIKI_BACKOFF": "0.1"}


def test_through_ten_percent_of_faults_the_bot_writes_the_clean_runs_pages(
    farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Path
) -> None:
    site = bot_site(farm, farm_credentials)
    (tmp_path / "clean").mkdir()
    (tmp_path / "faulty").mkdir()
    clean_bot = bot_runs.setup(farm, tmp_path / "clean", site)
    faulty_bot = bot_runs.setup(farm, tmp_path / "faulty", site)
    clean = clean_bot.run("-always", NOW, **QUICK)
    assert clean.code == 0, clean.err
    with FaultProxy.for_farm(farm, TEN_PERCENT) as proxy:
        through = str(proxy.write_farm(farm, tmp_path / "faulty" / "farm.json"))
        faulty = faulty_bot.run("-always", NOW, FARM=through, **QUICK)
    print(f"\nthe outcomes bot through 10 % faults: {proxy.summary()}")
    assert faulty.code == 0, faulty.out[-3000:] + faulty.err[-3000:]
    assert sum(proxy.counts.values()) > 0
    assert faulty.lines("written") == sorted(faulty_bot.page(title) for title in PAGES)
    meta = mwclient.Site(farm["wikis"]["metawiki"]["server"].removeprefix("http://"), path="/", scheme="http")
    for title in PAGES:
        assert text(meta, faulty_bot.page(title)) == text(meta, clean_bot.page(title)), title
