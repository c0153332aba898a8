"""The browser tests' parts: the real app over HTTP, one headless Chromium per session, screenshots.

Chromium and its driver are Debian's packages (``apt-get install chromium chromium-driver``, which
``make test`` does through scripts/ensure_browser.sh). Selenium is handed both paths, so Selenium
Manager never runs and nothing downloads a browser. A missing Chromium skips the browser tests on a
developer's machine and fails them under CI=true (tests.conftest.service_missing).

The store is filled as production fills it: the nightly command (discovery, sync, evaluation,
snapshots, comparisons) runs once per session against the test farm. The app is the real one
(create_app) served by werkzeug in a thread; logging in goes through the farm's OAuth gateway and
its consent page, clicked as a person clicks it.

Every test that uses the ``browser`` fixture leaves a full-page screenshot in the artifacts folder
(``TEST_ARTIFACTS_DIR``, default test-artifacts/, screenshots under screenshots/), named after the
test; a failed test's is marked FAILED and its page's HTML is kept beside it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import pytest

from tests.conftest import service_missing
from tests.store_fixtures import migrated
from tool import ROOT
from tool.web.titles import url_part

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Where screenshots (and a failed test's HTML) are kept, for a person to look at after the run.
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR") or ROOT / "test-artifacts")
SCREENSHOTS = ARTIFACTS / "screenshots"
#: The farm's "now" (devwiki): the nightly run counts as of this moment, as tests/test_nightly.py does.
FARM_NOW = "2026-11-01T00:00:00Z"
DESKTOP = (1280, 900)
#: The narrowest phone the tool promises to work on (rules: "works at 360 px wide").
PHONE_WIDTH = 360
WAIT_SECONDS = 20

T = TypeVar("T")


# --- the store and the app ------------------------------------------------------------------------


def _tool_env(database_url: str, instance: Path, farm: dict[str, Any]) -> dict[str, str]:
    """The environment of a `python -m tool` run on this store: the developer's own TOOL_* and
    config.yaml left out, so the run reads exactly this store and this farm."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOOL_")}
    env.update(
        TOOL_CONFIG_FILE=str(instance / "no-config.yaml"),
        TOOL_DATABASE_URL=database_url,
        TOOL_INSTANCE_PATH=str(instance),
        TOOL_FARM=farm["status_file"],
    )
    return env


