"""Per-participant data reaches only the event's organizers, and each participant their own row
(issue #12, item 4; DESIGN §10).

On the hostile store (tests/hostile_store.py: two events, four participants whose names each hold
a plain marker, their edits, a cohort, the comparisons), every route of the app (tests/routes.py),
every format and both pages of the per-participant lists, is fetched by a visitor, by someone
logged in who is neither an organizer nor a participant, and by people whose names only look like
an organizer's; no answer (HTML, CSV, JSON, wikitext, API) names a participant. A participant
finds their own name and no one else's; an organizer finds everyone's (so the test reads the
pages where the names would be). Pages an organizer saw first are never served to anyone else.
"""

from __future__ import annotations

import html
import json

import flask
import pytest
from werkzeug.test import TestResponse

from tests import hostile_store as hostile
from tests.routes import urls
from tests.store_fixtures import migrated
from tool import create_app
from tool.metrics.keys import CONTEXT_KEYS
from tool.store import Store
from tool.web.auth import USER

#: People who are neither organizers nor participants of the events; some with the organizer's
#: link label, or their name spelled otherwise, or a name from the hostile organizers field.
OUTSIDERS = (
    None,
    "Mallory Other",
    "Olive",  # the label of the organizer's link, not an account of theirs
    "Olive Organizer2",
    hostile.ATTRIBUTE,  # in the organizers field, but not an account name
    "Ana",  # the start of a participant's name is another account
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> flask.Flask:
    url = migrated(f"sqlite:///{tmp_path_factory.mktemp('private') / 'store.sqlite'}")
    store = Store(url)
    hostile.fill(store)
    store.dispose()
    return create_app({"DATABASE_URL": url, "TESTING": True})


def every_url(app: flask.Flask) -> list[str]:
    found: list[str] = []
    for event in (hostile.EVENT, hostile.OTHER_EVENT):
        for url in urls(app, event, hostile.COHORT):
            if "GET" in url.methods:
                found.append(url.url)
                if url.endpoint == "why.page":  # the other pages of its two lists
                    found += [f"{url.url}?page=2", f"{url.url}?people=2", f"{url.url}?uselang=ar"]
    for by in CONTEXT_KEYS:
        found += [f"/compare?by={by}", f"/api/v1/compare?by={by}", f"/compare/outcomes.csv?by={by}"]
    return list(dict.fromkeys(found))


def why_urls(app: flask.Flask, event: str = hostile.EVENT) -> tuple[str, str]:
    """The event's per-participant page and CSV, as the app writes their URLs."""
    found = {u.endpoint: u.url for u in urls(app, event, hostile.COHORT)}
    return found["why.page"], found["why.contributions_csv"]


def client_as(app: flask.Flask, user: str | None) -> flask.testing.FlaskClient:
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session[USER] = user
    return client


def readable(response: TestResponse) -> str:
    """The answer as its reader sees it: HTML entities and JSON escapes decoded."""
    text = response.get_data(as_text=True)
    if response.mimetype == "application/json":
        return json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)


def names_seen(client: flask.testing.FlaskClient, app: flask.Flask) -> dict[str, set[str]]:
    """For each URL, the participants' markers its answer holds."""
    seen = {}
    for url in every_url(app):
        text = readable(client.get(url))
        seen[url] = {marker for marker in hostile.PRIVATE if marker in text}
    return seen


@pytest.mark.parametrize("who", OUTSIDERS, ids=lambda who: repr(who))
def test_no_route_names_a_participant_to_anyone_else(app: flask.Flask, who: str | None) -> None:
    # An organizer reads every page first: what they saw must not be kept and served to others.
    names_seen(client_as(app, hostile.ORGANIZER), app)
    seen = names_seen(client_as(app, who), app)
    assert {url: markers for url, markers in seen.items() if markers} == {}
    print(f"\n{who or 'a visitor'}: {len(seen)} URLs, no participant named")


def test_a_participant_finds_their_own_row_and_no_one_elses(app: flask.Flask) -> None:
    seen = names_seen(client_as(app, hostile.PEOPLE[0]), app)
    own = hostile.PRIVATE[0]
    assert {url: markers - {own} for url, markers in seen.items() if markers - {own}} == {}
    page, csv = why_urls(app)
    assert seen[page] == {own}
    assert seen[csv] == {own}


def test_an_organizer_finds_every_participant(app: flask.Flask) -> None:
    seen = names_seen(client_as(app, hostile.ORGANIZER), app)
    page, csv = why_urls(app)
    assert seen[page] == set(hostile.PRIVATE)
    assert seen[csv] == set(hostile.PRIVATE)
    # …and only there: the aggregates name no one, whoever reads them.
    lists = [why_urls(app, title) for title in (hostile.EVENT, hostile.OTHER_EVENT)]
    expected = {csv for _, csv in lists}
    expected |= {page + suffix for page, _ in lists for suffix in ("", "?page=2", "?people=2", "?uselang=ar")}
    assert {url for url, markers in seen.items() if markers} == expected


def test_the_per_participant_pages_are_never_kept_by_a_shared_cache(app: flask.Flask) -> None:
    client = client_as(app, hostile.ORGANIZER)
    for url in why_urls(app):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "Cookie" in response.headers["Vary"]
