"""In a real browser (issue #10, items 1-3): an organizer registers an event through the form, at a
phone's width and right to left too, and a participant joins it and withdraws, clicking as people
click. The wiki is the test farm, through its OAuth gateway; screenshots go to test-artifacts/.

The app here starts from an empty store (the event it registers is read into it at once), so these
tests do not wait for the nightly run the other browser tests share.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import Browser, log_in, log_out, switch_language
from tests.store_fixtures import migrated
from tests.wikiactions import ORGANIZER, PARTICIPANT, on_wiki, retire, unique
from tool.web.titles import url_part

pytestmark = pytest.mark.farm


@pytest.fixture(scope="module")
def live_server(farm: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app on a free port, on a store of its own (overrides tests.browser's, which needs
    the nightly run's store)."""
    from werkzeug.serving import make_server

    from tool import create_app

    instance = tmp_path_factory.mktemp("wikiactions-app")
    app = create_app(
        {
            "DATABASE_URL": migrated(f"sqlite:///{instance / 'store.sqlite'}"),
            "FARM": farm["status_file"],
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": secrets.token_hex(32),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="wikiactions-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def no_sideways_scroll(browser: Browser) -> None:
    assert browser.script("return document.documentElement.scrollWidth") <= 360


def type_into(browser: Browser, name: str, value: str) -> None:
    field = browser.find(f"[name='{name}']")
    field.clear()
    field.send_keys(value)


def test_an_organizer_registers_an_event_and_a_participant_joins_and_withdraws(
    browser: Browser, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    title = unique("Browser training")
    try:
        browser.open("/")
        log_in(browser, farm, ORGANIZER)
        browser.find(".eo-nav a[href='/register']").click()
        assert browser.path == "/register"
        browser.phone()
        no_sideways_scroll(browser)
        browser.shot("register-form-phone")

        for name, value in {"title": title, "name": "Browser training", "start": "2027-02-30",
                            "end": "2027-02-07", "wikis": "enwiki"}.items():  # fmt: skip
            type_into(browser, name, value)
        browser.find("button[value=preview]").click()
        browser.wait_until(lambda d: "eo-field-start-error-1" in d.page_source, "the form's problems")
        start = browser.find("#eo-field-start")
        assert start.get_attribute("aria-invalid") == "true"
        assert '"2027-02-30" is not a date' in browser.text(".eo-eventform")
        assert browser.find("[name=wikis]").get_attribute("value") == "enwiki"  # kept
        assert not browser.find_all("button[value=save]")
        no_sideways_scroll(browser)
        browser.shot("register-problem-phone")

        type_into(browser, "start", "2027-02-06")
        browser.find("button[value=preview]").click()
        browser.wait_until(lambda d: "eo-eventform__wikitext" in d.page_source, "the preview")
        assert "{{Event outcomes" in browser.text(".eo-eventform__wikitext")
        browser.shot("register-preview-phone")
        browser.find("button[value=save]").click()
        browser.wait_until(lambda d: "/event/" in d.current_url, "the event's page")
        assert browser.path == f"/event/{url_part(title)}"
        assert "was created on the wiki with your account" in browser.text("main")
        assert browser.find_all(f"a[href='/event/{url_part(title)}/settings']")
        saved = on_wiki(farm, title)
        assert saved is not None
        assert saved.user == ORGANIZER

        log_out(browser)
        browser.open(f"/event/{url_part(title)}")
        assert "Log in to join this event" in browser.text(".eo-event-actions")
        log_in(browser, farm, PARTICIPANT)
        browser.find(".eo-event-actions button[value=join]").click()
        browser.wait_until(lambda d: "You joined" in d.page_source, "the notice")
        assert browser.find_all(".eo-event-actions button[value=withdraw]")
        no_sideways_scroll(browser)
        browser.shot("joined-phone")
        joined = on_wiki(farm, title)
        assert joined is not None
        assert joined.user == PARTICIPANT
        assert f"# {{{{Event participant|{PARTICIPANT}}}}} [[User:{PARTICIPANT}|" in joined.text

        browser.find(".eo-event-actions button[value=withdraw]").click()
        browser.wait_until(lambda d: "You withdrew" in d.page_source, "the notice")
        assert browser.find_all(".eo-event-actions button[value=join]")
        withdrawn = on_wiki(farm, title)
        assert withdrawn is not None
        assert f"# <s>{{{{Event participant|{PARTICIPANT}}}}}" in withdrawn.text
    finally:
        retire(farm, farm_credentials, title)


def test_the_form_lays_out_right_to_left_in_arabic_at_360_px(browser: Browser, farm: dict[str, Any]) -> None:
    browser.open("/register")
    log_in(browser, farm, ORGANIZER)
    switch_language(browser, "ar")
    browser.phone()
    assert browser.find("html").get_attribute("dir") == "rtl"
    no_sideways_scroll(browser)
    # The fields line up on the right: a label starts at the form's right edge.
    form = browser.find(".eo-eventform").rect
    label = browser.find("label[for=eo-field-name]").rect
    assert abs((label["x"] + label["width"]) - (form["x"] + form["width"])) < 40
    browser.shot("register-form-arabic-phone")
