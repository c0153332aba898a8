"""Benchmark: parsing event and cohort pages (target: every page under a second).

Two parts, both offline (a SiteInfo from tests/data and the built-in registry, as the tests do):

- a 10,000-participant event page in five different forms (the design's largest event);
- a hostile corpus (issue #7): each shape that made the parser slow, and the others that could,
  repeated up to MediaWiki's 2 MiB page limit, read by ``parse_event`` and ``parse_cohort``.

``python -m bench.parse`` runs both; ``make bench`` runs it with the other benchmarks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tool.wiki.cohortpage import parse_cohort
from tool.wiki.eventpage import parse_event
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.wikitext import MAX_PAGE_BYTES

SITEINFO = Path(__file__).resolve().parent.parent / "tests" / "data" / "siteinfo-metawiki.json"
FORMS = (
    "# [[User:Participant {n}|P{n}]] ([[User talk:Participant {n}|talk]]) 10:01, 14 March 2026 (UTC)",
    "# {{{{Event participant|Participant {n}}}}}",
    "# [[Usuaria:Participant {n}]]",
    "# [[Special:Contributions/Participant {n}|Participant {n}]]",
    "# {{{{u|participant_{n}}}}} (invited by [[User:Organizer]])",
)
TARGET = 1.0  # seconds, for any page up to the size limit


def page(count: int) -> str:
    lines = [FORMS[n % len(FORMS)].format(n=n) for n in range(count)]
    header = "{{Event outcomes|start=2026-03-14|end=2026-03-15|timezone=Africa/Nairobi|wikis=enwiki}}"
    return header + "\n== Participants ==\n" + "\n".join(lines) + "\n"


# Every hostile page starts with both templates (so parse_cohort reads fields and sections too)
# and a participant before the hostile part; most end with one after it.
HEAD = (
    "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki}}\n"
    "{{Event outcomes cohort|name=Bench|match=cohort}}\n"
    "== Participants ==\n# [[User:Before]]\n"
)
TAIL = "\n# [[User:After]]\n== Events ==\n* [[Event:After]]\n"
LIMIT = MAX_PAGE_BYTES


def filled(unit: Callable[[int], str], *, head: str = HEAD, tail: str = TAIL, size: int = LIMIT) -> str:
    """``head``, then ``unit(0)``, ``unit(1)``… up to ``size`` bytes of UTF-8 in all, then ``tail``."""
    room = size - len(head.encode()) - len(tail.encode())
    parts: list[str] = []
    n = used = 0
    while True:
        piece = unit(n)
        cost = len(piece.encode())
        if used + cost > room:
            break
        parts.append(piece)
        used += cost
        n += 1
    return head + "".join(parts) + tail


def line(text: str) -> Callable[[int], str]:
    """One line of ``text`` repeated up to the limit (the line itself is too long to be read)."""
    return lambda _n: text


def field(name: str, text: str) -> str:
    """A page whose template field ``name`` holds ``text`` repeated up to the limit."""
    head = "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki|" + name + "="
    tail = (
        "\n}}\n{{Event outcomes cohort|name=Bench|events=" + "x\n}}\n== Participants ==\n# [[User:After]]\n"
    )
    return filled(lambda _n: text, head=head, tail=tail)


@dataclass(frozen=True)
class Case:
    name: str
    text: str


def corpus() -> list[Case]:
    nested = 1_600  # user templates inside each other, on lines just under the line limit
    return [
        # The shapes issue #7 names.
        Case("heading: '=' + 2,000 spaces + 'x', each line", filled(line("=" + " " * 2_000 + "x\n"))),
        Case(
            "participants: '# {{' + 2,000 spaces + '<', each line", filled(line("# {{" + " " * 2_000 + "<\n"))
        ),
        Case(
            "participants sections, one participant each",
            filled(lambda n: f"== Participants ==\n# [[User:P{n}]]\n"),
        ),
        Case("unclosed '<nowiki ' (one line)", filled(line("<nowiki "))),
        Case("unclosed '# <nowiki', each line", filled(line("# <nowiki\n"))),
        Case("nested '{{' (one line)", filled(line("{{"))),
        Case(
            f"{nested:,} nested {{{{u|…}}}} on each line",
            filled(line("# " + "{{u|" * nested + "X" + "}}" * nested + "\n")),
        ),
        Case("unclosed '<s>' (one line)", filled(line("<s>"))),
        Case("unclosed '<s ' (one line)", filled(line("<s "))),
        Case("'[[a|' run (one line)", filled(line("[[a|"))),
        Case("'[[a|' run in a template field", field("name", "[[a|")),
        # Other long lines.
        Case("'[[' (one line)", filled(line("[["))),
        Case("'{{{{' (one line)", filled(line("{{{{"))),
        Case("unclosed '<!--' (one line)", filled(line("<!--"))),
        Case("\"'''\" (one line)", filled(line("'''"))),
        Case("'<' (one line)", filled(line("<"))),
        # Fields that mwparserfromhell reads in quadratic time, and a template of many parameters.
        Case("unclosed '<s>' in a field", field("name", "<s>")),
        Case("unclosed '<span ' in a field", field("name", "<span ")),
        Case("unclosed '<b ' in the organizers field", field("organizers", "<b ")),
        Case("nested '{{a|' in a field", field("name", "{{a|")),
        Case("'{{{{' in a field", field("name", "{{{{")),
        Case("nested links in a field", field("name", "[[a|[[b]]]]|")),
        Case("'[[User:A|' in the organizers field", field("organizers", "[[User:A|")),
        Case("'[http://a ' in a field", field("name", "[http://a ")),
        Case("'|a=1' parameters", field("x", "1|a=1")),
        Case("unclosed event template", filled(line("[[a|"), head="{{Event outcomes|start=2026-03-14|name=")),
        # Many small things: lines, templates, comments, headings.
        Case("'#a' lines (unresolved)", filled(line("#a\n"))),
        Case("'#[[User:n]]' lines", filled(lambda n: f"#[[User:{n}]]\n")),
        Case("the same participant on every line", filled(line("#[[User:A]]\n"))),
        Case("IP addresses on every line", filled(lambda n: f"# [[User:10.0.{n // 256 % 256}.{n % 256}]]\n")),
        Case(
            "signatures with a ping and a struck note",
            filled(lambda n: f"# [[User:Ü{n}]] ([[User talk:Ü{n}|talk]]) <s>x</s> {{{{ping|Org}}}}\n"),
        ),
        Case(
            "50 invalid names on each line",
            filled(lambda n: "# " + "".join(f"[[User:<{n} {j}]]" for j in range(50)) + "\n"),
        ),
        Case(
            "a ping of 49 names on each line",
            filled(lambda n: "# {{ping|" + "|".join(f"N{n} {j}" for j in range(49)) + "}}\n"),
        ),
        Case(
            "49 nested {{u|…}} on each line",
            filled(lambda n: "# " + "{{u|" * 49 + f"X{n}" + "}}" * 49 + "\n"),
        ),
        Case("small templates (one line)", filled(lambda n: f"{{{{x{n}}}}}")),
        Case("comments", filled(line("<!---->"))),
        Case("'<nowiki/>'", filled(line("<nowiki/>"))),
        Case("headings", filled(lambda n: f"=={n}==\n")),
        Case("headings with markup", filled(lambda n: f"== [[{n}]] ==\n")),
        # Cohort pages.
        Case(
            "cohort: links in an events section",
            filled(lambda n: f"* [[Event {n}]]\n", head=HEAD + "== Events ==\n"),
        ),
        Case(
            "cohort: nested events sections",
            filled(lambda n: f"{'=' * (1 + n % 6)} Events {'=' * (1 + n % 6)}\n[[E{n}]]\n"),
        ),
        Case("cohort: a long events field", field("events", "[[Event]];")),
        # Beyond the limit: cut, with a problem.
        Case("a 3 MiB page", filled(lambda n: f"# [[User:P{n}]]\n", size=3 * LIMIT // 2)),
    ]


def _timed(parse: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        parse()
        best = min(best, time.perf_counter() - started)
    return best


def hostile(site: SiteInfo, runs: int = 3) -> float:
    """Time each hostile page (best of ``runs``) and print the figures; the slowest case's time."""
    registry = Registry()
    worst = ("", 0.0)
    print(f"{'case':<58} {'MB':>5} {'event s':>8} {'cohort s':>9}  problems")
    for case in corpus():
        text = case.text
        event = parse_event(text, site, registry, title="Event:Bench")
        seconds = _timed(lambda text=text: parse_event(text, site, registry, title="Event:Bench"), runs)  # type: ignore[misc]
        cohort = _timed(lambda text=text: parse_cohort(text, site, title="Cohort:Bench"), runs)  # type: ignore[misc]
        codes = sorted({p.code.removeprefix("problem-") for p in event.problems})
        size = len(case.text.encode()) / 1e6
        print(f"{case.name[:58]:<58} {size:5.2f} {seconds:8.3f} {cohort:9.3f}  {', '.join(codes)[:60]}")
        worst = max(worst, (case.name, seconds), (case.name + " (cohort)", cohort), key=lambda w: w[1])
    verdict = "ok" if worst[1] < TARGET else "MISSED"
    print(
        f"worst case: {worst[0]}: {worst[1]:.3f} s (best of {runs} runs); target < {TARGET:.0f} s: {verdict}"
    )
    return worst[1]


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
    verdict = "ok" if worst < TARGET else "MISSED"
    print(f"{count:,} participants ({size:.1f} MB): best {best:.3f} s, worst {worst:.3f} s over {runs} runs")
    print(f"target < 1 s: {verdict}")
    print("\nhostile pages, each up to the 2 MiB limit (issue #7):")
    hostile(site)


if __name__ == "__main__":
    main()
