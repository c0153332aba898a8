"""Changing an event's settings (issue #10, item 2): for its organizers and its creator only, the form
prefilled from the page, and an edit of the template alone — checked by diffing the page read back
from the wiki — that never overwrites what someone else saved meanwhile."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask
import pytest

from tests.wikiactions import (
    ORGANIZER,
    OTHER_ORGANIZER,
    csrf,
    farm_app,
    field_value,
    log_in,
    on_wiki,
    retire,
    unique,
    write,
)
from tool.web.titles import url_part

pytestmark = pytest.mark.farm

PAGE = """Organized with the librarians' association.
{{Event outcomes
 | name         = Cataloguing sprint
 | start        = 2027-03-01
 | end          = 2027-03-02
 | timezone     = Africa/Nairobi <!-- EAT -->
 | wikis        = enwiki
 | region       = <!-- The region the event is for, such as Sub-Saharan Africa. -->
 | organizers   = [[User:Alice Wanjiku|Alice]], Somebody Else
 | goal_participants = 20
 | venue        = Kenya National Library
}}
Two days of cataloguing, with lunch.

== Participants ==
# [[User:Kofi Banda]]
# [[User:Siddharth Hassan]]
"""


@pytest.fixture
def app(farm: dict[str, Any], tmp_path: Path) -> flask.Flask:
    return farm_app(farm, tmp_path)


@pytest.fixture
def event(farm: dict[str, Any], farm_credentials: dict[str, Any]) -> Iterator[str]:
    """An event page written by someone else (the farm's bot), organized by Alice; retired after."""
    title = unique("Cataloguing sprint")
    write(farm, farm_credentials, title, PAGE)
    yield title
    retire(farm, farm_credentials, title)


def logged_in(app: flask.Flask, account: str = ORGANIZER) -> flask.testing.FlaskClient:
    client = app.test_client()
    log_in(client, account)
    return client


def form_of(page: str) -> dict[str, str]:
    """What a browser sends for the form as shown: every input and chosen option, as they are."""
    sent = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input [^>]*name="([^"]+)" value="([^"]*)"', page)
    }
    for name, options in re.findall(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        sent[name] = html.unescape(chosen.group(1)) if chosen else ""
    return sent


def settings_of(client: flask.testing.FlaskClient, title: str) -> dict[str, str]:
    shown = client.get(f"/event/{url_part(title)}/settings")
    assert shown.status_code == 200, shown.get_data(as_text=True)[:2000]
    return form_of(shown.get_data(as_text=True))


def diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_an_organizer_changes_the_template_and_nothing_else(
    app: flask.Flask, farm: dict[str, Any], event: str
) -> None:
    client = logged_in(app)
    before = on_wiki(farm, event)
    assert before is not None
    form = settings_of(client, event)
    # Prefilled from the page, each value as written (the comment left out).
    assert form["name"] == "Cataloguing sprint"
    assert form["timezone"] == "Africa/Nairobi"
    assert form["organizers"] == "[[User:Alice Wanjiku|Alice]], Somebody Else"
    assert form["region"] == ""
    assert (form["goal-0"], form["goal-target-0"]) == ("participants", "20")

    change = {**form, "region": "Sub-Saharan Africa", "goal-1": "new_editors", "goal-target-1": "5"}
    previewed = client.post(f"/event/{url_part(event)}/settings", data={**change, "do": "preview"})
    assert previewed.status_code == 200
    pre = re.search(r"<pre[^>]*>(.*?)</pre>", previewed.get_data(as_text=True), re.S)
    assert pre is not None
    preview = html.unescape(pre.group(1))
    assert preview.startswith("{{Event outcomes\n")
    assert preview.endswith("}}")
    assert " | region       = Sub-Saharan Africa\n" in preview
    assert on_wiki(farm, event) == before  # a preview writes nothing

    saved = client.post(f"/event/{url_part(event)}/settings", data={**change, "do": "save"})
    assert saved.status_code == 303
    after = on_wiki(farm, event)
    assert after is not None
    assert (after.user, after.comment) == (ORGANIZER, "Event settings changed with Event Outcomes")
    # The page's diff: the region's line and the new goal's, inside the template; nothing else.
    assert diff(before.text, after.text) == [
        "- | region       = <!-- The region the event is for, such as Sub-Saharan Africa. -->",
        "+ | region       = Sub-Saharan Africa",
        "+ | goal_new_editors = 5",
    ]
    shown = html.unescape(client.get(saved.headers["Location"]).get_data(as_text=True))
    assert "The event's settings were saved on the wiki with your account." in shown
    assert "Sub-Saharan Africa" in shown  # read again at once: the page here shows the new region


def test_saving_an_unchanged_form_writes_nothing(app: flask.Flask, farm: dict[str, Any], event: str) -> None:
    client = logged_in(app)
    before = on_wiki(farm, event)
    saved = client.post(
        f"/event/{url_part(event)}/settings", data={**settings_of(client, event), "do": "save"}
    )
    assert saved.status_code == 303
    assert on_wiki(farm, event) == before
    assert "Nothing was changed" in client.get(saved.headers["Location"]).get_data(as_text=True)


def test_a_change_with_a_problem_is_shown_again_in_the_persons_language_and_writes_nothing(
    app: flask.Flask, farm: dict[str, Any], event: str
) -> None:
    client = logged_in(app)
    before = on_wiki(farm, event)
    form = settings_of(client, event)
    answer = client.post(
        f"/event/{url_part(event)}/settings?uselang=fr", data={**form, "start": "bientôt", "do": "save"}
    )
    assert answer.status_code == 400
    page = html.unescape(answer.get_data(as_text=True))
    assert "«\xa0bientôt\xa0» n’est ni une date ni une heure" in page
    assert field_value(page, "start") == "bientôt"
    # The page's own unknown field ("venue") is no problem of this change: it does not stop a save.
    assert "venue" not in page
    assert on_wiki(farm, event) == before


def test_only_the_organizers_and_the_creator_may_change_the_settings(
    app: flask.Flask, farm: dict[str, Any], event: str, farm_credentials: dict[str, Any]
) -> None:
    before = on_wiki(farm, event)
    stranger = logged_in(app, OTHER_ORGANIZER)  # organizes other events, not this one
    assert stranger.get(f"/event/{url_part(event)}/settings").status_code == 403
    form = settings_of(logged_in(app), event)
    refused = stranger.post(
        f"/event/{url_part(event)}/settings",
        data={**form, "csrf_token": csrf(stranger), "name": "Mine", "do": "save"},
    )
    assert refused.status_code == 403
    assert "can be changed here by the accounts its organizers field names" in html.unescape(
        refused.get_data(as_text=True)
    )
    assert on_wiki(farm, event) == before
    # The organizer's event page shows the way to the settings; another person's does not.
    assert f'/event/{url_part(event)}/settings"' not in stranger.get(f"/event/{url_part(event)}").get_data(
        as_text=True
    )

    # The page's creator may, even when the organizers field does not name them.
    created = unique("Created by Carmen")
    creator = logged_in(app, "Carmen Ruiz")
    try:
        made = creator.post("/register", data={
            "csrf_token": csrf(creator), "title": created, "start": "2027-04-01", "end": "2027-04-01",
            "wikis": "enwiki", "organizers": "Somebody Else", "do": "save",
        })  # fmt: skip
        assert made.status_code == 303
        assert creator.get(f"/event/{url_part(created)}/settings").status_code == 200
        assert stranger.get(f"/event/{url_part(created)}/settings").status_code == 403
    finally:
        retire(farm, farm_credentials, created)


def test_a_change_saved_meanwhile_by_someone_else_is_merged_or_never_overwritten(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any], event: str
) -> None:
    client = logged_in(app)
    # Someone else changes another part of the page meanwhile: the wiki merges the two edits.
    form = settings_of(client, event)
    text = on_wiki(farm, event).text  # type: ignore[union-attr]
    write(farm, farm_credentials, event, text.replace("with lunch.", "with lunch and tea."))
    saved = client.post(
        f"/event/{url_part(event)}/settings", data={**form, "region": "East Africa", "do": "save"}
    )
    assert saved.status_code == 303
    merged = on_wiki(farm, event)
    assert merged is not None
    assert "with lunch and tea." in merged.text
    assert " | region       = East Africa" in merged.text

    # Someone else changes the same field meanwhile: nothing is saved, and the form says what happened.
    form = settings_of(client, event)
    write(
        farm, farm_credentials, event, merged.text.replace("= Cataloguing sprint", "= Cataloguing marathon")
    )
    theirs = on_wiki(farm, event)
    assert theirs is not None
    conflict = client.post(
        f"/event/{url_part(event)}/settings", data={**form, "name": "Cataloguing weekend", "do": "save"}
    )
    assert conflict.status_code == 409
    assert on_wiki(farm, event) == theirs  # never overwritten
    page = html.unescape(conflict.get_data(as_text=True))
    assert "Someone else changed the page while you were editing it" in page
    assert "Both of you changed: name." in page
    again = form_of(page)
    assert again["name"] == "Cataloguing weekend"  # the organizer's change, made again on the page as it is
    assert again["region"] == "East Africa"
    assert int(again["base"]) == theirs.revid
    # Saved again from there, knowingly: the organizer's value now.
    resaved = client.post(f"/event/{url_part(event)}/settings", data={**again, "do": "save"})
    assert resaved.status_code == 303
    final = on_wiki(farm, event)
    assert final is not None
    assert diff(theirs.text, final.text) == [
        "- | name         = Cataloguing marathon",
        "+ | name         = Cataloguing weekend",
    ]


def test_a_form_that_names_no_revision_of_the_page_is_refused(
    app: flask.Flask, farm: dict[str, Any], event: str
) -> None:
    client = logged_in(app)
    before = on_wiki(farm, event)
    form = settings_of(client, event)
    for base in ("", "1", "not a number"):  # revision 1 is another page's
        answer = client.post(
            f"/event/{url_part(event)}/settings", data={**form, "base": base, "name": "X", "do": "save"}
        )
        assert answer.status_code == 400
        assert "The form does not say which version of the page it was made from" in html.unescape(
            answer.get_data(as_text=True)
        )
    assert on_wiki(farm, event) == before


def test_visitors_and_forged_forms_change_nothing(app: flask.Flask, farm: dict[str, Any], event: str) -> None:
    before = on_wiki(farm, event)
    visitor = app.test_client()
    page = visitor.get(f"/event/{url_part(event)}/settings").get_data(as_text=True)
    assert f'href="/login?returnto=/event/{url_part(event)}/settings"' in page
    assert 'name="name"' not in page
    client = logged_in(app)
    form = settings_of(client, event)
    del form["csrf_token"]
    assert (
        client.post(
            f"/event/{url_part(event)}/settings", data={**form, "name": "X", "do": "save"}
        ).status_code
        == 400
    )
    assert on_wiki(farm, event) == before
    assert client.get("/event/Event_outcomes/Test/No_such_page_at_all/settings").status_code == 404


def test_a_token_the_wiki_refuses_logs_the_organizer_out_and_keeps_the_form(
    app: flask.Flask, farm: dict[str, Any], event: str
) -> None:
    client = logged_in(app)
    before = on_wiki(farm, event)
    form = settings_of(client, event)
    with client.session_transaction() as session:
        session["oauth_access_token"] = {**session["oauth_access_token"], "secret": "revoked"}
    answer = client.post(f"/event/{url_part(event)}/settings", data={**form, "region": "Asia", "do": "save"})
    assert answer.status_code == 401
    page = html.unescape(answer.get_data(as_text=True))
    assert "The wiki no longer accepts your login" in page
    assert field_value(page, "region") == "Asia"
    with client.session_transaction() as session:
        assert "user" not in session
    assert on_wiki(farm, event) == before


def test_a_template_the_tool_cannot_rewrite_safely_is_left_for_the_wiki(
    app: flask.Flask, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    title = unique("Unclosed")
    write(farm, farm_credentials, title, PAGE.replace("\n}}\n", "\n"))  # the template is never closed
    try:
        client = logged_in(app)
        form = settings_of(client, title)
        answer = client.post(
            f"/event/{url_part(title)}/settings", data={**form, "region": "Asia", "do": "save"}
        )
        assert answer.status_code == 409
        assert "please edit the page on the wiki" in html.unescape(answer.get_data(as_text=True))
    finally:
        retire(farm, farm_credentials, title)
