"""A loopback HTTP server that answers like a struggling Wikimedia API.

The farm's MediaWiki never lags or throttles, so the retry paths need a server that does: it
replays a script of (status, headers, JSON body) answers, in the shapes Wikimedia sends, and
records each request it got.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Script:
    answers: list[Answer]
    requests: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def scripted_wiki(answers: list[Answer]) -> Iterator[tuple[str, Script]]:
    """Serve answers in order (the last one repeats); yields (api URL, script with requests)."""
    script = Script(list(answers))

    def next_answer(path: str, params: dict[str, str]) -> Answer:
        return script.answers.pop(0) if len(script.answers) > 1 else script.answers[0]

    with routed_wiki(next_answer, script) as api:
        yield api, script


@contextmanager
def routed_wiki(
    route: Callable[[str, dict[str, str]], Answer], script: Script | None = None
) -> Iterator[str]:
    """Serve whatever route(path, query params) answers; yields the api.php URL (rest.php beside it)."""
    record = script if script is not None else Script([])

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            record.requests.append({"path": url.path, "params": params, "headers": dict(self.headers)})
            answer = route(url.path, params)
            if isinstance(answer.body, bytes):  # a page view, not an API answer
                payload = answer.body
            else:
                payload = (
                    json.dumps(answer.body).encode() if answer.body is not None else b"<html>oops</html>"
                )
            self.send_response(answer.status)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # silence the test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/w/api.php"
    finally:
        server.shutdown()
        server.server_close()


# Real shapes, as Wikimedia's API sends them (formatversion=2).
MAXLAG = Answer(
    200,
    {
        "error": {
            "code": "maxlag",
            "info": "Waiting for 10.64.16.8: 6 seconds lagged.",
            "host": "10.64.16.8",
            "lag": 6,
        }
    },
    {"Retry-After": "5", "X-Database-Lag": "6"},
)
TOO_MANY = Answer(429, {"error": {"code": "ratelimited", "info": "Too many requests"}}, {"Retry-After": "7"})
UNAVAILABLE = Answer(503, None, {})