@pytest.fixture(scope="session")
def browser_store(farm: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store filled by one nightly run against the test farm: its events, their
    participants' contributions, the snapshots and comparisons the pages read."""
    from devwiki.events import COHORT_TITLE, PLANS
    from tool.store import Store

    instance = tmp_path_factory.mktemp("browser-store")
    url = migrated(f"sqlite:///{instance / 'store.sqlite'}")
    run = subprocess.run(
        [sys.executable, "-m", "tool", "nightly", "--now", FARM_NOW],
        env=_tool_env(url, instance, farm),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # A page another test left broken on the farm makes the run say 1; the farm's own events must
    # still all have been counted.
    assert run.returncode in (0, 1), run.stdout + run.stderr
    store = Store(url)
    try:
        for title in [plan.title for plan in PLANS]:
            assert store.latest_snapshot("event", title) is not None, f"{title}\n{run.stdout}{run.stderr}"
        assert store.latest_snapshot("cohort", COHORT_TITLE) is not None, run.stdout + run.stderr
    finally:
        store.dispose()
    return url


@pytest.fixture(scope="session")
def live_server(
    farm: dict[str, Any], browser_store: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The real app on a free port of 127.0.0.1, served by werkzeug in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    from tool import create_app

    instance = tmp_path_factory.mktemp("browser-app")
    app = create_app(
        {
            "DATABASE_URL": browser_store,
            "FARM": farm["status_file"],
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": secrets.token_hex(32),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-tests-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium for the whole session (starting one takes about a second)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        service_missing(
            f"{CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install chromium chromium-driver "
            "(make test does it)"
        )
    try:
        from selenium import webdriver
    except ImportError as e:
        service_missing(f"selenium is not installed ({e}): pip install -r requirements-dev.txt")
        raise  # unreachable: service_missing skips or fails
    # Belt and braces: were a path ever missing, Selenium Manager must fail rather than download.
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # the tests run as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        "--lang=en-US",
        "--no-first-run",
        "--disable-background-networking",  # no request to any other host, ever
        "--disable-component-update",
        "--disable-sync",
        "--metrics-recording-only",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(argument)
    # The tool reads Accept-Language: English unless a test asks for another language.
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    try:
        driver = webdriver.Chrome(options=options, service=service)
    except Exception as e:  # selenium's errors share no base class worth naming here
        service_missing(f"headless Chromium did not start: {e}")
        raise
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


class Browser:
    """The session's Chromium pointed at the app, with the steps a person takes."""

    def __init__(self, driver: WebDriver, base_url: str, name: str) -> None:
        self.driver = driver
        self.base_url = base_url
        self.name = name
        self.shots: list[Path] = []

    # Where we are.
    def url(self, path: str) -> str:
        return self.base_url + path

    def open(self, path: str) -> None:
        self.driver.get(self.url(path))

    @property
    def path(self) -> str:
        """The current page's path and query on the app ("" when elsewhere, e.g. the gateway)."""
        current = self.driver.current_url
        if not current.startswith(self.base_url + "/"):
            return ""
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    # What is on the page.
    def find(self, css: str) -> WebElement:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list[WebElement]:
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str = "body") -> str:
        return self.find(css).text

    def script(self, code: str, *args: Any) -> Any:
        return self.driver.execute_script(code, *args)

    def wait_until(self, condition: Callable[[WebDriver], T], what: str) -> T:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, WAIT_SECONDS).until(condition, f"waited for {what}")

    # The viewport.
    def phone(self) -> None:
        """A 360 px wide phone: the page lays out as on one (meta viewport honoured)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": PHONE_WIDTH, "height": 780, "deviceScaleFactor": 1, "mobile": True},
        )

    def desktop(self) -> None:
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

    # Keeping what was seen.
    def shot(self, label: str) -> Path:
        """A full-page PNG in the screenshots folder: <test>--<label>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_file_name(self.name)}--{_file_name(label)}.png"
        path.write_bytes(self._full_page_png())
        self.shots.append(path)
        return path

    def keep_html(self, label: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{_file_name(self.name)}--{_file_name(label)}.html"
        path.write_text(self.driver.page_source)
        return path

    def _full_page_png(self) -> bytes:
        # Selenium's own screenshot is the viewport only; the DevTools one can take the whole page.
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        taken = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        return base64.b64decode(taken["data"])


def _file_name(text: str) -> str:
    """A test id or label as a file name: letters, digits, dots, dashes."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-")[:150] or "page"


_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Each phase's report kept on the test, so the browser fixture knows at teardown if it failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def browser(chromium: WebDriver, live_server: str, request: pytest.FixtureRequest) -> Iterator[Browser]:
    """The session's Chromium as a new visitor: no cookies, desktop size; screenshot at the end."""
    chromium.execute_cdp_cmd("Network.clearBrowserCookies", {})
    chromium.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    page = Browser(chromium, live_server, request.node.nodeid.split("::", 1)[-1])
    yield page
    call = request.node.stash.get(_REPORTS, {}).get("call")
    failed = call is None or call.failed
    try:
        page.shot("FAILED" if failed else "end")
        if failed:
            page.keep_html("FAILED")
    except Exception as e:  # a browser that died must not hide the test's own failure
        print(f"browser tests: no screenshot of {page.name}: {e}", file=sys.stderr)


# --- steps a person takes -------------------------------------------------------------------------


@contextmanager
def gateway_returns_to(farm: dict[str, Any], base_url: str) -> Iterator[None]:
    """The farm gateway's consent page returns to this app while the block runs.

    The gateway returns to its consumer's registered callback (like Meta-Wiki's, for a consumer
    without "callback is a prefix"); the test farm registers 127.0.0.1:5000, where no test app
    listens, so the registration points here meanwhile and is put back afterwards.
    """
    from devwiki.gateway.tokens import Consumer, register_consumer

    consumer_file = Path(farm["oauth"]["consumer_file"])
    before = Consumer.read(consumer_file).callback
    register_consumer(consumer_file, f"{base_url}/oauth-callback")
    try:
        yield
    finally:
        register_consumer(consumer_file, before)


def log_in(browser: Browser, farm: dict[str, Any], account: str) -> None:
    """Click "Log in" in the header, pick ``account`` on the gateway's consent page, allow."""
    with gateway_returns_to(farm, browser.base_url):
        start = browser.path
        browser.find(".eo-nav a[href^='/login']").click()
        browser.wait_until(lambda d: d.current_url.startswith(farm["oauth"]["server"]), "the consent page")
        browser.shot("consent-page")
        radios = [r for r in browser.find_all("input[name=account]") if r.get_attribute("value") == account]
        assert radios, f"the consent page does not offer {account}"
        radios[0].click()
        browser.find("button[name=allow]").click()
        browser.wait_until(
            lambda d: d.current_url.startswith(browser.base_url) and "/oauth-callback" not in d.current_url,
            "the way back to the tool",
        )
    assert browser.path == start, "the login returns to the page it started from"


def log_out(browser: Browser) -> None:
    """The header's "Log out" button (a POST with the session's CSRF token)."""
    browser.find(".eo-user__logout button").click()
    browser.wait_until(lambda d: not d.find_elements("css selector", ".eo-user__name"), "the name to go")


def switch_language(browser: Browser, code: str) -> None:
    """Pick a language in the footer's form and send it, as a person does."""
    from selenium.webdriver.support.ui import Select

    Select(browser.find("#eo-uselang")).select_by_value(code)
    browser.find(".eo-language button[type=submit]").click()
    browser.wait_until(lambda d: f"uselang={code}" in d.current_url, f"the page in {code}")


def tab_through(browser: Browser, presses: int) -> list[str]:
    """What the Tab key lands on, press by press, each as ``tag href-or-id text``."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    reached = []
    for _ in range(presses):
        ActionChains(browser.driver).send_keys(Keys.TAB).perform()
        reached.append(
            browser.script(
                "const e = document.activeElement;"
                "return [e.tagName.toLowerCase(), e.getAttribute('href') || e.id || e.name || '',"
                " (e.innerText || e.value || '').trim()].join(' ');"
            )
        )
    return reached


def table_rows(browser: Browser, css: str = "main table") -> list[dict[str, str]]:
    """The rows of a table as a reader sees them: each cell's text under its column's heading."""
    table = browser.find(css)
    headings = [th.text for th in table.find_elements("css selector", "thead th")]
    return [
        dict(zip(headings, (cell.text for cell in row.find_elements("css selector", "th, td")), strict=True))
        for row in table.find_elements("css selector", "tbody tr")
    ]


def api_json(browser: Browser, path: str) -> Any:
    """An API answer as the browser shows it (Chromium puts a JSON document in a <pre>)."""
    browser.open(path)
    return json.loads(browser.text("pre"))


def page_path(kind: str, title: str) -> str:
    """/event/<title> or /cohort/<title>, spaces as underscores (tool.web.titles)."""
    return f"/{kind}/{url_part(title)}"


# --- for the checks still to come (issue #9 item 8), when their pages land ------------------------
# Each is a step a later test calls; none is a test itself.


def open_event(browser: Browser, title: str) -> None:
    """Open an event's page the way a reader does: its link in the events list.

    Until the list links to /event/<title> (helper "list"), open the page by its URL.
    """
    links = [
        a
        for a in browser.find_all("main a")
        if a.get_attribute("href") == browser.url(page_path("event", title))
    ]
    if links:
        links[0].click()
    else:
        browser.open(page_path("event", title))


def charts(browser: Browser) -> list[WebElement]:
    """The charts on the page: server-side SVG in the main content (tool/charts.py)."""
    return browser.find_all("main svg")


def download(browser: Browser, link: WebElement, folder: Path) -> Path:
    """Click a download link (a CSV export, say) and return the file once Chromium has written it."""
    folder.mkdir(parents=True, exist_ok=True)
    browser.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)}
    )
    before = set(folder.iterdir())
    link.click()
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        done = [p for p in set(folder.iterdir()) - before if not p.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no download arrived in {folder} after clicking {link.get_attribute('href')}")


def filter_list(browser: Browser, field: str, value: str) -> None:
    """Filter the events list by a context field: pick ``value`` in the list's control named
    ``field`` and send its form (helper "list" decides the markup; adjust the selector then)."""
    from selenium.webdriver.support.ui import Select

    control = browser.find(f"main form [name='{field}']")
    if control.tag_name == "select":
        Select(control).select_by_value(value)
    else:
        control.clear()
        control.send_keys(value)
    control.submit()


def open_comparison(browser: Browser, by: str) -> None:
    browser.open(f"/compare?by={by}")


def sees_contribution_list(browser: Browser, title: str) -> bool:
    """Whether the person logged in is shown the event's counted contributions (organizers only).

    /event/<title>/contributions (helper "why"); a table of diff links means yes.
    """
    browser.open(page_path("event", title) + "/contributions")
    return bool(browser.find_all("main table a[href*='diff']"))
