"""The one place that speaks to a wiki, as a thin layer over ``mwclient.Site``, with Wikimedia's
etiquette built in.

mwclient does the HTTP: login with a bot password, OAuth 1.0a (``auth``), bounded retries of
5xx answers and dropped connections, and ``maxlag`` — when replicas lag the API answers error
``maxlag`` with ``X-Database-Lag`` and ``Retry-After`` and mwclient waits that long
(https://www.mediawiki.org/wiki/Manual:Maxlag_parameter). This layer adds only what it lacks:

- one session per client whose requests to one host go in series (a lock per host) and are
  counted (``requests_made``, retries included: the benchmark and tests compare them);
- the User-Agent policy (https://meta.wikimedia.org/wiki/User-Agent_policy), ``maxlag=5`` and
  ``formatversion=2`` on every Action API request;
- the backoff policy (``Retry-After`` when sent, else exponential, capped) and an injectable clock,
  for what mwclient does not retry too: 429 answers, answers cut short by a reset, answers that
  are not JSON (truncated); and one bound on the attempts of a call, whatever failed in it;
- the account's rights asked along with the first query (``high_limits``), a session kept in an
  owner-only cookie file, and the REST API (CampaignEvents);
- errors as :class:`ApiError` (with the API's code) and :class:`WikiUnavailable`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from http.cookiejar import LoadError, LWPCookieJar
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import mwclient
import mwclient.errors
import mwclient.sleep
import requests
from requests.auth import AuthBase

import tool

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# An answer whose connection was reset half-way, or whose compressed body was cut: requests raises
# these while reading the body, and neither is a ConnectionError, so mwclient does not retry them.
_CUT_SHORT = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)
_host_locks: dict[str, threading.Lock] = {}
_host_locks_guard = threading.Lock()


class ApiError(Exception):
    """The wiki answered with an API error (bad parameters, missing rights, …)."""

    def __init__(self, api: str, code: str, info: str) -> None:
        super().__init__(f"{api}: API error {code}: {info}")
        self.api = api
        self.code = code
        self.info = info


class LoginFailed(ApiError):
    """The wiki refused the account's credentials (wrong or revoked bot password, …)."""

    def __init__(self, api: str, username: str, reason: str) -> None:
        super().__init__(api, "login-failed", f"{username}: {reason}")
        self.username = username
        self.reason = reason


class WikiUnavailable(Exception):
    """The wiki could not be reached or kept failing after the bounded retries."""


def user_agent(contact: str) -> str:
    return f"event-outcomes/{tool.__version__} ({contact}) mwclient/{mwclient.__version__}"


def _host_lock(url: str) -> threading.Lock:
    host = urlsplit(url).netloc
    with _host_locks_guard:
        return _host_locks.setdefault(host, threading.Lock())


class CountingSession(requests.Session):
    """The session mwclient uses (its ``pool``): counts every attempt, one request a host at a time,
    and keeps the wait the last failed answer asked for (``retry_after``), which mwclient's own
    retries of 5xx answers do not look at."""

    requests_made = 0

    def __init__(self) -> None:
        super().__init__()
        self._last = threading.local()

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        self.requests_made += 1
        self._last.retry_after = None
        with _host_lock(str(url)):
            response = super().request(method, url, *args, **kwargs)
        if response.status_code in RETRY_STATUSES:
            self._last.retry_after = _retry_after(response)
        return response

    @property
    def retry_after(self) -> float | None:
        """Seconds the last answer in this thread asked to wait (``Retry-After`` of a 429 or 5xx)."""
        return getattr(self._last, "retry_after", None)


class _Sleeper(mwclient.sleep.Sleeper):
    """mwclient's retry counter with our waits: ``Retry-After`` when given, else exponential.

    Within one call (``ApiClient._retrying``) every sleeper counts on the call's own (``shared``):
    mwclient retries lag and 5xx answers inside its loop and this client retries the rest around
    it, and without one count the two bounds would multiply (6 × 6 attempts, not 6).
    """

    def __init__(self, client: ApiClient, args: Any = None, shared: _Sleeper | None = None) -> None:
        super().__init__(args, client.max_retries, client.backoff, lambda *a: None)
        self.client = client
        self.shared = shared

    def sleep(self, min_time: float = 0) -> None:
        counter = self.shared or self
        counter.retries += 1
        if counter.retries > self.max_retries:
            raise mwclient.errors.MaximumRetriesExceeded(self, self.args)
        wait = min_time or self.client.session.retry_after or self.retry_timeout * 2 ** (counter.retries - 1)
        self.client.sleep(min(self.client.max_wait, wait))


