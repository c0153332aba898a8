"""A fault proxy in front of the farm: the wikis as they misbehave in production, on demand.

Each farm wiki is served again under ``http://127.0.0.1:<port>/<dbname>/`` (``api.php``,
``rest.php``, ``index.php``), and a share of the requests (``rate``) gets one of the faults the
tool must survive (DESIGN §7) instead of the wiki's answer:

- ``maxlag``: the API's lag error, HTTP 200 with ``X-Database-Lag``, ``Retry-After`` and
  ``MediaWiki-API-Error: maxlag`` (https://www.mediawiki.org/wiki/Manual:Maxlag_parameter);
- ``429``: too many requests, with ``Retry-After``;
- ``500``: a PHP error page;
- ``503``: the front caches' "backend fetch failed", with ``Retry-After``;
- ``stall``: nothing for ``stall`` seconds (set it past the client's timeout), then the
  connection closes;
- ``reset``: the connection reset (TCP RST), either before any answer or half-way through the
  wiki's real answer;
- ``truncate``: the wiki's real JSON answer cut short (with a Content-Length that matches the
  cut, so only the JSON is broken, as when PHP dies half-way through its output).

Whether a request gets a fault is decided from the seed, the wiki and the number of the request to
that wiki; the kinds come in turn (in an order drawn from the seed), so a run with a few faults
meets every kind. The same run with the same seed therefore meets the same faults (the client's
requests go in series, one host at a time): a failing run can be replayed. ``counts`` says how
many of each kind were injected, ``log`` which request got which. ``maxlag`` goes only to
``api.php``, ``truncate`` only to JSON (``api.php``, ``rest.php``): elsewhere they do not exist.

Two more knobs, without faults of their own: ``page_limit`` answers ``…limit=max`` with that
many rows, so a wiki with a small result size limit makes the client follow many continuations,
and ``delay`` slows every answer, so a test can stop a sync half-way.

``python -m devwiki faults`` runs one by hand in front of a started farm (devwiki/__main__.py).
"""

from __future__ import annotations

import http.client
import json
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

KINDS = ("maxlag", "429", "500", "503", "stall", "reset", "truncate")
#: Faults that only exist for some scripts (see the module's docstring).
_ONLY_FOR = {"maxlag": ("api.php",), "truncate": ("api.php", "rest.php")}
# Hop-by-hop headers (RFC 9110 §7.6.1) and those this proxy sets itself: never passed on.
_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade", "host"}
)
_OWN = frozenset({"content-length", "content-encoding", "accept-encoding"})


@dataclass(frozen=True)
class FaultPlan:
    """Which faults, how often, and how the proxy answers when it injects none."""

    rate: float = 0.1
    kinds: tuple[str, ...] = KINDS
    seed: int = 0
    #: Seconds the answers that say so ask the client to wait (``Retry-After``, whole seconds).
    retry_after: int = 1
    #: Seconds a stalled request hangs before its connection closes.
    stall: float = 2.0
    #: Rows an answer to ``…limit=max`` holds (None: as the wiki answers).
    page_limit: int | None = None
    #: Seconds every answer waits before it is asked of the wiki.
    delay: float = 0.0
    #: Exactly these faults, by (route, request number), instead of ``rate``: to replay a logged
    #: run's faults (``FaultProxy.log``), or to aim one at a given request.
    schedule: Mapping[tuple[str, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = (set(self.kinds) | set(self.schedule.values())) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(KINDS)}")
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"rate {self.rate} is not between 0 and 1")

    def is_faulty(self, route: str, number: int) -> tuple[bool, random.Random]:
        """Whether request ``number`` to ``route`` gets a fault, and the generator that decides its
        details, both from the seed alone."""
        pick = random.Random(f"{self.seed}/{route}/{number}")
        return pick.random() < self.rate, pick

    def kind_at(self, turn: int, script: str) -> tuple[str | None, int]:
        """The kind of the fault whose turn it is (kinds in turn, in an order drawn from the seed,
        so a run of n faults meets every kind once n is the number of kinds), skipping those that do
        not exist for ``script``; and the next turn. None: no kind of the plan exists for it."""
        order = list(self.kinds)
        random.Random(self.seed).shuffle(order)
        for step in range(len(order)):
            kind = order[(turn + step) % len(order)]
            if script in _ONLY_FOR.get(kind, (script,)):
                return kind, turn + step + 1
        return None, turn


