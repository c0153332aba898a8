"""The one place that speaks HTTP to a wiki's Action API, with Wikimedia's etiquette built in.

- User-Agent naming the tool and a contact (https://meta.wikimedia.org/wiki/User-Agent_policy).
- ``maxlag=5`` on every request (https://www.mediawiki.org/wiki/Manual:Maxlag_parameter): when
  replicas lag the API answers error ``maxlag`` with ``Retry-After``; we wait that long.
- 429, 5xx, timeouts and dropped connections: bounded retries, honouring ``Retry-After`` when sent,
  otherwise exponential backoff. Then :class:`WikiUnavailable` says what failed.
- Requests to one host go in series (a lock per host), one ``requests.Session`` per host (gzip,
  keep-alive).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.cookiejar import LoadError, LWPCookieJar
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

import tool

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_host_locks: dict[str, threading.Lock] = {}
_host_locks_guard = threading.Lock()


class ApiError(Exception):
    """The wiki answered with an API error (bad parameters, missing rights, …)."""

    def __init__(self, api: str, code: str, info: str) -> None:
        super().__init__(f"{api}: API error {code}: {info}")
        self.api = api
        self.code = code
        self.info = info


class WikiUnavailable(Exception):
    """The wiki could not be reached or kept failing after the bounded retries."""


def user_agent(contact: str) -> str:
    return f"event-outcomes/{tool.__version__} ({contact}) python-requests/{requests.__version__}"


def _host_lock(api: str) -> threading.Lock:
    host = urlsplit(api).netloc
    with _host_locks_guard:
        return _host_locks.setdefault(host, threading.Lock())


@dataclass
class ApiClient:
    """Action API client for one wiki. ``requests_made`` counts HTTP requests, retries included."""

    api: str
    contact: str = "https://event-outcomes.toolforge.org/"
    maxlag: int | None = 5
    max_retries: int = 5
    backoff: float = 1.0
    max_wait: float = 120.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    requests_made: int = 0
    # Whether the account may use apihighlimits; asked once per client (see contribs.has_high_limits).
    high_limits: bool | None = None

    def __post_init__(self) -> None:
        self.session.headers["User-Agent"] = user_agent(self.contact)
        self.session.headers["Accept-Encoding"] = "gzip"

    def get(self, **params: Any) -> dict[str, Any]:
        return self.call("GET", params)

    def post(self, **params: Any) -> dict[str, Any]:
        return self.call("POST", params)

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        data = {"format": "json", "formatversion": "2", **_flatten(params)}
        if self.maxlag is not None:
            data["maxlag"] = str(self.maxlag)
        body: dict[str, Any] = self._with_retries(method, self.api, data)
        return body

    def get_rest(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET a REST API path (``/campaignevents/v0/…``) with the same etiquette; 404 → None."""
        return self._with_retries(
            "GET", self.api.removesuffix("api.php") + "rest.php" + path, params or {}, rest=True
        )

    def _with_retries(self, method: str, url: str, data: dict[str, str], rest: bool = False) -> Any:
        attempt = 0
        while True:
            attempt += 1
            done, body, wait, problem = self._attempt(method, url, data, rest)
            if done:
                return body
            if attempt > self.max_retries:
                raise WikiUnavailable(f"{url}: {problem}; gave up after {attempt} attempts")
            self.sleep(min(self.max_wait, wait if wait is not None else self.backoff * 2 ** (attempt - 1)))

    def _attempt(
        self, method: str, url: str, data: dict[str, str], rest: bool
    ) -> tuple[bool, Any, float | None, str]:
        """One request: (True, body, …) when done, else (False, None, seconds to wait or None, problem)."""
        self.requests_made += 1
        try:
            with _host_lock(url):
                if method == "GET":
                    response = self.session.get(url, params=data, timeout=self.timeout)
                else:
                    response = self.session.post(url, data=data, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as e:
            return False, None, None, f"{type(e).__name__}: {e}"
        retry_after = _retry_after(response)
        if response.status_code in RETRY_STATUSES:
            return False, None, retry_after, f"HTTP {response.status_code}"
        if rest and response.status_code == 404:
            return True, None, None, ""
        if response.status_code != 200:
            raise WikiUnavailable(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
        try:
            body: Any = response.json()
        except ValueError:
            return False, None, retry_after, f"answer is not JSON: {response.text[:200]!r}"
        error = body.get("error") if isinstance(body, dict) and not rest else None
        if error:
            if error.get("code") == "maxlag":
                # Replication lag: the wiki asks bots to back off (Manual:Maxlag_parameter).
                return (
                    False,
                    None,
                    retry_after if retry_after is not None else 5.0,
                    f"maxlag: {error.get('info', '')}",
                )
            raise ApiError(self.api, str(error.get("code")), str(error.get("info", "")))
        return True, body, None, ""

    def login(self, username: str, password: str, cookie_file: Path | None = None) -> None:
        """Log in with a bot password (Special:BotPasswords); the session keeps the cookies.

        With ``cookie_file`` the session is kept between runs, as pywikibot keeps its own: a nightly
        job checks the stored session with the one request it needs anyway (its rights, for the API
        limits) and logs in again only when the wiki has forgotten it.
        """
        if cookie_file is not None and self._resume(username, cookie_file):
            return
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        result = self.post(action="login", lgname=username, lgpassword=password, lgtoken=token)["login"]
        if result.get("result") != "Success":
            raise ApiError(
                self.api, "login-failed", f"{username}: {result.get('reason', result.get('result'))}"
            )
        self.high_limits = None  # rights change with the account
        if cookie_file is not None:
            self._save_cookies(cookie_file)

    def _resume(self, username: str, cookie_file: Path) -> bool:
        if not cookie_file.exists():
            return False
        jar = LWPCookieJar(str(cookie_file))
        try:
            jar.load(ignore_discard=True)
        except (OSError, LoadError):
            return False
        self.session.cookies.update(jar)
        info = self.get(action="query", meta="userinfo", uiprop="rights")["query"]["userinfo"]
        if info.get("anon") or info.get("name") != username.split("@", 1)[0]:
            self.session.cookies.clear()
            return False
        self.high_limits = "apihighlimits" in info.get("rights", [])
        return True

    def _save_cookies(self, cookie_file: Path) -> None:
        cookie_file.parent.mkdir(parents=True, exist_ok=True)
        jar = LWPCookieJar(str(cookie_file))
        for cookie in self.session.cookies:
            jar.set_cookie(cookie)
        # A session cookie is as good as the password for as long as it lives: owner-only file.
        cookie_file.touch(mode=0o600, exist_ok=True)
        cookie_file.chmod(0o600)
        jar.save(ignore_discard=True)

    def query(self, **params: Any) -> Iterator[dict[str, Any]]:
        """Every page of a ``action=query`` result, following ``continue``."""
        params = {"action": "query", **params}
        cont: dict[str, Any] = {}
        while True:
            body = self.get(**params, **cont)
            if "query" in body:
                yield body["query"]
            if "continue" not in body:
                return
            cont = body["continue"]


def _flatten(params: dict[str, Any]) -> dict[str, str]:
    """The API takes lists joined with '|' and booleans as present/absent."""
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None or value is False:
            continue
        if value is True:
            out[key] = "1"
        elif isinstance(value, list | tuple | set | frozenset):
            # U+001F as separator allows '|' inside values (MediaWiki API multi-value rule).
            items = [str(v) for v in value]
            out[key] = "\x1f" + "\x1f".join(items) if any("|" in v for v in items) else "|".join(items)
        else:
            out[key] = str(value)
    return out


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
