"""Downloads of the stored outcomes: /event/…/outcomes.<fmt>, /cohort/…/outcomes.<fmt> and
/compare/outcomes.<fmt>?by=… as CSV, JSON and wikitext.

The store is filled as the API's tests fill it (tests.test_api.fill: events counted by the
pipeline, a cohort, an event never counted), on SQLite and on MariaDB; one event then gets the
hand-checked outcomes of tests.test_export as its newest snapshot, so the downloaded numbers can
be checked by hand and are seen to be the stored ones, not a count made for the request.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote

import flask
import pytest
from werkzeug.test import TestResponse

from tests.listed_events import COHORT, NEVER_COUNTED, NOW, PEOPLE, fill
from tests.store_fixtures import migrated
from tests.test_export import _sample as hand_checked
from tests.test_store import event as event_record
from tool import create_app, messages
from tool.metrics import FIGURE_KEYS, Outcomes
from tool.pipeline.comparisons import keep_comparisons
from tool.pipeline.refresh import keep_snapshot
from tool.store import Store
from tool.web.data import EXTENSION
from tool.web.exports import attachment
from tool.web.titles import url_part

HAND_CHECKED = "Event:Nairobi"
COUNTED = "Event:Lima 2026"  # counted by the pipeline from no synced contributions: partial and pending


@pytest.fixture
def filled(store: Store) -> Store:
    fill(store)
    sample = hand_checked()
    keep_snapshot(store, "event", HAND_CHECKED, sample, NOW, partial=sample.partial)
    return store


@pytest.fixture
def app(filled: Store) -> Iterator[flask.Flask]:
    app = create_app({"DATABASE_URL": str(filled.engine.url), "TESTING": True})
    yield app
    app.extensions[EXTENSION].store.dispose()


class Downloads:
    """A test client that keeps every body it downloaded, to check none names a participant."""

    def __init__(self, app: flask.Flask) -> None:
        self.client = app.test_client()
        self.bodies: list[str] = []

    def get(self, path: str, status: int = 200) -> TestResponse:
        response = self.client.get(path)
        assert response.status_code == status, response.get_data(as_text=True)
        self.bodies.append(response.get_data(as_text=True))
        return response

    def rows(self, path: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(self.get(path).get_data(as_text=True), newline="")))


@pytest.fixture
def downloads(app: flask.Flask) -> Iterator[Downloads]:
    client = Downloads(app)
    yield client
    # Aggregates only: no download, whatever it was, names a participant.
    for body in client.bodies:
        for person in PEOPLE:
            assert person not in body


def stored(store: Store, kind: str, title: str) -> Outcomes:
    snapshot = store.latest_snapshot(kind, title)
    assert snapshot is not None
    return Outcomes.from_json(snapshot.figures)


def test_the_csv_is_the_stored_snapshot_with_its_statuses(downloads: Downloads, filled: Store) -> None:
    response = downloads.get("/event/Event:Nairobi/outcomes.csv")
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"Event_Nairobi-outcomes.csv\"; filename*=UTF-8''Event_Nairobi-outcomes.csv"
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))
    by_figure = {row["figure"]: row for row in rows}
    assert [row["figure"] for row in rows] == [*FIGURE_KEYS, "goal_participants", "goal_retained_180d"]
    # tests.test_export._sample by hand: Ana, Bea and Cid listed; Ana creates a page with +120
    # bytes, Bea takes 20 off another; only Ana edits again, 8 days after the end; the data is
    # complete 40 days after the end.
    assert by_figure["participants"] == {
        "figure": "participants",
        "value": "3",
        "status": "ok",
        "denominator": "",
    }
    assert (by_figure["edits_during"]["value"], by_figure["articles_created"]["value"]) == ("2", "1")
    assert (by_figure["bytes_added"]["value"], by_figure["bytes_removed"]["value"]) == ("120", "20")
    assert by_figure["retained_7d"] == {
        "figure": "retained_7d",
        "value": "1",
        "status": "ok",
        "denominator": "3",
    }
    # 180 days after the end has not come: no number, and the status says why — never a 0.
    assert (by_figure["retained_180d"]["value"], by_figure["retained_180d"]["status"]) == ("", "pending")
    assert (by_figure["goal_participants"]["value"], by_figure["goal_participants"]["status"]) == ("3", "met")
    assert by_figure["goal_participants"]["denominator"] == "2"  # the goal's target
    assert by_figure["goal_retained_180d"]["status"] == "pending"
    # Every figure as stored: the download is the snapshot, not a count made for the request (the
    # store holds no contribution at all, so a count would find no byte added).
    snapshot = stored(filled, "event", HAND_CHECKED)
    for key in FIGURE_KEYS:
        figure, row = snapshot.figures[key], by_figure[key]
        assert (float(row["value"]) if row["value"] else None, row["status"]) == (figure.value, figure.status)


def test_a_pending_figure_is_empty_never_zero(downloads: Downloads, filled: Store) -> None:
    rows = downloads.rows(f"/event/{url_part(COUNTED)}/outcomes.csv")
    snapshot = stored(filled, "event", COUNTED)
    pending = [row for row in rows if row["status"] == "pending"]
    assert pending  # the event ended on 2026-02-08; NOW is 2026-06-01: its 180 days are still open
    assert {row["figure"] for row in pending} == {
        k for k, f in snapshot.figures.items() if f.status == "pending"
    }
    assert all(row["value"] == "" for row in pending)
    # And only a pending figure (or an average over nobody) is empty: every empty cell says why.
    assert all(row["status"] == "pending" or snapshot.figures[row["figure"]].value is None for row in rows
               if row["value"] == "")  # fmt: skip


def test_the_json_is_the_api_document_of_the_snapshot(downloads: Downloads, app: flask.Flask) -> None:
    response = downloads.get("/event/Event:Nairobi/outcomes.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="Event_Nairobi-outcomes.json"'
    )
    document = json.loads(response.get_data(as_text=True))
    api = app.test_client().get("/api/v1/event?title=Event:Nairobi").json
    assert api is not None
    assert (document["kind"], document["title"], document["name"]) == ("event", HAND_CHECKED, api["name"])
    assert {key: document[key] for key in api["snapshot"]} == api["snapshot"]
    assert document["outcomes"]["figures"]["retained_180d"] == {
        "value": None,
        "status": "pending",
        "denominator": 3,
    }
    # Only the figures travel: the problems kept beside them in the snapshot can name a person.
    assert "problems" not in document["outcomes"]


def test_the_wikitext_says_pending_and_incomplete_in_words(downloads: Downloads, filled: Store) -> None:
    response = downloads.get("/event/Event:Nairobi/outcomes.wiki")
    assert response.content_type == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="Event_Nairobi-outcomes.wiki.txt"'
    )
    text = response.get_data(as_text=True)
    assert text.startswith("Outcomes of Nairobi training, computed by Event Outcomes")
    # Its link to the event's page in the tool is the configured PUBLIC_URL's.
    assert " [https://event-outcomes.toolforge.org/event/Event:Nairobi More in Event Outcomes: " in text
    assert "\n| Participants || {{formatnum:3}} || complete\n" in text
    assert (
        "\n| Still editing 7 days later || {{formatnum:1}} of {{formatnum:3}} ({{formatnum:33}} %)"
        " || complete\n" in text
    )
    assert "\n| Retained after 180 days || — || pending\n" in text
    assert "\n| Goal: Participants || {{formatnum:2}} || {{formatnum:3}} || met\n" in text
    # A partial figure keeps its number and says that its data is incomplete.
    lima = stored(filled, "event", COUNTED)
    key = next(k for k, f in lima.figures.items() if f.status == "partial" and f.value is not None)
    label = messages.text("figure-" + key.replace("_", "-"))
    partial = downloads.get(f"/event/{url_part(COUNTED)}/outcomes.wiki").get_data(as_text=True)
    line = next(line for line in partial.splitlines() if line.startswith(f"| {label} ||"))
    assert line.endswith(" || incomplete data")


def test_a_cohort_downloads_its_stored_outcomes(downloads: Downloads, filled: Store) -> None:
    rows = downloads.rows(f"/cohort/{COHORT}/outcomes.csv")
    snapshot = stored(filled, "cohort", COHORT)
    assert [row["figure"] for row in rows] == list(FIGURE_KEYS)
    assert [row["status"] for row in rows] == [snapshot.figures[key].status for key in FIGURE_KEYS]
    document = json.loads(downloads.get(f"/cohort/{COHORT}/outcomes.json").get_data(as_text=True))
    assert (document["kind"], document["title"], document["name"]) == ("cohort", COHORT, "Indaba")
    wikitext = downloads.get(f"/cohort/{COHORT}/outcomes.wiki").get_data(as_text=True)
    assert wikitext.startswith("Outcomes of Indaba, computed by Event Outcomes")


def test_before_the_first_count_the_answer_says_so(downloads: Downloads) -> None:
    for fmt in ("csv", "json", "wiki"):
        response = downloads.get(f"/event/{NEVER_COUNTED}/outcomes.{fmt}", 404)
        assert response.mimetype == "text/html"
        assert "Content-Disposition" not in response.headers
        page = response.get_data(as_text=True)
        assert "Not counted yet" in page
        assert "The outcomes of Quito have not been counted yet" in page
        assert "every figure is pending, not zero" in page


def test_unknown_event_cohort_and_format_are_404_pages(downloads: Downloads) -> None:
    page = downloads.get("/event/Event:Atlantis/outcomes.csv", 404).get_data(as_text=True)
    assert 'No event titled "Event:Atlantis" is known to the tool' in page
    keys = downloads.get("/cohort/Cohort:Atlantis/outcomes.json?uselang=qqx", 404).get_data(as_text=True)
    assert "(exports-unknown-cohort: title=&#39;Cohort:Atlantis&#39;)" in keys
    wrong = downloads.get("/event/Event:Nairobi/outcomes.pdf", 404).get_data(as_text=True)
    assert 'There is no download as "pdf": outcomes can be downloaded as csv, json, wiki.' in wrong
    assert downloads.get("/event/" + "x" * 300 + "/outcomes.csv", 404).mimetype == "text/html"
    # The wiki's underscores name the same page.
    assert downloads.get("/event/Event:Lima_2026/outcomes.csv").status_code == 200


@pytest.mark.parametrize(
    ("title", "plain", "readable"),
    [
        # Quotes, ";" and "=" could end the header's value or start another parameter.
        (
            'Event:Café "Nairobi"; filename=evil.sh',
            "Event_Cafe_Nairobi_filename_evil.sh-outcomes",
            "Event_Café_Nairobi_filename=evil.sh-outcomes",
        ),
        ("Event:مشاركون في نيروبي", "Event_-outcomes", "Event_مشاركون_في_نيروبي-outcomes"),
    ],
)
def test_a_hostile_title_gives_a_safe_file_name(
    downloads: Downloads, filled: Store, title: str, plain: str, readable: str
) -> None:
    filled.save_event(event_record(title, page_id=77))
    keep_snapshot(filled, "event", title, hand_checked(), NOW, partial=False)
    response = downloads.get(f"/event/{quote(url_part(title))}/outcomes.csv")
    header = response.headers["Content-Disposition"]
    assert header.isascii()
    assert (
        header
        == f"attachment; filename=\"{plain}.csv\"; filename*=UTF-8''{quote(readable + '.csv', safe='')}"
    )
    assert unquote(header.partition("filename*=UTF-8''")[2]) == readable + ".csv"


def test_a_file_name_has_a_name_and_a_bounded_length() -> None:
    assert attachment("…", "csv") == "attachment; filename=\"outcomes.csv\"; filename*=UTF-8''%E2%80%A6.csv"
    long = attachment("a" * 300, "json")
    assert f'filename="{"a" * 100}.json"' in long


def test_a_comparison_downloads_one_row_per_group(
    downloads: Downloads, filled: Store, app: flask.Flask
) -> None:
    page = downloads.get("/compare/outcomes.csv?by=region", 404).get_data(as_text=True)
    assert "The comparison of events by region has not been computed yet" in page
    keep_comparisons(filled, NOW)

    response = downloads.get("/compare/outcomes.csv?by=region")
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"comparison-by-region.csv\"; filename*=UTF-8''comparison-by-region.csv"
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))
    # Lima; Lagos and Nairobi; Quito leaves its region empty: the unknown group, last.
    assert [(row["region"], row["events"]) for row in rows] == [
        ("Latin America", "1"),
        ("Sub-Saharan Africa", "2"),
        ("(unknown)", "1"),
    ]
    statuses = {row[f"{key}_status"] for row in rows for key in FIGURE_KEYS}
    assert statuses <= {"ok", "pending", "partial"}
    assert "pending" in statuses
    assert all(row[key] == "" for row in rows for key in FIGURE_KEYS if row[f"{key}_status"] == "pending")

    document = json.loads(downloads.get("/compare/outcomes.json?by=region").get_data(as_text=True))
    api = app.test_client().get("/api/v1/compare?by=region").json
    assert api is not None
    assert document["kind"] == "comparison"
    assert {key: document[key] for key in api} == api

    wikitext = downloads.get("/compare/outcomes.wiki?by=region").get_data(as_text=True)
    assert wikitext.startswith("Outcomes of the events grouped by their region field")
    assert wikitext.count("\n|-\n") == 3
    assert "\n| Latin America || {{formatnum:1}} || " in wikitext
    assert "\n| (not given) || {{formatnum:1}} || " in wikitext
    assert "|| pending ||" in wikitext


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("", 400, "Say once which field to compare the events by"),
        ("?by=region&by=language", 400, "Say once which field to compare the events by"),
        ("?by=colour", 400, 'Events cannot be compared by "colour"; they can be compared by: region, '),
        ("?by=" + "x" * 500, 400, "x" * 80 + "…"),
    ],
)
def test_a_comparison_by_an_unknown_field_is_a_400(
    downloads: Downloads, query: str, status: int, says: str
) -> None:
    page = downloads.get(f"/compare/outcomes.csv{query}", status).get_data(as_text=True)
    assert "This comparison cannot be made" in page
    assert says in page
    assert "x" * 81 not in page


def test_a_store_that_cannot_be_read_is_a_503_page(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'x.sqlite'}", "TESTING": True})
    response = app.test_client().get("/event/Event:Nairobi/outcomes.csv")
    assert response.status_code == 503
    assert "nothing can be downloaded" in response.get_data(as_text=True)


def test_a_store_whose_schema_is_behind_is_a_503_page(tmp_path: Path) -> None:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'never-upgraded.sqlite'}", "TESTING": True})
    assert app.test_client().get("/compare/outcomes.csv?by=region").status_code == 503
    migrated(str(app.config["DATABASE_URL"]))  # the maintainer upgrades: the same app answers
    assert app.test_client().get("/compare/outcomes.csv?by=region").status_code == 404
