"""``make fuzz``: the page parsers on 10,000 generated pages (tests/fuzz_pages.py, issue #12 item 5),
timed, with the slowest case and whether parsing stays linear.

Every page goes through ``parse_event`` and ``parse_cohort`` with the checks the CI test makes (a
result, never an exception); a failure stops the run with the page that failed, as hypothesis
prints it. Then, with no target to pass or miss:

- the slowest parse (the ten slowest timed again, best of three), its size and time per byte, and
  a real-shaped page of the same size (the farm's participant lines, repeated) for comparison;
- the slowest input parsed again at a quarter, a half and all of its length, then repeated 4 and
  16 times: a time per byte that stays flat or falls is linear time (a part that grows faster,
  mwparserfromhell's, is capped by the page's budget, tool/wiki/wikitext.py, and then stops growing);
- the slowest time per byte among the large inputs (64 KiB and more), where fixed costs are gone.

The slowest input is kept in instance/fuzz-slowest.wiki: ``python -m tool parse`` reads it again.
HYPOTHESIS_PROFILE=ci runs the CI's 300 pages instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Before tests.fuzz_pages is imported: it loads the profile this names.
os.environ.setdefault("HYPOTHESIS_PROFILE", "fuzz")

from hypothesis import given, settings

from tests.fuzz_pages import PROFILE, REAL_LINES, check_cohort_page, check_event_page, pages

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3  # timings of the cases reported: the best of this many
LARGE = 64 * 1024  # bytes: below this, a parse's fixed costs weigh on its time per byte
PARSERS: dict[str, Callable[[str], object]] = {"event": check_event_page, "cohort": check_cohort_page}


@dataclass(frozen=True)
class Timing:
    parser: str
    seconds: float
    size: int  # bytes of UTF-8
    text: str

    @property
    def per_byte(self) -> float:
        """Microseconds per byte."""
        return self.seconds * 1e6 / max(1, self.size)


def _time(parser: str, text: str, runs: int = 1) -> Timing:
    """The parse's time, the best of ``runs`` (a shared machine's other work only ever adds time)."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        PARSERS[parser](text)
        best = min(best, time.perf_counter() - started)
    return Timing(parser, best, len(text.encode()), text)


def _retimed(candidates: list[Timing], key: Callable[[Timing], float]) -> Timing:
    """The worst by ``key`` of the ten worst ``candidates``, each timed again, best of three: one
    timing alone may be a pause of the machine, not of the parser."""
    worst = sorted(candidates, key=key)[-10:]
    return max((_time(t.parser, t.text, RUNS) for t in worst), key=key)


def fuzz() -> list[Timing]:
    """Every generated page through both parsers; their timings."""
    timings: list[Timing] = []

    @settings(settings.get_profile(PROFILE))
    @given(pages)
    def parse_both(text: str) -> None:
        for parser in PARSERS:
            timings.append(_time(parser, text))

    parse_both()
    return timings


def baseline(size: int) -> str:
    """A page as organizers write them, of ``size`` bytes: the template, then participant lines."""
    lines = [line for line in REAL_LINES if line.startswith("#")]
    text = "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki}}\n== Participants ==\n"
    parts, used, n = [text], len(text.encode()), 0
    while used < size:
        line = lines[n % len(lines)] + "\n"
        parts.append(line)
        used += len(line.encode())
        n += 1
    return "".join(parts).encode()[:size].decode("utf-8", "ignore")


def _line(label: str, timing: Timing) -> str:
    return (
        f"{label}: {timing.parser} parser, {timing.size:,} bytes, {timing.seconds * 1000:.1f} ms, "
        f"{timing.per_byte:.3f} µs/byte"
    )


def report(timings: list[Timing]) -> None:
    pages_tried = len(timings) // len(PARSERS)
    sizes = sorted(t.size for t in timings[:: len(PARSERS)])
    print(
        f"{pages_tried:,} generated pages (profile {PROFILE}), each parsed as an event page and as a cohort "
        f"page: {len(timings):,} parses, none raised"
    )
    print(
        f"page sizes: median {sizes[len(sizes) // 2]:,} bytes, largest {sizes[-1]:,}; "
        f"{sum(size >= LARGE for size in sizes):,} of {LARGE // 1024} KiB or more; "
        f"{sum(t.seconds for t in timings):.1f} s parsing in all"
    )
    slowest = _retimed(timings, key=lambda t: t.seconds)
    print(_line("slowest", slowest))
    print(f"  it starts: {slowest.text[:100]!r}")
    same_size = _time(slowest.parser, baseline(slowest.size), RUNS)
    print(_line("  a real-shaped page of the same size", same_size))
    print(f"  ratio: {slowest.seconds / max(same_size.seconds, 1e-9):.1f} × the real-shaped page's time")
    text = slowest.text
    grown = [text[: len(text) // 4], text[: len(text) // 2], text, text * 4, text * 16]
    parts = [_time(slowest.parser, part, RUNS) for part in grown]
    growth = ", ".join(
        f"{p.size:,} bytes {p.seconds * 1000:.1f} ms ({p.per_byte:.3f} µs/byte)" for p in parts
    )
    print(f"  its first quarter, half, whole, and the whole 4 and 16 times over: {growth}")
    large = [t for t in timings if t.size >= LARGE]
    if large:
        worst = _retimed(large, key=lambda t: t.per_byte)
        print(_line(f"slowest per byte of {LARGE // 1024} KiB or more", worst))
        print(f"  it starts: {worst.text[:100]!r}")
        print(_line("  a real-shaped page of the same size", _time(worst.parser, baseline(worst.size), RUNS)))
    kept = ROOT / "instance" / "fuzz-slowest.wiki"
    kept.parent.mkdir(exist_ok=True)
    kept.write_text(slowest.text, encoding="utf-8")
    print(f"the slowest input is in {kept.relative_to(ROOT)} (python -m tool parse {kept.relative_to(ROOT)})")


def main() -> None:
    report(fuzz())


if __name__ == "__main__":
    main()
