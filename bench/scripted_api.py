"""A scripted MediaWiki Action API for many wikis, answering from generated contributions.

The nightly benchmark (bench/nightly.py) needs 1,000 events over thousands of people, more than the
bench farm holds; this server answers the requests a refresh makes — ``list=usercontribs`` with
continuation, ``list=users``, ``meta=siteinfo`` and the ``meta=userinfo`` that rides along — in
the shapes the farm's MediaWiki sends (formatversion=2, recorded from the farm): several users'
rows come ordered by user, then time, and ``uccontinue`` is ``actor|<id>|<timestamp>|<revid>``.
Every request is counted by kind, so the benchmark counts what the tool sent, not what it says.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# What the farm answers an anonymous reader (meta=userinfo&uiprop=rights).
ANONYMOUS_RIGHTS = ["createaccount", "read", "edit", "createpage", "createtalk", "writeapi"]
LIMIT = 500
LIMIT_HIGH = 5000


@dataclass(frozen=True)
class Row:
    """One revision: what list=usercontribs reports with ucprop=ids|title|timestamp|sizediff|flags."""

    revid: int
    pageid: int
    ns: int
    title: str
    timestamp: datetime
    sizediff: int
    new: bool


@dataclass
class WikiData:
    """Per user (in actor order), their revisions sorted by time and id."""

    users: dict[str, list[Row]]
    actor: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.actor = {name: n + 1 for n, name in enumerate(self.users)}


@dataclass
class Counts:
    by_kind: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str) -> None:
        with self.lock:
            self.by_kind[kind] += 1


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str) -> datetime:
    from tool.wiki.contribs import parse_api_time

    return parse_api_time(value)


def _names(value: str) -> list[str]:
    return value[1:].split("\x1f") if value.startswith("\x1f") else value.split("|")


class ScriptedWikis:
    """The answers of every wiki; ``high_limits`` grants apihighlimits to every reader."""

    def __init__(self, wikis: Mapping[str, WikiData], high_limits: bool = False) -> None:
        self.wikis = wikis
        self.high_limits = high_limits
        self.counts = Counts()

    def answer(self, wiki: str, params: dict[str, str]) -> dict[str, Any]:
        data = self.wikis.get(wiki)
        if data is None or params.get("action") != "query":
            self.counts.add("other")
            return {"error": {"code": "badvalue", "info": "not scripted"}}
        query: dict[str, Any] = {}
        body: dict[str, Any] = {"batchcomplete": True, "query": query}
        if params.get("list") == "usercontribs":
            self.counts.add(f"usercontribs {wiki}")
            rows, cont = self._usercontribs(data, params)
            query["usercontribs"] = rows
            if cont:
                body["continue"] = {"uccontinue": cont, "continue": "-||userinfo"}
        elif params.get("list") == "users":
            self.counts.add("users")
            query["users"] = [self._user(data, name) for name in _names(params["ususers"])]
        elif "siteinfo" in params.get("meta", ""):
            self.counts.add("siteinfo")
            query["extensions"] = [{"type": "parserhook", "name": "ParserFunctions"}]
        else:
            self.counts.add("other")
        userinfo: dict[str, Any] = {"id": 0, "name": "127.0.0.1", "anon": True}
        if "rights" in params.get("uiprop", ""):
            userinfo["rights"] = ANONYMOUS_RIGHTS + (["apihighlimits"] if self.high_limits else [])
        query["userinfo"] = userinfo
        return body

    def _user(self, data: WikiData, name: str) -> dict[str, Any]:
        if name not in data.actor:
            return {"name": name, "missing": True}
        return {"userid": data.actor[name], "name": name, "registration": "2020-01-01T00:00:00Z"}

    def _usercontribs(self, data: WikiData, params: dict[str, str]) -> tuple[list[dict[str, Any]], str]:
        """Rows by user (actor order), then time and id, from ``uccontinue`` on, ``uclimit`` of them."""
        low = _parse(params["ucstart"]) if "ucstart" in params else None
        high = _parse(params["ucend"]) if "ucend" in params else None
        namespace = int(params["ucnamespace"]) if "ucnamespace" in params else None
        limit = LIMIT_HIGH if self.high_limits else LIMIT
        if params.get("uclimit", "max") != "max":
            limit = min(limit, int(params["uclimit"]))
        after: tuple[int, str, int] = (0, "", 0)
        if "uccontinue" in params:
            _, from_actor, stamp, revid = params["uccontinue"].split("|")
            after = (int(from_actor), stamp, int(revid))
        names = sorted((n for n in _names(params["ucuser"]) if n in data.actor), key=data.actor.__getitem__)
        rows: list[dict[str, Any]] = []
        for name in names:
            actor = data.actor[name]
            if actor < after[0]:
                continue
            for row in data.users[name]:
                if (low and row.timestamp < low) or (high and row.timestamp > high):
                    continue
                if namespace is not None and row.ns != namespace:
                    continue
                key = (actor, row.timestamp.strftime("%Y%m%d%H%M%S"), row.revid)
                if key < after:
                    continue
                if len(rows) == limit:
                    return rows, "actor|{}|{}|{}".format(*key)
                rows.append(_contribution(actor, name, row))
        return rows, ""


def _contribution(actor: int, name: str, row: Row) -> dict[str, Any]:
    return {"userid": actor, "user": name, "pageid": row.pageid, "revid": row.revid, "parentid": 0,
            "ns": row.ns, "title": row.title, "timestamp": _stamp(row.timestamp), "new": row.new,
            "minor": False, "top": False, "sizediff": row.sizediff}  # fmt: skip


@contextmanager
def serve(scripted: ScriptedWikis) -> Iterator[dict[str, str]]:
    """Serve every wiki at ``/<dbname>/api.php`` on one loopback port; yields {dbname: api URL}."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the farm's server and Wikimedia's do

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            wiki = url.path.strip("/").split("/")[0]
            params = {key: values[0] for key, values in parse_qs(url.query).items()}
            payload = json.dumps(scripted.answer(wiki, params)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield {wiki: f"{base}/{wiki}/api.php" for wiki in scripted.wikis}
    finally:
        server.shutdown()
        server.server_close()


def farm_status(apis: Mapping[str, str], home: str) -> dict[str, Any]:
    """A farm status document (as devwiki writes) naming the scripted wikis; no accounts in it."""
    return {
        "profile": "scripted",
        "home_wiki": home,
        "wikis": {
            wiki: {"api": api, "rest": api.removesuffix("api.php") + "rest.php"} for wiki, api in apis.items()
        },
    }


def rows_in(rows: Sequence[Row], low: datetime, high: datetime, namespace: int | None) -> int:
    """How many of one user's rows a request for [low, high] (in ``namespace``) returns."""
    return sum(1 for r in rows if low <= r.timestamp <= high and (namespace is None or r.ns == namespace))
