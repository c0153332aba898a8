"""Pages served again from memory while nothing they show has changed.

Every page is read from stored records and snapshots, which change only when discovery, a refresh
or the nightly run writes them; between those writes the same URL in the same language gives the
same page. So each process keeps the pages it rendered for visitors who are not logged in, keyed
by URL, language and the store's pages version (tool.store.versions), and serves them again after
one primary-key read. A logged-in person's pages (their name in the header, their CSRF token, their
own rows) are never kept. Entries also expire after ``TTL`` so what depends on the clock ("next
refresh") stays true, and the cache holds at most ``SIZE`` pages.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import flask

from tool import security
from tool.store import StoreUnavailable
from tool.web import auth
from tool.web.data import store

#: The pages that are the same for every visitor who is not logged in.
CACHED = frozenset(
    {
        "home.index",
        "event.page",
        "cohort.page",
        "compare.page",
        "info.definitions",
        "info.organizers",
        "api.events",
        "api.event",
        "api.cohort",
        "api.compare",
    }
)
TTL = 60.0  # seconds
SIZE = 1024
#: Statuses worth keeping: a page, or a refusal that says the same thing every time.
KEPT_STATUSES = frozenset({200, 400, 404})
#: URLs longer than this are not kept (each is a refusal of its own, and they would fill memory).
MAX_URL = 2000


@dataclass(frozen=True)
class _Page:
    status: int
    mimetype: str | None
    body: bytes
    stored: float


class PageCache:
    def __init__(self, size: int = SIZE, ttl: float = TTL) -> None:
        self.size, self.ttl = size, ttl
        self._pages: OrderedDict[tuple[str, str, int], _Page] = OrderedDict()
        self._lock = threading.Lock()  # the development server and threaded workers share it
        self.hits = self.misses = 0

    def get(self, key: tuple[str, str, int]) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or time.monotonic() - page.stored > self.ttl:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple[str, str, int], response: flask.Response) -> None:
        page = _Page(response.status_code, response.mimetype, response.get_data(), time.monotonic())
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


EXTENSION = "event_outcomes_pages"


def init_app(app: flask.Flask) -> None:
    """After the language is chosen (its before_request runs first), before any view."""
    app.extensions[EXTENSION] = PageCache()
    app.before_request(_serve_kept)
    app.after_request(_keep)


def _key() -> tuple[str, str, int] | None:
    request = flask.request
    if request.method != "GET" or request.endpoint not in CACHED or auth.current_user() is not None:
        return None
    url = request.full_path
    if len(url) > MAX_URL:
        return None
    try:
        version = store().pages_version()
    except StoreUnavailable:
        return None  # the view says what is wrong; nothing is served from before
    return (url, flask.g.get("interface_language_code", "en"), version)


def do_not_keep() -> None:
    """This response is not to be served again: it shows what changes without a write the pages
    version follows (the progress of a refresh under way)."""
    flask.g.page_key = None


def _serve_kept() -> flask.Response | None:
    key = _key()
    flask.g.page_key = key
    if key is None:
        return None
    page = flask.current_app.extensions[EXTENSION].get(key)
    if page is None:
        return None
    flask.g.page_key = None  # served from the cache: nothing to keep afterwards
    return flask.Response(page.body, status=page.status, mimetype=page.mimetype)


def _keep(response: flask.Response) -> flask.Response:
    key = flask.g.pop("page_key", None)
    if flask.g.get(security.TOKEN_SHOWN):
        return response  # a form with this browser's CSRF token: its page is not anyone else's
    if key is not None and response.status_code in KEPT_STATUSES and not response.direct_passthrough:
        flask.current_app.extensions[EXTENSION].put(key, response)
    return response
