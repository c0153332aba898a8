"""Benchmark: parsing an event page with 10,000 participants (target: under a second)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tool.wiki.eventpage import parse_event
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo

SITEINFO = Path(__file__).resolve().parent.parent / "tests" / "data" / "siteinfo-metawiki.json"
FORMS = (
    "# [[User:Participant {n}|P{n}]] ([[User talk:Participant {n}|talk]]) 10:01, 14 March 2026 (UTC)",
    "# {{{{Event participant|Participant {n}}}}}",
    "# [[Usuaria:Participant {n}]]",
    "# [[Special:Contributions/Participant {n}|Participant {n}]]",
    "# {{{{u|participant_{n}}}}} (invited by [[User:Organizer]])",
)


def page(count: int) -> str:
    lines = [FORMS[n % len(FORMS)].format(n=n) for n in range(count)]
    header = "{{Event outcomes|start=2026-03-14|end=2026-03-15|timezone=Africa/Nairobi|wikis=enwiki}}"
    return header + "\n== Participants ==\n" + "\n".join(lines) + "\n"


def main(count: int = 10_000, runs: int = 5) -> None:
    site = SiteInfo.from_api(json.loads(SITEINFO.read_text()))
    text = page(count)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        event = parse_event(text, site, Registry(), title="Event:Benchmark")
        timings.append(time.perf_counter() - started)
    assert len(event.participants) == count, len(event.participants)
    best, worst = min(timings), max(timings)
    size = len(text.encode()) / 1e6
    verdict = "ok" if worst < 1 else "MISSED"
    print(f"{count:,} participants ({size:.1f} MB): best {best:.3f} s, worst {worst:.3f} s over {runs} runs")
    print(f"target < 1 s: {verdict}")


if __name__ == "__main__":
    main()
