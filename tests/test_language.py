"""The interface language: ?uselang, then the language picked before (the session), then the browser's.

A page's language shows in its <html lang>, and in its text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import flask
import pytest
from werkzeug.test import TestResponse

from tests.store_fixtures import migrated
from tool import create_app


@pytest.fixture
def app(tmp_path: Path) -> flask.Flask:
    return create_app({"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"), "TESTING": True})


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


def page_language(response: TestResponse) -> str:
    found = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert found, "no <html lang>"
    return found.group(1)


def test_without_any_preference_the_page_is_english(client: flask.testing.FlaskClient) -> None:
    response = client.get("/")
    assert page_language(response) == "en"
    assert "Which events keep people editing?" in response.get_data(as_text=True)


def test_accept_language_picks_a_language_over_english(client: flask.testing.FlaskClient) -> None:
    # A regional variant is matched to its language; the first language the tool has wins.
    response = client.get("/", headers={"Accept-Language": "de-CH, es-MX;q=0.8, fr;q=0.5"})
    assert page_language(response) == "es"
    assert "¿Qué eventos hacen que la gente siga editando?" in response.get_data(as_text=True)


def test_the_language_picked_before_wins_over_accept_language(client: flask.testing.FlaskClient) -> None:
    client.get("/?uselang=fr")  # picked through a link or the footer's form
    response = client.get("/", headers={"Accept-Language": "es"})
    assert page_language(response) == "fr"
    assert "Quels événements donnent envie de continuer à contribuer" in response.get_data(as_text=True)


def test_uselang_wins_over_the_session_and_accept_language(client: flask.testing.FlaskClient) -> None:
    client.get("/?uselang=fr")
    response = client.get("/?uselang=sw", headers={"Accept-Language": "es"})
    assert page_language(response) == "sw"
    # ... and is the one remembered from then on.
    assert page_language(client.get("/", headers={"Accept-Language": "es"})) == "sw"


def test_an_unknown_uselang_is_passed_over(client: flask.testing.FlaskClient) -> None:
    client.get("/?uselang=fr")
    for value in ("xx", "not a language", "<script>", "e" * 200, ""):
        response = client.get("/", query_string={"uselang": value}, headers={"Accept-Language": "es"})
        assert response.status_code == 200
        assert page_language(response) == "fr", value  # the session's language still holds
    fresh = create_app({"DATABASE_URL": client.application.config["DATABASE_URL"]}).test_client()
    response = fresh.get("/?uselang=xx", headers={"Accept-Language": "sw"})
    assert page_language(response) == "sw"
    assert page_language(fresh.get("/?uselang=xx")) == "en"


def test_uselang_is_read_without_regard_to_case(client: flask.testing.FlaskClient) -> None:
    assert page_language(client.get("/?uselang=FR")) == "fr"


def test_a_language_without_messages_falls_back_as_on_mediawiki(client: flask.testing.FlaskClient) -> None:
    # Egyptian Arabic falls back to Arabic, Cajun French to French: the page is in the language
    # its text is in, right to left for Arabic.
    arabic = client.get("/?uselang=arz").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert page_language(client.get("/?uselang=frc")) == "fr"


def test_qqx_shows_keys_and_is_not_remembered(client: flask.testing.FlaskClient) -> None:
    client.get("/?uselang=es")
    assert "(index-heading)" in client.get("/?uselang=qqx").get_data(as_text=True)
    assert page_language(client.get("/")) == "es"


def test_the_api_stays_cookie_free(client: flask.testing.FlaskClient) -> None:
    response = client.get("/api/v1/events?uselang=fr&limit=x")
    assert response.status_code == 400
    body = response.json
    assert body is not None
    assert "doit être un nombre entier" in body["error"]["message"]
    assert "Set-Cookie" not in response.headers
    assert page_language(client.get("/")) == "en"


def test_pages_vary_on_accept_language(client: flask.testing.FlaskClient) -> None:
    assert "Accept-Language" in client.get("/").headers["Vary"]


def test_error_pages_follow_the_remembered_language(client: flask.testing.FlaskClient) -> None:
    client.get("/?uselang=es")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Página no encontrada" in response.get_data(as_text=True)


def _footer_form(page: str) -> str:
    found = re.search(r'<form class="eo-language".*?</form>', page, re.DOTALL)
    assert found
    return found.group(0)


def test_the_footer_lists_every_language_by_its_own_name(client: flask.testing.FlaskClient) -> None:
    form = _footer_form(client.get("/?uselang=es").get_data(as_text=True))
    options = re.findall(r'<option value="([^"]+)" lang="[^"]+"( selected)?>([^<]+)</option>', form)
    assert [(code, name) for code, _selected, name in options] == [
        ("ar", "العربية"),
        ("en", "English"),
        ("es", "español"),
        ("fr", "français"),
        ("sw", "Kiswahili"),
    ]
    assert [code for code, selected, _name in options if selected] == ["es"]


def test_the_footer_form_keeps_the_page_and_its_other_arguments(client: flask.testing.FlaskClient) -> None:
    page = client.get(
        "/no-such-page", query_string=[("by", "region"), ("page", "2"), ("page", "3"), ("uselang", "fr")]
    ).get_data(as_text=True)
    form = _footer_form(page)
    assert 'action=""' in form  # this page
    hidden = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form)
    assert hidden == [("by", "region"), ("page", "2"), ("page", "3")]  # not uselang: the select sends it


def test_the_footer_form_escapes_what_it_sends_back(client: flask.testing.FlaskClient) -> None:
    form = _footer_form(
        client.get("/", query_string={'q"><b>': '"><script>x</script>'}).get_data(as_text=True)
    )
    assert "<script>" not in form
    assert "<b>" not in form
    assert 'name="q&#34;&gt;&lt;b&gt;" value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in form


def test_the_arabic_home_page_is_arabic_down_to_the_table_headers(tmp_path: Path) -> None:
    from tool.store import EventRecord, Store

    url = f"sqlite:///{tmp_path / 'events.sqlite'}"
    store = Store(url)
    store.upgrade()
    store.save_event(
        EventRecord(
            title="Event:Cairo 2026",
            page_id=1,
            rev_id=2,
            name="Cairo 2026",
            fields={},
            context={"region": "MENA"},
            goals={},
            problems=[],
            start=datetime(2026, 3, 13, 22, 0, tzinfo=UTC),
            end=datetime(2026, 3, 15, 21, 59, 59, tzinfo=UTC),
            timezone="Africa/Cairo",
            wikis=["arwiki"],
            namespaces=[0],
            cohort=None,
            registration=None,
            parsed_at=datetime(2026, 3, 1, tzinfo=UTC),
        )
    )
    page = create_app({"DATABASE_URL": url}).test_client().get("/?uselang=ar").get_data(as_text=True)
    head = page.split("<thead>")[1].split("</thead>")[0]
    # Each heading is a sort link: its words, without the markup around them.
    headers = [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th\b.*?</th>", head, flags=re.S)
    ]
    assert headers == [
        "الفعالية",
        "التواريخ",
        "المنطقة",
        "المشاركون",
        "المحررون الجدد",
        "المستبقون بعد 30 يومًا",
        "المشكلات في الصفحة",
    ]
    assert "Cairo 2026" in page


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("sw-KE", "sw"),
        ("fr-CA, en;q=0.9", "fr"),
        ("arz", "ar"),  # MediaWiki's fallback, as for ?uselang
        ("de, fr;q=0.2, es;q=0.4", "es"),  # by quality, not by place
        ("es;q=0, fr;q=0.1", "fr"),  # q=0 means "not this one"
        ("de, *;q=0.5", "en"),
        ("1234, ;q=x, es", "es"),  # junk is passed over
    ],
)
def test_accept_language_is_read_wish_by_wish(
    client: flask.testing.FlaskClient, header: str, expected: str
) -> None:
    assert page_language(client.get("/", headers={"Accept-Language": header})) == expected
