"""Closed-loop HTTP load: N clients, each sending its next request as soon as the last is answered.

Each client is a thread with its own ``requests.Session`` (one keep-alive connection, as a browser
holds one), walking the route mix from its own starting point so every route is in flight at
once. Every answer is timed from send to last byte; an answer other than the route's expected
status, or no answer, is an error (its time is kept apart, so a fast 500 never flatters the
latencies). Percentiles are nearest-rank: p95 is a latency that 95 % of the requests met.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import requests

#: Seconds one request may take before it counts as an error (a stuck server must not stall the run).
REQUEST_TIMEOUT = 30


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    #: p95 in milliseconds this route must meet (issue #9 item 9), or None: measured, no target.
    target_ms: float | None = None
    expected_status: int = 200


@dataclass
class Tally:
    """What one route's requests did: latencies (seconds) of good answers, and the errors."""

    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    #: Why requests failed: "500", "404", "ConnectionError"…, with how many times each.
    why: dict[str, int] = field(default_factory=dict)

    def add_error(self, reason: str) -> None:
        self.errors += 1
        self.why[reason] = self.why.get(reason, 0) + 1

    def merge(self, other: Tally) -> None:
        self.seconds += other.seconds
        self.errors += other.errors
        for reason, count in other.why.items():
            self.why[reason] = self.why.get(reason, 0) + count


def percentile(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank p-th percentile of an ascending sequence: the smallest value that at least
    p % of the values are at or below."""
    if not ordered:
        raise ValueError("no values")
    if not 0 < p <= 100:
        raise ValueError(f"percentile {p} is not in (0, 100]")
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    route: Route
    requests: int  # answered well
    errors: int
    why: dict[str, int]
    per_second: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None

    @property
    def met(self) -> bool | None:
        """Whether the route's p95 target held (None: it has none); no good answer never meets it."""
        if self.route.target_ms is None:
            return None
        return self.p95_ms is not None and self.p95_ms <= self.route.target_ms


def summarize(route: Route, tally: Tally, seconds: float) -> Summary:
    ordered = sorted(tally.seconds)

    def ms(p: float) -> float | None:
        return percentile(ordered, p) * 1000 if ordered else None

    return Summary(
        route=route,
        requests=len(ordered),
        errors=tally.errors,
        why=dict(tally.why),
        per_second=(len(ordered) + tally.errors) / seconds if seconds > 0 else 0.0,
        p50_ms=ms(50),
        p95_ms=ms(95),
        p99_ms=ms(99),
    )


def _client(
    base_url: str,
    mix: Sequence[Route],
    start: int,
    deadline: float,
    tallies: dict[str, Tally],
    max_requests: int | None,
) -> None:
    session = requests.Session()
    sent = 0
    try:
        while time.perf_counter() < deadline and (max_requests is None or sent < max_requests):
            route = mix[(start + sent) % len(mix)]
            sent += 1
            tally = tallies.setdefault(route.name, Tally())
            began = time.perf_counter()
            try:
                response = session.get(base_url + route.path, timeout=REQUEST_TIMEOUT, allow_redirects=False)
                _ = response.content  # the whole body: a page is served when its last byte is
            except requests.RequestException as e:
                tally.add_error(type(e).__name__)
                continue
            took = time.perf_counter() - began
            if response.status_code == route.expected_status:
                tally.seconds.append(took)
            else:
                tally.add_error(str(response.status_code))
    finally:
        session.close()


def run_load(
    base_url: str,
    mix: Sequence[Route],
    *,
    clients: int,
    seconds: float,
    max_requests: int | None = None,
) -> tuple[list[Summary], float]:
    """``clients`` threads for ``seconds`` (each at most ``max_requests``), each walking ``mix`` in a
    loop from its own point: a summary per route name (in the mix's order), and the wall seconds.

    The mix may hold a route name many times (an event page for each event, say): they are one route.
    """
    if not mix:
        raise ValueError("no routes to send requests to")
    per_client: list[dict[str, Tally]] = [{} for _ in range(clients)]
    began = time.perf_counter()
    deadline = began + seconds
    threads = [
        threading.Thread(
            target=_client,
            # Spread over the mix, so every route is in flight from the first second.
            args=(base_url, mix, n * len(mix) // clients, deadline, per_client[n], max_requests),
            name=f"load-client-{n}",
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    routes = {route.name: route for route in reversed(mix)}  # the first of each name wins
    summaries = []
    for name in dict.fromkeys(route.name for route in mix):
        total = Tally()
        for tallies in per_client:
            total.merge(tallies.get(name, Tally()))
        summaries.append(summarize(routes[name], total, wall))
    return summaries, wall