class _Sleepers(mwclient.sleep.Sleepers):
    def __init__(self, client: ApiClient) -> None:
        super().__init__(client.max_retries, client.backoff)
        self.client = client

    def make(self, args: Any = None) -> _Sleeper:
        return _Sleeper(self.client, args, getattr(self.client._call, "sleeper", None))


class ApiClient:
    """Action API client for one wiki and one identity (anonymous, a bot password, OAuth ``auth``).

    ``requests_made`` counts HTTP requests, retries included.
    """

    def __init__(
        self,
        api: str,
        contact: str = "https://event-outcomes.toolforge.org/",
        maxlag: int | None = 5,
        max_retries: int = 5,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        timeout: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        auth: AuthBase | None = None,
    ) -> None:
        self.api = api
        self.maxlag = maxlag
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep
        self.timeout = timeout
        # The retry count of the call in progress, per thread (a read-ahead thread may be one).
        self._call = threading.local()
        # Whether the account may use apihighlimits: None until an answer has told (see call()).
        self.high_limits: bool | None = None
        self.session = CountingSession()
        self.session.headers["User-Agent"] = user_agent(contact)
        # mwclient leaves a given pool's auth alone: OAuth 1.0a signs every request of the session.
        self.session.auth = auth
        url = urlsplit(api)
        directory, _, script = url.path.rpartition("/")
        name, dot, ext = script.partition(".")
        self.site = mwclient.Site(
            url.netloc,
            path=directory + "/",
            ext=dot + ext,
            scheme=url.scheme,
            pool=self.session,
            connection_options={"timeout": timeout},
            # No siteinfo request at construction: the first real query carries what is needed.
            do_init=False,
        )
        self.site.sleepers = _Sleepers(self)
        self._script = name
        self._rest = url._replace(path=f"{directory}/rest.php", query="").geturl()

    @property
    def requests_made(self) -> int:
        return self.session.requests_made

    def get(self, **params: Any) -> dict[str, Any]:
        return self.call("GET", params)

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        data = {"formatversion": "2", **_flatten(params)}
        if self.maxlag is not None:
            data["maxlag"] = str(self.maxlag)
        action = data.pop("action")
        if action == "query" and self.high_limits is None:
            # mwclient adds meta=userinfo to every query; its rights ride along until known.
            props = [prop for prop in data.get("uiprop", "").split("|") if prop]
            if "rights" not in props:
                data["uiprop"] = "|".join([*props, "rights"])
        body: dict[str, Any] = self._retrying(lambda: self.site.api(action, method, **data))
        rights = body.get("query", {}).get("userinfo", {}).get("rights")
        if rights is not None:
            self.high_limits = "apihighlimits" in rights
        return body

    def _retrying(self, request: Callable[[], Any]) -> Any:
        """``request`` with at most ``max_retries`` retries in all, whatever failed.

        mwclient retries lag, 5xx answers, dropped connections and timeouts itself (except where it
        is told not to, as in its first siteinfo request), but gives up at once on a 429 (too many
        requests), on an answer cut short by a reset, and on one that is not JSON (a truncated
        answer): those are retried here, on the same count, so a retry mwclient already spent is
        not made again.
        """
        sleeper = _Sleeper(self)
        self._call.sleeper = sleeper
        before = self.requests_made
        try:
            while True:
                try:
                    with self._translated_errors(before):
                        return request()
                except _Retry as e:
                    try:
                        sleeper.sleep(e.wait or 0)
                    except mwclient.errors.MaximumRetriesExceeded:
                        raise self._gave_up(e.problem, before) from e
        finally:
            self._call.sleeper = None

    @contextmanager
    def _translated_errors(self, before: int) -> Iterator[None]:
        """mwclient's and requests' exceptions as this project's (so callers and messages stay), or
        as ``_Retry`` for what another attempt may cure."""
        try:
            yield
        except mwclient.errors.LoginError as e:
            raise LoginFailed(self.api, str(self.site.credentials[0]), str(e.info or e.code)) from e
        except mwclient.errors.APIError as e:
            raise ApiError(self.api, str(e.code), str(e.info)) from e
        except requests.HTTPError as e:
            status = e.response.status_code if e.response is not None else 0
            if status == 429 or status >= 500:  # as mwclient: every 5xx may pass
                raise _Retry(f"HTTP {status}", _retry_after(e.response)) from e
            text = e.response.text[:200] if e.response is not None else ""
            raise WikiUnavailable(f"{self.api}: HTTP {status}: {text}") from e
        except (requests.ConnectionError, requests.Timeout, *_CUT_SHORT) as e:
            raise _Retry(f"{type(e).__name__}: {e}") from e
        except mwclient.errors.MaximumRetriesExceeded as e:
            # mwclient retries lag (its HTTP layer: sleeper args are the request) and database
            # errors in the answer (sleeper args None).
            retried = "maxlag" if e.args[1] is not None else "database errors"
            raise self._gave_up(retried, before) from e
        except mwclient.errors.InvalidResponse as e:
            raise _Retry(f"answer is not JSON: {e.response_text[:200]!r}") from e

    def _gave_up(self, problem: str, before: int) -> WikiUnavailable:
        return WikiUnavailable(f"{self.api}: {problem}; gave up after {self.requests_made - before} attempts")

    def get_rest(self, path: str, params: dict[str, str] | None = None) -> Any:
        """GET a REST API path (``/campaignevents/v0/…``) with the same etiquette; 404 → None.

        mwclient speaks only the Action API, so this and ``get_page_view`` are made here directly.
        """
        return self._get_plain(self._rest + path, params or {}, lambda response: response.json())

    def get_page_view(self, title: str) -> str | None:
        """The HTML of a page's view (``index.php?title=…``) with the same etiquette; 404 → None."""
        index = self.api.removesuffix("api.php") + "index.php"
        return self._get_plain(index, {"title": title}, lambda response: response.text)

    def _get_plain(self, url: str, params: dict[str, str], read: Callable[[requests.Response], Any]) -> Any:
        """GET outside the Action API: bounded retries honouring ``Retry-After``, 404 → None.

        ``read`` turns a 200 answer into the result; a ValueError from it (not JSON) is retried.
        """
        sleeper = _Sleeper(self)
        before = self.requests_made
        while True:
            wait: float | None = None
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout, *_CUT_SHORT) as e:
                problem = f"{type(e).__name__}: {e}"
            else:
                if response.status_code == 404:
                    return None
                wait = _retry_after(response)
                problem = f"HTTP {response.status_code}"
                if response.status_code == 200:
                    try:
                        return read(response)
                    except ValueError:
                        problem = f"answer is not JSON: {response.text[:200]!r}"
                elif response.status_code not in RETRY_STATUSES:
                    raise WikiUnavailable(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
            try:
                sleeper.sleep(wait or 0)
            except mwclient.errors.MaximumRetriesExceeded:
                raise WikiUnavailable(
                    f"{url}: {problem}; gave up after {self.requests_made - before} attempts"
                ) from None

    def login(self, username: str, password: str, cookie_file: Path | None = None) -> None:
        """Log in with a bot password (Special:BotPasswords); the session keeps the cookies.

        mwclient asks the login token, logs in, then asks the account's rights (3 requests). With
        ``cookie_file`` the session is kept between runs, as pywikibot keeps its own: a nightly job
        checks the stored session with the one request it needs anyway (its rights, for the API
        limits) and logs in again only when the wiki has forgotten it.
        """
        if cookie_file is not None and self._resume(username, cookie_file):
            return
        tried = False

        def log_in() -> None:
            nonlocal tried
            # A retry first asks whether the attempt before got that far: its lost answer may
            # have brought the session cookie, and the wiki refuses a second login in a bot
            # password's session ("Cannot log in when using …BotPasswordSessionProvider sessions").
            if tried:
                self.site.site_init()
                if self.site.logged_in and self.site.username == username.split("@", 1)[0]:
                    return
            tried = True
            self.site.login(username, password)

        self._retrying(log_in)
        self.high_limits = "apihighlimits" in self.site.rights
        if cookie_file is not None:
            self._save_cookies(cookie_file)

    def check_identity(self) -> str:
        """The account the wiki sees (one request, which also tells its rights); '' when anonymous."""
        info = self.get(action="query", meta="userinfo", uiprop="rights")["query"]["userinfo"]
        self.high_limits = "apihighlimits" in info.get("rights", [])
        return "" if info.get("anon") else str(info.get("name", ""))

    def _resume(self, username: str, cookie_file: Path) -> bool:
        if not cookie_file.exists():
            return False
        jar = LWPCookieJar(str(cookie_file))
        try:
            jar.load(ignore_discard=True)
        except (OSError, LoadError):
            return False
        if not len(jar):
            return False  # nothing kept: asking the wiki would be a request for nothing
        self.session.cookies.update(jar)
        if self.check_identity() != username.split("@", 1)[0]:
            self.session.cookies.clear()
            self.high_limits = None  # those were the anonymous rights
            return False
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


class _Retry(Exception):
    """A failure worth another attempt (``_retrying``): what went wrong, and the wait asked for."""

    def __init__(self, problem: str, wait: float | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.wait = wait


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


def _retry_after(response: requests.Response | None) -> float | None:
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
