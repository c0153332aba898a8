"""The events list at /: filters, search, sort and paging over a real store, as a reader uses them.

The store holds the API's test events (tests/listed_events.py), counted by tool.pipeline.evaluate,
plus two changes so sorting and statuses show: Lima lists one person instead of three, and a
Cairo event ended three days before the count, so its 30-day retention is still pending.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta

import flask
import pytest

from tests.listed_events import NEVER_COUNTED, NOW, PEOPLE, count, fill
from tests.test_store import event as event_record
from tool import create_app
from tool.store import ParticipantRecord, Store
from tool.web.data import EXTENSION
from tool.web.home import page_numbers

CAIRO = "Event:Cairo workshop"


@pytest.fixture
def app(store: Store) -> Iterator[flask.Flask]:
    fill(store)
    store.replace_participants("Event:Lima 2026", [ParticipantRecord(PEOPLE[0], 1)])
    count(store, "Event:Lima 2026")
    start = NOW - timedelta(days=4)
    store.save_event(
        event_record(
            CAIRO,
            page_id=7,
            name="Cairo workshop",
            context={"region": "Middle East and North Africa", "language": "ar"},
            start=start,
            end=start + timedelta(days=1),
            cohort=None,
        )
    )
    store.replace_participants(CAIRO, [ParticipantRecord(user, line) for line, user in enumerate(PEOPLE[:2])])
    count(store, CAIRO)
    url = store.engine.url.render_as_string(hide_password=False)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    yield app
    app.extensions[EXTENSION].store.dispose()


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


def page(client: flask.testing.FlaskClient, query: str = "", status: int = 200) -> str:
    response = client.get(f"/?{query}")
    text = response.get_data(as_text=True)
    assert response.status_code == status, text
    return html.unescape(text)


def names(text: str) -> list[str]:
    """The events' names as the table lists them, in its order."""
    return re.findall(
        r'<th scope="row" class="eo-events__event">\s*<a class="cdx-link" href="[^"]*">([^<]*)</a>', text
    )


def rows(text: str) -> dict[str, str]:
    """Each row's HTML by the event's name."""
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    found = {}
    for row in body.split("<tr>")[1:]:
        name = re.search(r'<a class="cdx-link" href="[^"]*">([^<]*)</a>', row)
        assert name is not None
        found[name.group(1)] = row
    return found