@dataclass(frozen=True)
class Injected:
    """One fault as it was injected: which wiki, which of its requests, what was asked."""

    route: str
    number: int
    kind: str
    request: str


@dataclass
class _Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: Counter[str] = field(default_factory=Counter)
    turn: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    log: list[Injected] = field(default_factory=list)

    def next_request(self, plan: FaultPlan, route: str, script: str) -> tuple[int, str | None, random.Random]:
        """Number the request to ``route``; its fault (None: none) and its details' generator."""
        with self.lock:
            self.numbers[route] += 1
            number = self.numbers[route]
            faulty, pick = plan.is_faulty(route, number)
            kind = None
            if plan.schedule:
                kind = plan.schedule.get((route, number))
            elif faulty:
                kind, self.turn = plan.kind_at(self.turn, script)
            if kind is not None:
                self.counts[kind] += 1
            return number, kind, pick

    def record(self, injected: Injected) -> None:
        with self.lock:
            self.log.append(injected)


class FaultProxy:
    """The proxy: ``with FaultProxy(upstreams, plan) as proxy`` serves on ``proxy.port``.

    ``upstreams`` maps a route name (a dbname) to the base URL of what it stands in front of.
    """

    def __init__(self, upstreams: Mapping[str, str], plan: FaultPlan, port: int = 0) -> None:
        self.upstreams = dict(upstreams)
        self.plan = plan
        self._tally = _Tally()
        self._closing = threading.Event()
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @classmethod
    def for_farm(cls, status: Mapping[str, Any], plan: FaultPlan, port: int = 0) -> FaultProxy:
        """A proxy in front of every wiki of a farm's status document (farm.json)."""
        return cls({name: info["server"] for name, info in status["wikis"].items()}, plan, port)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def base(self, route: str) -> str:
        return f"http://127.0.0.1:{self.port}/{route}"

    @property
    def counts(self) -> dict[str, int]:
        """Faults injected so far, by kind (every kind of the plan, zeros included)."""
        with self._tally.lock:
            return {kind: self._tally.counts[kind] for kind in self.plan.kinds}

    @property
    def log(self) -> list[Injected]:
        with self._tally.lock:
            return list(self._tally.log)

    @property
    def requests(self) -> int:
        """Requests received, faulty or not."""
        with self._tally.lock:
            return sum(self._tally.numbers.values())

    def summary(self) -> str:
        """One line: requests seen and faults injected by kind, for tests and reports to print."""
        counts = self.counts
        kinds = ", ".join(f"{kind} {count}" for kind, count in counts.items())
        return f"{self.requests} requests, {sum(counts.values())} faults injected ({kinds})"

    def farm_status(self, status: Mapping[str, Any]) -> dict[str, Any]:
        """``status`` (a farm.json document) with every wiki's URLs through this proxy.

        What the tool reads from it (the registry's API URLs, the credentials) stays as it is
        otherwise; the OAuth gateway is left out, since it signs for the wikis' own URLs.
        """
        wikis = {}
        for name, info in status["wikis"].items():
            base = self.base(name)
            wikis[name] = {
                **info,
                "server": base,
                "api": f"{base}/api.php",
                "rest": f"{base}/rest.php",
                "index": f"{base}/index.php",
            }
        return {**{k: v for k, v in status.items() if k != "oauth"}, "wikis": wikis}

    def write_farm(self, status: Mapping[str, Any], path: Path) -> Path:
        """Write ``farm_status(status)`` to ``path``: point TOOL_FARM at it to go through the proxy."""
        document = self.farm_status(status)
        document["status_file"] = str(path)
        path.write_text(json.dumps(document, indent=2))
        return path

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()  # stalled requests end now
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    owner: FaultProxy
    # Keep-alive, as the wikis' own servers and the client's pooled session use it.
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._handle_quietly()

    def do_POST(self) -> None:
        self._handle_quietly()

    def _handle_quietly(self) -> None:
        try:
            self._handle()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first (its timeout, or it was stopped): nobody to answer.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the tally says what happened

    def _handle(self) -> None:
        proxy = self.owner
        url = urlsplit(self.path)
        route, _, rest = url.path.lstrip("/").partition("/")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if route not in proxy.upstreams:
            self._send(404, {"Content-Type": "text/plain"}, f"no wiki {route!r} behind this proxy\n".encode())
            return
        script = rest.partition("/")[0]  # rest.php/v1/…: the script is the first part
        number, kind, pick = proxy._tally.next_request(proxy.plan, route, script)
        if kind is not None:
            proxy._tally.record(
                Injected(route, number, kind, _described(self.command, script, url.query, body))
            )
        if proxy.plan.delay and proxy._closing.wait(proxy.plan.delay):
            return
        if kind in _BEFORE:
            _BEFORE[kind](self, pick)
            return
        if kind == "reset" and pick.random() < 0.5:
            self._reset()  # before any answer: the wiki never saw the request
            return
        query = _capped(url.query, proxy.plan.page_limit)
        status, headers, answer = self._forward(proxy.upstreams[route], f"/{rest}?{query}", body)
        if kind == "reset":
            self._reset_half_way(status, headers, answer, pick)
        elif kind == "truncate":
            cut = pick.randrange(len(answer)) if answer else 0
            self._send(status, headers, answer[:cut])
        else:
            self._send(status, headers, answer)

    def _forward(self, upstream: str, target: str, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        base = urlsplit(upstream)
        connection = http.client.HTTPConnection(base.hostname or "127.0.0.1", base.port or 80, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP | _OWN}
        if body:
            headers["Content-Length"] = str(len(body))
        # Plain bodies from the wiki, so a truncated answer is cut JSON, not a broken gzip stream.
        headers["Accept-Encoding"] = "identity"
        try:
            connection.request(self.command, target, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP | _OWN]
            return response.status, kept, answer
        finally:
            connection.close()

    def _send(self, status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        for key, value in pairs:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _reset(self) -> None:
        """Close with a TCP RST (linger 0) instead of a FIN: the client sees 'connection reset'."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def _reset_half_way(
        self, status: int, headers: list[tuple[str, str]], answer: bytes, pick: random.Random
    ) -> None:
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer[: pick.randrange(len(answer)) if answer else 0])
        self.wfile.flush()
        self._reset()


def _maxlag(handler: _Handler, pick: random.Random) -> None:
    lag = pick.randint(6, 30)
    error = {
        "error": {"code": "maxlag", "info": f"Waiting for 10.64.0.1: {lag} seconds lagged.", "lag": lag},
        "servedby": "devwiki-faults",
    }
    handler._send(
        200,
        {
            "Content-Type": "application/json; charset=utf-8",
            "X-Database-Lag": str(lag),
            "Retry-After": str(handler.owner.plan.retry_after),
            "MediaWiki-API-Error": "maxlag",
        },
        json.dumps(error).encode(),
    )


def _status(code: int, text: str, retry_after: bool) -> Any:
    def send(handler: _Handler, pick: random.Random) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if retry_after:
            headers["Retry-After"] = str(handler.owner.plan.retry_after)
        handler._send(code, headers, f"<!DOCTYPE html><title>{code}</title><p>{text}</p>\n".encode())

    return send


def _stall(handler: _Handler, pick: random.Random) -> None:
    handler.owner._closing.wait(handler.owner.plan.stall)
    handler.close_connection = True


def _reset_before(handler: _Handler, pick: random.Random) -> None:
    handler._reset()


# Faults that answer in place of the wiki ("reset" does half the time, see _handle).
_BEFORE: dict[str, Any] = {
    "maxlag": _maxlag,
    "429": _status(429, "Too many requests", True),
    "500": _status(500, "Fatal error: the wiki failed", False),
    "503": _status(503, "Error: 503, Backend fetch failed", True),
    "stall": _stall,
}


def _described(method: str, script: str, query: str, body: bytes) -> str:
    """``GET api.php query`` and the like: what a logged fault was injected into."""
    params = dict(parse_qsl(query)) | dict(parse_qsl(body.decode("utf-8", "replace")))
    what = params.get("action", "")
    for key in ("list", "prop", "meta"):
        if key in params:
            what += f" {key}={params[key]}"
    return f"{method} {script} {what}".strip()


def _capped(query: str, limit: int | None) -> str:
    """``query`` with every ``…limit=max`` set to ``limit``."""
    if limit is None:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, str(limit) if k.endswith("limit") and v == "max" else v) for k, v in pairs])
