"""Registering an event (issue #10, item 1): the form, its problems in the person's language, the
preview, and the page created on the farm with the organizer's own account through the OAuth
gateway — never over an existing page, and with a clear message, the form kept, when the title is
protected, the account blocked, the token refused or the form forged."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask
import pytest
from werkzeug.test import TestResponse

from tests.wikiactions import (
    BLOCKED,
    ORGANIZER,
    admin,
    block,
    csrf,
    farm_app,
    field_value,
    log_in,
    on_wiki,
    retire,
    unique,
    write,
)
from tool.pipeline.discover import parse_text
from tool.web.data import EXTENSION
from tool.web.titles import url_part
from tool.wiki import edit
from tool.wiki.eventpage import ParsedEvent

pytestmark = pytest.mark.farm

FORM = {
    "name": "Wikipedia training for nurses, Kisumu",
    "start": "2027-02-06",
    "end": "2027-02-07",
    "timezone": "EAT",
    "wikis": "sw.wikipedia, Commons",
    "types": "training-seminar",
    "region": "Sub-Saharan Africa",
    "country": "KE",
    "language": "sw",
    "organizers": ORGANIZER,
    "goal-0": "participants",
    "goal-target-0": "25",
    "goal-1": "retained_30d",
    "goal-target-1": "8",
    "description": "A day of editing health articles in Swahili.",
}


@pytest.fixture
def app(farm: dict[str, Any], tmp_path: Path) -> flask.Flask:
    return farm_app(farm, tmp_path)


@pytest.fixture
def titles(farm: dict[str, Any], farm_credentials: dict[str, Any]) -> Iterator[list[str]]:
    """The titles a test writes, retired at its end (no longer events for the other tests)."""
    written: list[str] = []
    yield written
    retire(farm, farm_credentials, *written)


def organizer(app: flask.Flask, account: str = ORGANIZER) -> flask.testing.FlaskClient:
    client = app.test_client()
    log_in(client, account)
    return client


def send(client: flask.testing.FlaskClient, title: str, do: str, **changes: str) -> TestResponse:
    data = {**FORM, "title": title, "do": do, "csrf_token": csrf(client), **changes}
    return client.post("/register", data=data)


def preview_of(page: str) -> str:
    found = re.search(r'<pre class="eo-eventform__wikitext"[^>]*>(.*?)</pre>', page, re.S)
    assert found, "no preview"
    return html.unescape(found.group(1))


def test_an_organizer_registers_an_event_and_the_page_is_created_as_them(
    app: flask.Flask, farm: dict[str, Any], titles: list[str]
) -> None:
    client = organizer(app)
    form = client.get("/register").get_data(as_text=True)
    assert field_value(form, "organizers") == ORGANIZER  # the person registering organizes it
    title = unique("Kisumu nurses")
    titles.append(title)

    previewed = send(client, title, "preview")
    assert previewed.status_code == 200
    page = previewed.get_data(as_text=True)
    wikitext = preview_of(page)
    assert 'value="save"' in page  # the button that creates the page comes with the preview
    assert on_wiki(farm, title) is None  # a preview writes nothing

    saved = send(client, title, "save", started=field_value(page, "started"))
    assert saved.status_code == 303
    assert saved.headers["Location"] == f"/event/{url_part(title)}"
    kept = on_wiki(farm, title)
    assert kept is not None
    assert kept.text == wikitext.rstrip("\n")  # what the preview showed (the wiki drops the last newline)
    assert (kept.user, kept.comment, kept.revisions) == (
        ORGANIZER,
        "Registering the event with Event Outcomes",
        1,
    )
    event = parse_text(app.extensions[EXTENSION], kept.text, title)
    assert isinstance(event, ParsedEvent)
    assert event.problems == []
    assert (event.name, event.timezone, event.wikis) == (
        FORM["name"],
        "Africa/Nairobi",
        ["swwiki", "commonswiki"],
    )
    assert event.goals == {"participants": 25, "retained_30d": 8}
    assert event.organizers == [ORGANIZER]
    assert "A day of editing health articles in Swahili.\n\n== Participants ==" in kept.text

    # The tool read the new page at once: its page here says so, and offers its organizer the settings.
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert f'The page "{title}" was created on the wiki with your account.' in html.unescape(shown)
    assert FORM["name"] in shown
    assert f'href="/event/{url_part(title)}/settings"' in shown


def test_a_form_with_problems_comes_back_with_everything_typed_and_writes_nothing(
    app: flask.Flask, farm: dict[str, Any]
) -> None:
    client = organizer(app)
    title = unique("Bad dates")
    wrong = {"start": "2027-02-30", "wikis": "", "goal-target-0": "many", "region": "Afrique | Est"}
    answer = client.post(
        "/register?uselang=fr",
        data={**FORM, **wrong, "title": title, "do": "save", "csrf_token": csrf(client)},
    )
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    # Each problem next to its field, in the person's language (the parser's own messages).
    start = _field(page, "start")
    assert "«\xa02027-02-30\xa0» n’est ni une date ni une heure" in html.unescape(start)
    assert 'aria-invalid="true"' in start
    assert "Le champ «\xa0wikis\xa0» est obligatoire" in html.unescape(_field(page, "wikis"))
    goal = page.split('id="eo-goal-target-0-error-1"', 1)[1].split("</div></div>", 1)[0]
    assert (
        "L’objectif «\xa0goal_participants\xa0» doit être un nombre positif ou nul, et non «\xa0many\xa0»"
        in html.unescape(goal)
    )
    # A "|" would end the field: said where it is, in French.
    assert "sous la forme {{!}}" in html.unescape(_field(page, "region"))
    # Everything typed is still there.
    for name in ("name", "timezone", "types", "country", "language", "organizers"):
        assert field_value(page, name) == FORM[name]
    assert field_value(page, "start") == "2027-02-30"
    assert field_value(page, "region") == "Afrique | Est"
    assert field_value(page, "goal-target-0") == "many"
    assert FORM["description"] in page
    assert 'value="save"' not in page  # no way to save a form with problems
    assert on_wiki(farm, title) is None


def test_an_existing_page_is_never_overwritten(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], titles: list[str]
) -> None:
    client = organizer(app)
    taken = unique("Taken")
    titles.append(taken)
    write(farm, farm_credentials, taken, "Someone's page.")
    answer = send(client, taken, "preview")
    assert answer.status_code == 400
    assert "already exists on the wiki" in html.unescape(_field(answer.get_data(as_text=True), "title"))

    # Free when previewed, taken before the save: said so, and the form stays.
    raced = unique("Raced")
    titles.append(raced)
    page = send(client, raced, "preview").get_data(as_text=True)
    write(farm, farm_credentials, raced, "Created meanwhile by someone else.")
    answer = send(client, raced, "save", started=field_value(page, "started"))
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "already exists on the wiki, and the tool never overwrites a page" in html.unescape(page)
    assert field_value(page, "name") == FORM["name"]
    kept = on_wiki(farm, raced)
    assert kept is not None
    assert (kept.text, kept.revisions) == ("Created meanwhile by someone else.", 1)


def test_a_page_created_between_the_last_check_and_the_save_is_not_overwritten(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], titles: list[str]
) -> None:
    # The moment after the form's last look at the title: only the wiki can refuse (createonly).
    client = organizer(app)
    with client.session_transaction() as session:
        token = dict(session["oauth_access_token"])
    runtime = app.extensions[EXTENSION]
    title = unique("Created meanwhile")
    titles.append(title)
    started = edit.fetch_page(runtime.client("metawiki"), title).read_at
    write(farm, farm_credentials, title, "Created meanwhile by someone else.")
    with pytest.raises(edit.EditFailed) as refused:
        edit.save(
            runtime.user_client("metawiki", token), edit.Edit(title, "Ours.", "test", ORGANIZER, started)
        )
    assert (refused.value.code, refused.value.kind) == ("articleexists", "exists")
    kept = on_wiki(farm, title)
    assert kept is not None
    assert (kept.text, kept.revisions) == ("Created meanwhile by someone else.", 1)


def test_a_protected_title_says_so_and_keeps_the_form(
    app: flask.Flask, farm: dict[str, Any], titles: list[str]
) -> None:
    client = organizer(app)
    title = unique("Protected")
    page = send(client, title, "preview").get_data(as_text=True)
    admin(farm, "protect.php", "--reason", "wikiactions test", title)  # create=sysop
    try:
        answer = send(client, title, "save", started=field_value(page, "started"))
    finally:
        admin(farm, "protect.php", "--unprotect", title)
    assert answer.status_code == 403
    page = answer.get_data(as_text=True)
    assert "The wiki does not let your account edit this page" in html.unescape(page)
    assert re.search(r"\((protectedtitle|protectedpage)\)", page)  # the wiki's code, for whoever helps
    assert field_value(page, "name") == FORM["name"]
    assert on_wiki(farm, title) is None


def test_a_blocked_account_is_told_why_and_keeps_the_form(
    app: flask.Flask, farm: dict[str, Any], titles: list[str]
) -> None:
    client = organizer(app, BLOCKED)
    title = unique("Blocked")
    page = send(client, title, "preview", organizers=BLOCKED).get_data(as_text=True)
    block(farm, BLOCKED)
    try:
        answer = send(client, title, "save", organizers=BLOCKED, started=field_value(page, "started"))
    finally:
        block(farm, BLOCKED, unblock=True)
    assert answer.status_code == 403
    page = html.unescape(answer.get_data(as_text=True))
    assert "Your account is blocked from editing this page on the wiki" in page
    assert "Testing blocks of Event Outcomes" in page  # the block's reason, as the wiki gives it
    assert field_value(page, "name") == FORM["name"]
    assert on_wiki(farm, title) is None


def test_a_token_the_wiki_refuses_logs_the_person_out_and_keeps_the_form(
    app: flask.Flask, farm: dict[str, Any]
) -> None:
    client = organizer(app)
    title = unique("Revoked")
    page = send(client, title, "preview").get_data(as_text=True)
    with client.session_transaction() as session:
        session["oauth_access_token"] = {**session["oauth_access_token"], "secret": "revoked"}
    answer = send(client, title, "save", started=field_value(page, "started"))
    assert answer.status_code == 401
    page = html.unescape(answer.get_data(as_text=True))
    assert "The wiki no longer accepts your login" in page
    assert 'href="/login?returnto=' in page
    assert field_value(page, "name") == FORM["name"]
    assert ORGANIZER not in page.split("<main", 1)[0]  # the header no longer says who is logged in
    with client.session_transaction() as session:
        assert "user" not in session
        assert "oauth_access_token" not in session
    assert on_wiki(farm, title) is None


@pytest.mark.parametrize(
    ("title", "said"),
    [("Event|Kisumu", "cannot hold the character"),
     ("Event outcomes/Test/../Kisumu", "does not accept this title"),
     ("Special:Kisumu", "does not accept this title"), (":", "does not accept this title")],
)  # fmt: skip
def test_a_title_the_wiki_cannot_have_is_refused_before_any_edit(
    app: flask.Flask, farm: dict[str, Any], title: str, said: str
) -> None:
    client = organizer(app)
    answer = send(client, title, "save")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert said in html.unescape(_field(page, "title"))
    assert field_value(page, "title") == title
    assert on_wiki(farm, title.replace("|", "")) is None


def test_without_its_csrf_token_a_form_writes_nothing(app: flask.Flask, farm: dict[str, Any]) -> None:
    client = organizer(app)
    title = unique("Forged")
    for token in (None, "not-the-token"):
        data = {**FORM, "title": title, "do": "save", **({"csrf_token": token} if token else {})}
        answer = client.post("/register", data=data)
        assert answer.status_code == 400
        assert "This form has expired" in answer.get_data(as_text=True)
    assert on_wiki(farm, title) is None


def test_a_visitor_who_is_not_logged_in_is_asked_to_log_in(app: flask.Flask) -> None:
    client = app.test_client()
    page = client.get("/register").get_data(as_text=True)
    assert 'href="/login?returnto=/register"' in page
    assert 'name="title"' not in page
    answer = client.post("/register", data={**FORM, "title": "X", "do": "save", "csrf_token": csrf(client)})
    assert answer.status_code == 401


def _field(page: str, name: str) -> str:
    """The form's block of one field: its label, input and problems."""
    start = page.index(f'<label class="cdx-label__label" for="eo-field-{name}">')
    start = page.rindex('<div class="cdx-field eo-eventform__field">', 0, start)
    ends = [at for at in (page.find('<div class="cdx-field eo-eventform__field">', start + 1),
                          page.find("</fieldset>", start)) if at >= 0]  # fmt: skip
    return page[start : min(ends)]