def cells(row: str) -> list[str]:
    """The text of a row's cells, tags and spacing dropped."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]


ALL = ["Cairo workshop", "Lagos edit-a-thon", "Nairobi training", "Quito", "Taller de Lima"]


def test_every_event_by_name_with_its_numbers_and_statuses(client: flask.testing.FlaskClient) -> None:
    text = page(client)
    assert names(text) == ALL
    assert "Events 1–5 of 5" in text
    by_name = {name: cells(row) for name, row in rows(text).items()}
    # Dates, region, participants, new editors, retained after 30 days, problems.
    assert by_name["Nairobi training"] == [
        "2026-01-14 – 2026-01-15",
        "Sub-Saharan Africa",
        "3",
        # Nothing was synced for these people: the counts are said to be incomplete, not bare.
        "0 (incomplete data)",
        "0 of 3 (incomplete data)",
        "0",
    ]
    assert by_name["Taller de Lima"][2] == "1"
    # Cairo ended three days ago: 30 days later has not come, so there is no number yet.
    assert by_name["Cairo workshop"][2:5] == ["2", "0 (incomplete data)", "pending"]
    # Quito was never counted: it says so in every figure, never 0; it lists nobody.
    assert by_name["Quito"][1:5] == ["—", "not counted yet", "not counted yet", "not counted yet"]


def test_an_event_not_counted_yet_says_how_many_people_it_lists(
    client: flask.testing.FlaskClient, store: Store
) -> None:
    store.replace_participants(
        NEVER_COUNTED, [ParticipantRecord(user, line) for line, user in enumerate(PEOPLE)]
    )
    assert cells(rows(page(client))["Quito"])[2] == "not counted yet (3 people listed)"


def test_each_event_links_to_its_page_here_and_to_its_wiki_page(client: flask.testing.FlaskClient) -> None:
    row = rows(page(client))["Taller de Lima"]
    links = re.findall(r'href="([^"]+)">([^<]+)</a>', row)
    assert links == [
        ("/event/Event:Lima_2026", "Taller de Lima"),
        ("https://meta.wikimedia.org/w/index.php?title=Event%3ALima_2026", "Event:Lima 2026 on the wiki"),
    ]
    assert client.get("/event/Event:Lima_2026").status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("region=Sub-Saharan+Africa", ["Lagos edit-a-thon", "Nairobi training"]),
        ("region=Sub-Saharan+Africa&language=sw", ["Nairobi training"]),
        ("year=2025", ["Lagos edit-a-thon"]),
        ("cohort=Indaba", ["Lagos edit-a-thon", "Nairobi training"]),
        ("q=lima", ["Taller de Lima"]),
        ("q=shop", ["Cairo workshop"]),
        # A form sends its fields left at "all" as empty values: no filter.
        ("region=&country=&cohort=&year=&q=&limit=20", ALL),
    ],
)
def test_filters_and_search_narrow_the_rows(
    client: flask.testing.FlaskClient, query: str, expected: list[str]
) -> None:
    text = page(client, query)
    assert names(text) == expected
    assert f"Events 1–{len(expected)} of {len(expected)}" in text


def test_the_form_offers_the_values_events_have_and_shows_what_was_chosen(
    client: flask.testing.FlaskClient,
) -> None:
    text = page(client, "region=Latin+America&q=Lima")
    region = text[text.index('<select class="cdx-select" id="eo-filter-region"') :]
    region = region[: region.index("</select>")]
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', region)
    assert options == [
        ("", "", "All"),
        ("Latin America", " selected", "Latin America"),
        ("Middle East and North Africa", "", "Middle East and North Africa"),
        ("Sub-Saharan Africa", "", "Sub-Saharan Africa"),
    ]
    assert '<input class="cdx-text-input__input" type="search" id="eo-filter-q" name="q" value="Lima"' in text
    assert '<label class="cdx-label__label" for="eo-filter-organizing">' in text


def test_no_event_matching_is_said_in_words(client: flask.testing.FlaskClient) -> None:
    text = page(client, "language=es&region=Sub-Saharan+Africa")
    assert "No event matches these filters." in text
    assert "<table" not in text


def test_sort_by_participants_largest_first_with_the_uncounted_last(
    client: flask.testing.FlaskClient,
) -> None:
    text = page(client, "sort=participants&dir=desc")
    # 3, 3 (equal: by name), 2, 1, then Quito, which has no count to sort by.
    assert names(text) == [
        "Lagos edit-a-thon",
        "Nairobi training",
        "Cairo workshop",
        "Taller de Lima",
        "Quito",
    ]
    heading = r'<th scope="col" class="[^"]*" aria-sort="descending">\s*<a [^>]*href="([^"]*)"'
    assert re.findall(heading, text) == ["/?sort=participants&dir=asc"]
    ascending = page(client, "sort=participants&dir=asc")
    assert names(ascending) == [
        "Taller de Lima",
        "Cairo workshop",
        "Lagos edit-a-thon",
        "Nairobi training",
        "Quito",
    ]
    # Only the sorted column says it is sorted; the others offer their own sort.
    assert ascending.count("aria-sort=") == 1
    assert 'href="/?sort=start"' in ascending


def test_sort_by_dates_and_by_a_pending_figure(client: flask.testing.FlaskClient, store: Store) -> None:
    # Quito's page gives no dates: it comes last, as it does when the newest come first.
    store.save_event(
        event_record(NEVER_COUNTED, page_id=99, name="Quito", context={}, cohort=None, start=None, end=None)
    )
    oldest_first = ["Lagos edit-a-thon", "Nairobi training", "Taller de Lima", "Cairo workshop", "Quito"]
    assert names(page(client, "sort=start")) == oldest_first
    assert names(page(client, "sort=start&dir=desc")) == [*reversed(oldest_first[:-1]), "Quito"]
    assert cells(rows(page(client))["Quito"])[0] == "—"
    # Cairo's retention is pending: no number, so it is not ranked among the zeros.
    assert names(page(client, "sort=retained_30d"))[-2:] == ["Cairo workshop", "Quito"]


def test_paging_keeps_the_query_and_past_the_end_is_the_last_page(client: flask.testing.FlaskClient) -> None:
    first = page(client, "limit=2&sort=participants&uselang=en")
    assert names(first) == ["Lagos edit-a-thon", "Nairobi training"]
    assert "Events 1–2 of 5" in first
    nav = first[first.index('<nav class="cdx-table__footer eo-pages"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'aria-label="Pages of the list of events"' in nav
    assert 'href="/?limit=2&sort=participants&page=2&uselang=en" rel="next"' in nav
    assert 'aria-current="page">1</a>' in nav
    assert 'rel="prev"' not in nav
    # Sorting again starts from page 1 but keeps the rest.
    assert 'href="/?limit=2&uselang=en"' in first  # by name: the default, not written
    for far in ("page=3", "page=4", "page=999999999"):
        last = page(client, f"limit=2&sort=participants&{far}")
        assert names(last) == ["Quito"]
        assert "Events 5–5 of 5" in last
        assert 'aria-current="page">3</a>' in last
        assert 'href="/?limit=2&sort=participants&page=2" rel="prev"' in last


def test_the_filter_form_keeps_the_sort_and_the_language(client: flask.testing.FlaskClient) -> None:
    text = page(client, "sort=region&dir=desc&uselang=fr&region=Latin+America")
    form = text[text.index('<form class="eo-filters"') : text.index("</form>")]
    assert re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', form) == [
        ("sort", "region"),
        ("dir", "desc"),
        ("uselang", "fr"),
    ]
    # The language menu keeps the list as it is.
    language = text[text.index('<form class="eo-language"') :]
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]+)">', language)
    assert sorted(hidden) == [("dir", "desc"), ("region", "Latin America"), ("sort", "region")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=Atlantis", 'No event has "Atlantis" as its region.'),
        ("year=1999", 'No event has "1999" as its year.'),
        ("cohort=Nobody", 'No event has "Nobody" as its cohort.'),
        ("page=1&page=2", 'The parameter "page" is given more than once; give it once.'),
        (
            "region=Latin+America&region=Latin+America",
            'The parameter "region" is given more than once; give it once.',
        ),
        ("page=two", 'The parameter "page" must be a whole number, not "two".'),
        ("limit=500", 'The parameter "limit" must be between 1 and 100.'),
        ("colour=red", 'The list of events takes no parameter "colour".'),
        (
            "sort=colour",
            'The parameter "sort" cannot be "colour"; it can be one of: '
            "name, start, region, participants, new_editors, retained_30d, problems.",
        ),
        ("dir=up", 'The parameter "dir" cannot be "up"; it can be one of: asc, desc.'),
        ("q=" + "x" * 256, 'The parameter "q" is longer than 255 characters.'),
    ],
)
def test_a_malformed_query_is_a_400_that_says_why(
    client: flask.testing.FlaskClient, query: str, message: str
) -> None:
    text = page(client, query, 400)
    assert f'<div class="cdx-message__content">{message}</div>' in text
    assert "<table" not in text
    # The form is still there to correct the query, and a way back to every event.
    assert '<form class="eo-filters"' in text
    assert '<a class="cdx-link" href="/">Clear the filters</a>' in text


def test_an_unknown_filter_value_keeps_what_the_reader_asked_for(client: flask.testing.FlaskClient) -> None:
    text = page(client, "region=Atlantis&sort=participants&q=camp", 400)
    assert '<option value="Atlantis" selected>Atlantis</option>' in text
    assert 'name="q" value="camp"' in text
    assert '<input type="hidden" name="sort" value="participants">' in text


def test_errors_are_said_in_the_language_asked_for(client: flask.testing.FlaskClient) -> None:
    keys = page(client, "region=Atlantis&uselang=qqx", 400)
    assert "(api-error-unknown-filter-value: field='region', value='Atlantis')" in keys
    assert "(index-error-unknown-choice: name='sort'" in page(client, "sort=colour&uselang=qqx", 400)


def test_arabic_lays_the_list_out_right_to_left(client: flask.testing.FlaskClient) -> None:
    text = page(client, "uselang=ar&sort=participants")
    assert '<html lang="ar" dir="rtl">' in text
    assert "codex.style-rtl.css" in text
    assert names(text)[0] == "Lagos edit-a-thon"
    assert 'href="/?sort=participants&dir=asc&uselang=ar"' in text


def test_the_table_is_described_for_screen_readers(client: flask.testing.FlaskClient) -> None:
    text = page(client)
    assert '<caption class="eo-visually-hidden">Events</caption>' in text
    assert text.count('<th scope="col"') == 7
    assert text.count('<th scope="row"') == 5
    assert 'role="search"' in text
    assert 'aria-sort="ascending"' in text  # by name, the default
    # Every select and the search box has its label.
    for field in re.findall(r'<(?:select|input) class="cdx-[^"]*"[^>]* id="([^"]+)"', text):
        assert f'for="{field}"' in text


@pytest.mark.parametrize(
    ("current", "pages", "expected"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 50, [1, 2, 3, None, 50]),
        (25, 50, [1, None, 23, 24, 25, 26, 27, None, 50]),
        (50, 50, [1, None, 48, 49, 50]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
    ],
)
def test_page_numbers_show_the_ends_and_the_pages_near_the_current(
    current: int, pages: int, expected: list[int | None]
) -> None:
    assert page_numbers(current, pages) == expected


def test_an_empty_store_says_where_events_come_from(store: Store) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    app = create_app({"DATABASE_URL": url, "TESTING": True})
    try:
        text = app.test_client().get("/").get_data(as_text=True)
    finally:
        app.extensions[EXTENSION].store.dispose()
    assert "No events have been found yet." in text
    assert '<form class="eo-filters"' not in text


def test_what_the_reader_typed_is_shown_as_text_never_as_markup(client: flask.testing.FlaskClient) -> None:
    response = client.get("/?region=%3Cb%3EAtlantis%3C/b%3E&q=%22%3E%3Cscript%3E")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "<b>Atlantis" not in text
    assert "<script>" not in text
    assert 'No event has "&lt;b&gt;Atlantis&lt;/b&gt;" as its region.' in text
