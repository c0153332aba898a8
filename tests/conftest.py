"""Shared fixtures: the local wiki farm and the services tests talk to.

A missing service skips its tests on a developer's machine, but under CI=true it fails them:
CI must never pass by skipping (DEVELOPERS.md).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import mwclient
import pytest
import requests

from tool.config import DEFAULTS
from tool.runtime import Runtime

# Fixtures shared by several modules: a fresh store on SQLite and on MariaDB; the browser tests' app,
# Chromium and screenshots.
pytest_plugins = ["tests.store_fixtures", "tests.browser"]

IN_CI = os.environ.get("CI", "").lower() == "true"


def service_missing(what: str) -> None:
    """Skip the calling test for a missing service, or fail it under CI."""
    if IN_CI:
        pytest.fail(f"{what} (CI=true: a missing service fails the run)", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def farm() -> dict[str, Any]:
    """The running `test` farm's status document (wikis' API URLs, credentials path).

    `make test` starts the farm first; a bare `pytest` starts it here (idempotent).
    """
    from devwiki import farm as farm_module
    from devwiki.mediawiki import FarmError

    farm = farm_module.farm_for(
        "test", int(os.environ["DEVWIKI_BASE_PORT"]) if "DEVWIKI_BASE_PORT" in os.environ else None
    )
    try:
        return farm_module.start(farm, log=lambda message: None)
    except FarmError as e:
        service_missing(f"the local wiki farm could not start: {e}")
        raise  # unreachable: service_missing skips or fails


@pytest.fixture(scope="session")
def farm_credentials(farm: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(farm["credentials"]).read_text())
    return data


def bot_site(farm: dict[str, Any], credentials: dict[str, Any]) -> mwclient.Site:
    """The farm's bot logged in on the events wiki, as the tests that write event pages use it."""
    host = farm["wikis"]["metawiki"]["server"].removeprefix("http://")
    site = mwclient.Site(host, path="/", scheme="http", clients_useragent="event-outcomes-tests")
    site.login(credentials["bot"]["botpassword_user"], credentials["bot"]["botpassword"])
    return site


def farm_runtime(farm: dict[str, Any], tmp_path: Path) -> Runtime:
    """The tool's runtime on the test farm with a fresh, migrated SQLite store in ``tmp_path``."""
    from tests.store_fixtures import migrated  # it imports this module: imported when used

    database = migrated(f"sqlite:///{tmp_path / 's.sqlite'}")
    return Runtime({**DEFAULTS, "FARM": farm["status_file"], "DATABASE_URL": database})


def consent(authorize_url: str, account: str) -> str:
    """The farm gateway's consent page as a person uses it: pick ``account``, allow.

    Returns the URL the gateway sends the browser back to (the consumer's callback, with the
    request token and the verifier).
    """
    page = requests.get(authorize_url, timeout=30)
    assert page.status_code == 200, page.text
    assert html.escape(account) in page.text  # the page offers the account
    token = parse_qs(urlsplit(authorize_url).query)["oauth_token"][0]
    allowed = requests.post(
        authorize_url,
        data={"oauth_token": token, "account": account, "allow": "1"},
        allow_redirects=False,
        timeout=30,
    )
    assert allowed.status_code == 302, allowed.text
    return str(allowed.headers["Location"])
