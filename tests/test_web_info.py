"""The pages that explain the tool: /definitions (every figure, its window, pending and partial)
and /organizers (how to set up an event, with an example page the real parser reads cleanly)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import flask
import pytest

from tests.store_fixtures import migrated
from tests.test_eventpage import FARM, META, PRODUCTION
from tool import ROOT, create_app, messages
from tool.metrics.keys import CONTEXT_KEYS, DEFINITIONS_VERSION, FIGURE_KEYS, GOAL_KEYS
from tool.web import figure_docs
from tool.wiki import cohortpage
from tool.wiki.cohortpage import parse_cohort
from tool.wiki.eventpage import CONTEXT_FIELDS, KNOWN_FIELDS, Templates, parse_event

I18N = ROOT / "i18n"


@pytest.fixture
def app(tmp_path: Path) -> flask.Flask:
    return create_app({"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'store.sqlite'}"), "TESTING": True})


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


def page(client: flask.testing.FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "⧼" not in text  # every message the page asks for exists
    return text


def section(text: str, anchor: str) -> str:
    """The HTML of the <section> whose id is ``anchor`` (sections of figures hold no other section)."""
    found = re.search(rf'<section[^>]* id="{re.escape(anchor)}"[^>]*>(.*?)</section>', text, re.S)
    assert found, f"no section #{anchor}"
    return found.group(1)


def shown(key: str, **params: object) -> str:
    """An English message as a page shows it (its text is HTML already; quotes stay as they are)."""
    return messages.text(key, "en", **params)


def test_every_figure_has_a_section_with_its_anchor(client: flask.testing.FlaskClient) -> None:
    text = page(client, "/definitions")
    english = json.loads((I18N / "en.json").read_text())
    documented = json.loads((I18N / "qqq.json").read_text())
    docs = figure_docs.figure_docs()
    assert [doc.key for doc in docs] == list(FIGURE_KEYS)
    for doc in docs:
        assert doc.definition.key in english
        assert doc.definition.key in documented
        body = section(text, doc.key)
        assert f'<h3 id="{doc.key}-heading">{shown(doc.label)}</h3>' in body
        assert shown(doc.definition.key, **doc.definition.params) in body
        assert shown(doc.window.key, **doc.window.params) in body
        assert f'<code dir="ltr">{doc.key}</code>' in body
        assert f'href="#{doc.key}"' in text  # listed in the contents
        assert GOAL_KEYS[doc.goal.removeprefix("goal_")] == doc.key  # the goal it names exists
    ids = re.findall(r' id="([^"]+)"', text)
    assert len(ids) == len(set(ids))


def test_a_figure_without_a_definition_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figure_docs, "FIGURE_KEYS", (*FIGURE_KEYS, "happiness"))
    with pytest.raises(figure_docs.UndefinedFigure, match="happiness"):
        figure_docs.figure_docs()


def test_windows_are_told_from_the_metrics_constants(client: flask.testing.FlaskClient) -> None:
    text = page(client, "/definitions")
    # By hand from DESIGN §5: retained_N counts [end + N d, end + N d + 30 d); month k is
    # [end + 30(k−1) d, end + 30k d); new editors registered in [start − 14 d, end].
    assert "From 90 days after the end of the event up to 120 days after it" in section(text, "retained_90d")
    assert "From the end of the event up to 30 days after it" in section(text, "active_month_1")
    assert "From 150 days after the end of the event up to 180 days after it" in section(
        text, "active_month_6"
    )
    assert "Account created from 14 days before the start of the event to its end." in section(
        text, "new_editors"
    )
    assert "From 7 days after the end of the event on, with no end." in section(text, "retained_7d")
    assert "The 8 weeks before the start of the event." in section(text, "edits_per_week_before_median")
    assert "divided by 8" in section(text, "edits_per_week_after_mean")


def test_pending_partial_groups_and_the_version_are_explained(client: flask.testing.FlaskClient) -> None:
    text = page(client, "/definitions")
    assert 'id="pending"' in text
    assert "A pending figure is never shown as 0" in text
    assert 'id="partial"' in text
    assert "<kbd>partial</kbd>" in text
    assert f"These are version {DEFINITIONS_VERSION} of the outcome definitions." in text
    groups = section(text, "groups")
    assert "someone who took part in three events counts once" in groups
    assert "never adds up the events' totals" in groups


def example(text: str, textarea: str) -> str:
    found = re.search(rf'<textarea[^>]* id="{textarea}"[^>]*>(.*?)</textarea>', text, re.S)
    assert found, textarea
    return html.unescape(found.group(1))


@pytest.mark.parametrize("registry", [PRODUCTION, FARM], ids=["production", "farm"])
def test_the_example_event_page_reads_without_a_problem(
    client: flask.testing.FlaskClient, registry: object
) -> None:
    wikitext = example(page(client, "/organizers"), "eo-event-example")
    event = parse_event(wikitext, META, registry, title="Event:Nairobi librarians 2026")  # type: ignore[arg-type]
    assert event.problems == []
    # Every field the parser knows is in the example, and goals too: the page shows them all.
    goals = {name for name in event.fields if name.startswith("goal_")}
    assert set(event.fields) == KNOWN_FIELDS | goals
    assert goals
    assert event.goals
    assert set(event.goals) <= set(GOAL_KEYS)
    assert [p.user for p in event.participants] == ["Amina Example", "Juma Example"]
    assert event.start is not None
    assert event.end is not None
    assert set(CONTEXT_FIELDS) <= set(CONTEXT_KEYS)
    assert set(event.context) == set(CONTEXT_FIELDS)  # format left empty: read from types


def test_the_example_cohort_page_reads_without_a_problem(client: flask.testing.FlaskClient) -> None:
    wikitext = example(page(client, "/organizers"), "eo-cohort-example")
    cohort = parse_cohort(wikitext, META, title="Cohort:Wiki Indaba trainings 2026")
    assert cohort.problems == []
    assert tuple(cohort.fields) == cohortpage.COHORT_PARAMETERS
    assert cohort.match
    assert cohort.events == ["Event:Nairobi librarians 2026", "Event:Mombasa teachers 2026"]


def test_every_field_is_explained(client: flask.testing.FlaskClient) -> None:
    text = page(client, "/organizers")
    for name in KNOWN_FIELDS:
        row = re.search(rf'<tr id="field-{name}">(.*?)</tr>', text, re.S)
        assert row, name
        assert f'<code dir="ltr">{name}</code>' in row.group(1)
        assert ("required" if name in ("start", "end", "wikis") else "optional") in row.group(1)
    assert 'id="field-goal"' in text
    for name in cohortpage.COHORT_PARAMETERS:
        assert f'<tr id="cohort-field-{name}">' in text
    assert "At most 20 wikis." in text
    assert "at most 2 years" in text


def test_the_page_links_to_the_home_wiki_and_the_definitions(client: flask.testing.FlaskClient) -> None:
    text = page(client, "/organizers")
    assert 'href="https://meta.wikimedia.org/w/index.php"' in text
    assert 'href="https://meta.wikimedia.org/w/index.php?title=Template%3AEvent_outcomes"' in text
    assert 'href="/definitions#figures"' in text
    assert 'href="/organizers"' in page(client, "/definitions")


def test_the_example_uses_the_configured_template_names(tmp_path: Path) -> None:
    names = {
        "EVENT_TEMPLATE": "Veranstaltung",
        "PARTICIPANT_TEMPLATE": "Teilnehmer",
        "COHORT_TEMPLATE": "Kohorte",
    }
    app = create_app({"DATABASE_URL": migrated(f"sqlite:///{tmp_path / 's.sqlite'}"), **names})
    text = page(app.test_client(), "/organizers")
    wikitext = example(text, "eo-event-example")
    assert wikitext.startswith("{{Veranstaltung\n")
    assert "# {{Teilnehmer|Amina Example}}" in wikitext
    event = parse_event(
        wikitext, META, PRODUCTION, title="Event:X", templates=Templates.from_config(app.config)
    )
    assert event.problems == []
    assert example(text, "eo-cohort-example").startswith("{{Kohorte\n")


def test_the_docs_describe_every_field(client: flask.testing.FlaskClient) -> None:
    docs = (ROOT / "docs" / "event-pages.md").read_text()
    for name in (*KNOWN_FIELDS, *cohortpage.COHORT_PARAMETERS):
        assert f"`{name}`" in docs, name


def test_the_pages_are_in_the_navigation_and_work_right_to_left(client: flask.testing.FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    assert 'href="/definitions"' in home
    assert 'href="/organizers"' in home
    for path in ("/definitions", "/organizers"):
        text = page(client, f"{path}?uselang=ar")
        assert '<html lang="ar" dir="rtl">' in text
        # Nothing from another host: the only absolute links go to the home wiki.
        urls = re.findall(r'(?:href|src)="([^"]+)"', text)
        assert all(u.startswith("https://meta.wikimedia.org/") for u in urls if u.startswith(("http", "//")))
    # Wikitext stays left to right in a right-to-left interface.
    assert 'lang="en" dir="ltr"' in section(page(client, "/organizers?uselang=ar"), "example")


def test_qqx_shows_the_message_keys(client: flask.testing.FlaskClient) -> None:
    assert "(definitions-figure-retained-days: num_days=90)" in page(client, "/definitions?uselang=qqx")
    assert "(organizers-field-wikis: num_wikis=20)" in page(client, "/organizers?uselang=qqx")
