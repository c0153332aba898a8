"""The read-only JSON API (/api/v1/): every answer checked against tool/web/openapi.yaml.

The store is filled the way the tool fills it (events and participants saved, outcomes counted by
tool.pipeline.evaluate and kept as snapshots, comparisons kept by the nightly step); the API only
reads what is there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import flask
import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.exceptions import OpenAPIError
from werkzeug.test import TestResponse

from tests.store_fixtures import migrated
from tests.test_store import event as event_record
from tool import create_app
from tool.metrics.keys import DEFINITIONS_VERSION
from tool.pipeline import evaluate
from tool.pipeline.comparisons import keep_comparisons
from tool.pipeline.refresh import keep_snapshot, refresh_cohorts
from tool.store import CohortRecord, ParticipantRecord, Store
from tool.web.api import SPEC_PATH

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PEOPLE = ["Ana Participant", "Bea Participant", "Cid Participant"]
# (title, name, region, language, start, cohort); every event is counted, but one.
EVENTS = [
    (
        "Event:Nairobi",
        "Nairobi training",
        "Sub-Saharan Africa",
        "sw",
        datetime(2026, 1, 14, tzinfo=UTC),
        "Indaba",
    ),
    (
        "Event:Lagos",
        "Lagos edit-a-thon",
        "Sub-Saharan Africa",
        "yo",
        datetime(2025, 3, 2, tzinfo=UTC),
        "Indaba",
    ),
    ("Event:Lima 2026", "Taller de Lima", "Latin America", "es", datetime(2026, 2, 7, tzinfo=UTC), None),
]
NEVER_COUNTED = "Event:Quito"
COHORT = "Cohort:Indaba"


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


def fill(store: Store) -> None:
    """EVENTS with PEOPLE, each counted once as of NOW, NEVER_COUNTED never, and COHORT counted.

    The web's other readers of stored outcomes (the downloads) fill their stores the same way.
    """
    for page_id, (title, name, region, language, start, cohort) in enumerate(EVENTS, start=1):
        store.save_event(
            event_record(
                title,
                page_id=page_id,
                name=name,
                context={"region": region, "language": language},
                start=start,
                end=start + timedelta(days=1),
                cohort=cohort,
            )
        )
        store.replace_participants(title, [ParticipantRecord(user, line) for line, user in enumerate(PEOPLE)])
        outcomes = evaluate.event_outcomes(store, title, NOW)
        keep_snapshot(store, "event", title, outcomes, NOW, partial=outcomes.partial)
    store.save_event(event_record(NEVER_COUNTED, page_id=99, name="Quito", context={}, cohort=None))
    store.save_cohort(
        CohortRecord(COHORT, 50, 1, "Indaba", events=[], match=True, problems=[], parsed_at=NOW)
    )
    refresh_cohorts(store, NOW)


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[Store]:
    store = Store(migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    fill(store)
    yield store
    store.dispose()


@pytest.fixture
def app(stored: Store) -> flask.Flask:
    return create_app({"DATABASE_URL": str(stored.engine.url), "TESTING": True})


class CheckedClient:
    """A test client whose every answer must match the OpenAPI description, whatever its status."""

    def __init__(self, app: flask.Flask, openapi: OpenAPI) -> None:
        self.client = app.test_client()
        self.openapi = openapi
        self.bodies: list[str] = []

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        response = self.client.get(path, **kwargs)
        assert response.mimetype == "application/json", path
        self.openapi.validate_response(
            WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response)
        )
        self.bodies.append(response.get_data(as_text=True))
        return response

    def json(self, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.get(path, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.json


@pytest.fixture
def api(app: flask.Flask, openapi: OpenAPI) -> Iterator[CheckedClient]:
    client = CheckedClient(app, openapi)
    yield client
    # Aggregates only: no answer, whatever it was, names a participant.
    for body in client.bodies:
        for person in PEOPLE:
            assert person not in body


def test_the_description_is_served_and_is_the_file_in_the_repository(api: CheckedClient) -> None:
    served = api.json("/api/v1/openapi.json")
    assert served["openapi"].startswith("3.")
    assert set(served["paths"]) >= {"/api/v1/events", "/api/v1/event", "/api/v1/cohort", "/api/v1/compare"}


def test_the_events_list_carries_each_snapshot_with_its_statuses(api: CheckedClient) -> None:
    listing = api.json("/api/v1/events")
    assert listing["total"] == 4
    assert [e["title"] for e in listing["events"]] == [
        "Event:Lagos",
        "Event:Lima 2026",
        "Event:Nairobi",
        NEVER_COUNTED,
    ]
    lima = listing["events"][1]
    assert lima["listed"] == 3
    assert lima["context"] == {"language": "es", "region": "Latin America"}
    assert lima["url"] == "/api/v1/event?title=Event%3ALima%202026"
    figures = lima["snapshot"]["outcomes"]["figures"]
    # Nothing was synced for them: no figure is a bare number, each says why it is not final.
    assert {f["status"] for f in figures.values()} & {"pending", "partial"}
    assert all(f["value"] is None for f in figures.values() if f["status"] == "pending")
    assert listing["events"][3]["snapshot"] is None  # never counted: null, not zeros


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("region=Sub-Saharan+Africa", ["Event:Lagos", "Event:Nairobi"]),
        ("region=Sub-Saharan+Africa&language=sw", ["Event:Nairobi"]),
        ("language=es&region=Sub-Saharan+Africa", []),  # both values exist, no event has both
        ("year=2025", ["Event:Lagos"]),
        ("cohort=Indaba", ["Event:Lagos", "Event:Nairobi"]),
        (f"cohort={COHORT}", ["Event:Lagos", "Event:Nairobi"]),
        ("q=LIMA", ["Event:Lima 2026"]),
        ("q=training", ["Event:Nairobi"]),
        ("q=nowhere", []),
    ],
)
def test_the_events_list_filters_and_searches(api: CheckedClient, query: str, titles: list[str]) -> None:
    listing = api.json(f"/api/v1/events?{query}")
    assert [e["title"] for e in listing["events"]] == titles
    assert listing["total"] == len(titles)


def test_paging_by_page_and_by_offset_and_past_the_end(api: CheckedClient) -> None:
    first = api.json("/api/v1/events?limit=3")
    assert (first["page"], first["pages"], len(first["events"])) == (1, 2, 3)
    second = api.json("/api/v1/events?limit=3&page=2")
    assert [e["title"] for e in second["events"]] == [NEVER_COUNTED]
    assert api.json("/api/v1/events?limit=3&offset=1")["events"][0]["title"] == "Event:Lima 2026"
    # Past the end: the last page, not an error.
    for far in ("page=7", "page=999999999", "offset=50"):
        last = api.json(f"/api/v1/events?limit=3&{far}")
        assert (last["page"], last["offset"], [e["title"] for e in last["events"]]) == (2, 3, [NEVER_COUNTED])
    empty = api.json("/api/v1/events?q=nowhere&page=3")
    assert (empty["total"], empty["page"], empty["pages"], empty["events"]) == (0, 1, 1, [])


@pytest.mark.parametrize(
    ("query", "code", "params"),
    [
        ("page=two", "api-error-not-an-integer", {"name": "page", "value": "two"}),
        ("page=-1", "api-error-not-an-integer", {"name": "page", "value": "-1"}),
        ("page=0", "api-error-out-of-range", {"name": "page", "low": "1", "high": "1000000000"}),
        ("limit=101", "api-error-out-of-range", {"name": "limit", "low": "1", "high": "100"}),
        ("limit=" + "9" * 400, "api-error-out-of-range", {"name": "limit", "low": "1", "high": "100"}),
        ("offset=%D9%A7", "api-error-not-an-integer", {"name": "offset", "value": "٧"}),
        ("year=twenty", "api-error-not-an-integer", {"name": "year", "value": "twenty"}),
        ("page=1&offset=0", "api-error-page-and-offset", {}),
        ("region=Atlantis", "api-error-unknown-filter-value", {"field": "region", "value": "Atlantis"}),
        ("year=1999", "api-error-unknown-filter-value", {"field": "year", "value": "1999"}),
        ("cohort=Nobody", "api-error-unknown-filter-value", {"field": "cohort", "value": "Nobody"}),
        ("colour=red", "api-error-unknown-parameter", {"name": "colour"}),
        ("page=1&page=2", "api-error-repeated-parameter", {"name": "page"}),
        ("q=" + "x" * 256, "api-error-too-long", {"name": "q", "most": "255"}),
    ],
)
def test_a_malformed_query_is_a_400_with_a_coded_message(
    api: CheckedClient, query: str, code: str, params: dict[str, str]
) -> None:
    error = api.json(f"/api/v1/events?{query}", 400)["error"]
    assert (error["code"], error["params"]) == (code, params)
    assert error["message"]
    assert "$1" not in error["message"]


def test_error_messages_follow_the_language_asked_for(api: CheckedClient) -> None:
    english = api.json("/api/v1/events?region=Atlantis", 400)["error"]["message"]
    assert english == 'No event has "Atlantis" as its region.'
    keys = api.json("/api/v1/event?title=Event:Nowhere&uselang=qqx", 404)["error"]
    assert keys["code"] == "api-error-unknown-event"


def test_one_event_with_what_is_tracked_and_its_outcomes(api: CheckedClient) -> None:
    event = api.json("/api/v1/event?title=Event:Nairobi")
    assert (event["name"], event["wikis"], event["namespaces"]) == (
        "Nairobi training",
        ["swwiki", "enwiki"],
        [0],
    )
    assert event["start"] == "2026-01-14T00:00:00Z"
    assert event["goals"] == {"participants": 30}
    assert event["snapshot"]["data_time"] == "2026-06-01T00:00:00Z"
    assert event["snapshot"]["definitions_current"] is True
    # Underscores as in a wiki link are the same page.
    assert api.json("/api/v1/event?title=Event:Lima_2026")["title"] == "Event:Lima 2026"


def test_the_api_serves_the_stored_snapshot_and_never_counts_again(api: CheckedClient, stored: Store) -> None:
    # A newer snapshot whose participants figure differs from what the store's people would give:
    # the API says the stored number, in the list and for the event.
    counted = stored.latest_snapshot("event", "Event:Lima 2026")
    assert counted is not None
    outcomes = json.loads(counted.figures)
    outcomes["figures"]["participants"] = {"value": 42, "status": "ok", "denominator": None}
    stored.save_snapshot(
        "event",
        "Event:Lima 2026",
        json.dumps(outcomes),
        definitions_version=DEFINITIONS_VERSION,
        data_time=NOW,
        partial=False,
    )
    event = api.json("/api/v1/event?title=Event:Lima 2026")
    assert event["snapshot"]["outcomes"]["figures"]["participants"]["value"] == 42
    assert event["listed"] == 3
    listed = api.json("/api/v1/events?q=Lima")["events"][0]
    assert listed["snapshot"]["outcomes"]["figures"]["participants"]["value"] == 42


def test_an_unknown_event_or_cohort_is_a_coded_404(api: CheckedClient) -> None:
    error = api.json("/api/v1/event?title=Event:Atlantis", 404)["error"]
    assert error == {
        "code": "api-error-unknown-event",
        "message": 'No event titled "Event:Atlantis" is known to the tool.',
        "params": {"title": "Event:Atlantis"},
    }
    assert (
        api.json("/api/v1/cohort?title=Cohort:Atlantis", 404)["error"]["code"] == "api-error-unknown-cohort"
    )
    assert api.json("/api/v1/event", 400)["error"]["code"] == "api-error-missing-parameter"


def test_a_cohort_with_its_events_and_outcomes(api: CheckedClient) -> None:
    cohort = api.json(f"/api/v1/cohort?title={COHORT}")
    assert [e["title"] for e in cohort["events"]] == ["Event:Lagos", "Event:Nairobi"]
    assert cohort["snapshot"]["outcomes"]["figures"]["participants"]["status"] in ("ok", "pending", "partial")


def test_a_comparison_is_served_only_once_the_nightly_run_stored_it(
    api: CheckedClient, stored: Store
) -> None:
    error = api.json("/api/v1/compare?by=region", 404)["error"]
    assert error["code"] == "api-error-comparison-not-computed"
    assert api.json("/api/v1/compare?by=colour", 400)["error"]["code"] == "api-error-unknown-comparison"
    assert api.json("/api/v1/compare", 400)["error"]["code"] == "api-error-missing-parameter"

    assert keep_comparisons(stored, NOW) == [
        "region", "country", "language", "theme", "format", "audience", "organizing", "year"
    ]  # fmt: skip
    by_region = api.json("/api/v1/compare?by=region")
    assert by_region["by"] == "region"
    groups = {g["value"]: g["outcomes"] for g in by_region["groups"]}
    # Quito leaves region empty: the unknown group, last, as null.
    assert list(groups) == ["Latin America", "Sub-Saharan Africa", None]
    assert [g["events"] for g in by_region["groups"]] == [1, 2, 1]
    statuses = {f["status"] for g in groups.values() for f in g["figures"].values()}
    assert statuses & {"pending", "partial"}
    by_year = api.json("/api/v1/compare?by=year")
    assert [g["value"] for g in by_year["groups"]][:2] == ["2025", "2026"]


def test_a_response_that_breaks_the_description_is_caught(api: CheckedClient, openapi: OpenAPI) -> None:
    # The check is real: the same answer with a figure turned into a bare string fails it.
    response = api.get("/api/v1/event?title=Event:Lima_2026")
    document = response.json
    assert document is not None
    document["snapshot"]["outcomes"]["figures"]["participants"]["value"] = "many"
    response.set_data(json.dumps(document))
    with pytest.raises(OpenAPIError):
        openapi.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))


def test_a_store_that_cannot_be_read_is_a_coded_503(tmp_path: Path, openapi: OpenAPI) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}", "TESTING": True})
    error = CheckedClient(app, openapi).json("/api/v1/events", 503)["error"]
    assert error["code"] == "api-error-store-unavailable"


def test_a_store_whose_schema_is_behind_is_a_coded_503(tmp_path: Path, openapi: OpenAPI) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'never-upgraded.sqlite'}", "TESTING": True})
    error = CheckedClient(app, openapi).json("/api/v1/event?title=Event:Nairobi", 503)["error"]
    assert error["code"] == "api-error-schema-behind"
    assert error["message"] == "The tool's database waits for an upgrade by its maintainers; try again later."
