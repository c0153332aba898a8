"""The nightly outcomes bot on the farm (issue #11): what it writes, what it leaves, what it reports.

Every run is the real job: ``python -m bots.outcomes_bot`` in its own process, logging in to the
farm's meta wiki with the farm's bot password, refreshing every event into a fresh store, and
writing pages that the tests read back through the API (their text, their revisions, their HTML).

Besides the farm's events and cohort, the module adds an event of its own whose only participant
is the farm's Admin, on swwiki, and a cohort of that event alone. Its end is 7 days before the
module starts, so "still editing 7 days later" counts only the edits made from then on: one edit by
Admin is a change in exactly one person's history, in exactly one event (and its cohort). Its name
holds what must never become markup.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import mwclient
import pytest

from bots import markers
from tests import bot_runs
from tests.bot_runs import BotSetup, admin_site, last_edit_by, rendered, revision, text
from tests.conftest import bot_site
from tool import create_app, messages, summary
from tool.metrics import Outcomes
from tool.store import Store
from tool.web.titles import url_part

pytestmark = pytest.mark.farm

FARM_EVENTS = (
    "Wikimedia Colombia/Editatón Mujeres en la Ciencia 2025",
    "Wikimedia Tanzania/Online mentoring: Swahili health articles 2025",
    "Wikimedia Community User Group Kenya/Wikipedia training for librarians, Nairobi 2026",
    "WikiCon 2026/Workshop: first edits",
)
FARM_COHORT = "Event outcomes/Cohorts/Wiki Indaba trainings 2025-2026"
NAIROBI = FARM_EVENTS[2]
# Read as markup, each of these would link, script, split a cell, italicise, switch off the table of
# contents or link out; the event page keeps them as its template's field (the parser reads raw text).
HOSTILE = "Bot test [[Y|Z]] <script>alert(1)</script> {{!}} ''b'' __NOTOC__ &#125;&#125; https://spam.example"


@dataclass(frozen=True)
class Pages:
    event: str
    cohort: str


@pytest.fixture(scope="module")
def own(farm: dict[str, Any], farm_credentials: dict[str, Any]) -> Iterator[Pages]:
    site = bot_site(farm, farm_credentials)
    tag = uuid.uuid4().hex[:8]
    pages = Pages(f"Event outcomes/Test/Bot {tag}", f"Event outcomes/Test/Bot cohort {tag}")
    end = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=7)
    site.pages[pages.event].edit(
        "{{Event outcomes\n"
        f"| name = {HOSTILE}\n"
        f"| start = {(end - timedelta(days=1)):%Y-%m-%d %H:%M}\n"
        f"| end = {end:%Y-%m-%d %H:%M}\n"
        "| timezone = UTC\n| wikis = swwiki\n}}\n== Participants ==\n# [[User:Admin]]\n",
        summary="the bot tests' event",
        bot=True,
    )
    site.pages[pages.cohort].edit(
        f"{{{{Event outcomes cohort\n| name = Bot test cohort\n| events = {pages.event}\n}}}}\n",
        summary="the bot tests' cohort",
        bot=True,
    )
    yield pages
    for title in (pages.event, pages.cohort):
        site.pages[title].edit("Retired by the bot tests.", summary="cleanup", bot=True)


@pytest.fixture
def bot(farm: dict[str, Any], farm_credentials: dict[str, Any], tmp_path: Path, own: Pages) -> BotSetup:
    return bot_runs.setup(farm, tmp_path, bot_site(farm, farm_credentials))


@pytest.fixture
def meta(farm: dict[str, Any]) -> mwclient.Site:
    """The meta wiki as any reader sees it (no login)."""
    host = farm["wikis"]["metawiki"]["server"].removeprefix("http://")
    return mwclient.Site(host, path="/", scheme="http", clients_useragent="event-outcomes-tests")


def test_a_run_writes_every_summary_and_a_second_run_edits_nothing(
    bot: BotSetup, own: Pages, meta: mwclient.Site
) -> None:
    first = bot.run("-always")
    assert first.code == 0, first.err
    everything = [*FARM_EVENTS, own.event, FARM_COHORT, own.cohort]
    assert first.lines("written") == sorted(bot.page(title) for title in everything)
    assert first.out.rstrip().endswith("7 pages written, 0 unchanged, 0 skipped, 0 failed.")

    # What the page holds is the export's renderer on the stored snapshot, between the markers;
    # a Swahili event's summary is in Swahili.
    store = Store(bot.env["TOOL_DATABASE_URL"])
    event = store.get_event(NAIROBI)
    snapshot = store.latest_snapshot("event", NAIROBI)
    assert event is not None
    assert snapshot is not None
    link = summary.tool_url("https://event-outcomes.toolforge.org/", "event", NAIROBI)
    expected = summary.summary(event.name, Outcomes.from_json(snapshot.figures), "sw", link)
    page = text(meta, bot.page(NAIROBI))
    assert page.startswith(f"{markers.BEGIN} · ")
    assert page.endswith(f"\n{expected.body}\n{expected.stamp}\n{markers.END}")

    # Read on the wiki: numbers in the wiki's format, shares with what they are out of, the link.
    shown = rendered(meta, bot.page(NAIROBI))
    assert re.search(r"<td>Washiriki\s*</td>\s*<td>9\s*</td>\s*<td>kamili\s*</td>", shown), shown
    # The percentage as Swahili writes it ("50%"); where a language puts a space, it never breaks.
    assert re.search(r"<td>\d+ kati ya 9 \(\d+(&#160;)?%\)\s*</td>", shown)
    assert f'href="{link}"' in shown.replace("&amp;", "&")

    # Saved as a bot edit (hidden from watchlists that hide bots), its summary in the event's language.
    [change] = meta.api("query", list="recentchanges", rctitle=bot.page(NAIROBI), rcprop="flags|comment")[
        "query"
    ]["recentchanges"]
    assert "bot" in change
    assert change["comment"] == messages.text("bot-create-summary", "sw")
    bot_edits = last_edit_by(meta, "OutcomesBot")
    revisions = {title: revision(meta, bot.page(title)) for title in everything}
    second = bot.run("-always")
    assert second.code == 0, second.err
    assert second.lines("unchanged") == sorted(bot.page(title) for title in everything)
    assert second.lines("written") == []
    assert last_edit_by(meta, "OutcomesBot") == bot_edits  # not one edit
    assert {title: revision(meta, bot.page(title)) for title in everything} == revisions


def test_one_persons_new_edit_rewrites_exactly_their_event_and_its_cohort(
    bot: BotSetup, own: Pages, meta: mwclient.Site, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    assert bot.run("-always").code == 0
    everything = [*FARM_EVENTS, own.event, FARM_COHORT, own.cohort]
    before = {title: revision(meta, bot.page(title)) for title in everything}
    assert "Still editing 7 days later || {{formatnum:0}} of {{formatnum:1}}" in text(
        meta, bot.page(own.event)
    )

    sw = admin_site(farm, farm_credentials, "swwiki")
    sw.pages[f"Sandbox {uuid.uuid4().hex[:8]}"].edit("A new edit, after the event.", summary="bot test")
    again = bot.run("-always")
    assert again.code == 0, again.err
    assert again.lines("written") == sorted([bot.page(own.event), bot.page(own.cohort)])
    after = {title: revision(meta, bot.page(title)) for title in everything}
    changed = sorted(title for title in everything if after[title] != before[title])
    assert changed == sorted([own.event, own.cohort])
    assert "Still editing 7 days later || {{formatnum:1}} of {{formatnum:1}}" in text(
        meta, bot.page(own.event)
    )


def test_text_people_wrote_around_the_block_stays(
    bot: BotSetup, meta: mwclient.Site, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    assert bot.run("-always").code == 0
    title = bot.page(NAIROBI)
    written = text(meta, title)
    person = admin_site(farm, farm_credentials)
    above = "Notes by the organizers, above the figures.\n\n"
    below = "\n\n== Discussion ==\nSee the talk page. [[Category:Event outcomes]]\n"
    # Someone edits the figures by hand, inside the markers, and writes around them.
    hand_edited = written.replace("|| {{formatnum:9}} ||", "|| {{formatnum:90}} ||")
    assert hand_edited != written
    person.pages[title].edit(above + hand_edited + below, summary="notes")

    assert bot.run("-always").lines("written") == [title]
    # The block rewritten, and only it (the wiki drops a page's trailing line breaks).
    assert text(meta, title) == (above + written + below).rstrip()

    # Someone deletes the markers (and the block with them): the block comes back at the end.
    person.pages[title].edit(above + "The figures were here." + below, summary="no more markers")
    assert bot.run("-always").lines("written") == [title]
    assert text(meta, title) == (above + "The figures were here." + below).rstrip() + "\n\n" + written


def test_names_from_pages_show_as_text_on_the_saved_page(
    bot: BotSetup, own: Pages, meta: mwclient.Site
) -> None:
    assert bot.run("-always").code == 0
    event = Store(bot.env["TOOL_DATABASE_URL"]).get_event(own.event)
    assert event is not None
    # The name as the tool read it from the page: its text, with "}}" and a web address in it.
    assert "}}" in event.name
    assert "https://spam.example" in event.name
    shown = rendered(meta, bot.page(own.event))
    assert f"Outcomes of {event.name}, computed by Event Outcomes" in _text_of(shown)
    assert "<script" not in shown
    assert 'href="https://spam.example"' not in shown  # shown, not linked


@pytest.mark.parametrize(
    "name",
    [
        "X}} {{Delete}} | [[Category:Spam|<script>alert(1)</script>",
        "Signed ~~~~ and ~~~ at {{subst:CURRENTTIME}} {{subst:PAGENAME}}",
        "</nowiki>[[Y]]<nowiki> &lt;b&gt; &amp; <!-- -->",
    ],
)
def test_the_summary_saved_on_the_wiki_shows_any_name_as_typed(
    name: str, farm: dict[str, Any], farm_credentials: dict[str, Any], meta: mwclient.Site
) -> None:
    """What a name can hold but a page cannot give the bot: saved as the bot saves it, then read back."""
    from tests.test_export import _sample  # the exports' own hand-checked outcomes

    title = f"Event outcomes/Test/Escaping {uuid.uuid4().hex[:8]}/Outcomes"
    block = markers.place("", summary.summary(name, _sample()), "note")
    assert block is not None
    bot_site(farm, farm_credentials).pages[title].edit(block, summary="escaping test", bot=True)
    saved = text(meta, title)
    assert saved == block.rstrip("\n")  # no signature, no substitution when it was saved
    shown = rendered(meta, title)
    assert f"Outcomes of {name}, computed by Event Outcomes" in _text_of(shown)
    assert "<script" not in shown
    assert "Category:Spam" not in "".join(re.findall(r"<a [^>]*>", shown))


def test_simulate_shows_what_would_change_and_saves_nothing(bot: BotSetup, meta: mwclient.Site) -> None:
    edits = last_edit_by(meta, "OutcomesBot")
    run = bot.run("-simulate", "-always")
    assert run.code == 0, run.err
    assert "Simulated (-simulate): nothing was saved" in run.out
    assert bot.page(NAIROBI) in run.lines("written")
    assert revision(meta, bot.page(NAIROBI)) == 0
    assert last_edit_by(meta, "OutcomesBot") == edits
    assert '\n+ {| class="wikitable"' in run.err  # the diff it would have saved


def test_a_run_page_that_does_not_say_yes_stops_the_bot_at_once(
    bot: BotSetup, meta: mwclient.Site, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    bot_site(farm, farm_credentials).pages[bot.run_page].edit("no — stopped for the tests", summary="stop")
    edits = last_edit_by(meta, "OutcomesBot")
    run = bot.run("-always")
    assert run.code == 77
    assert f'The bot\'s run page {bot.run_page} says "no — stopped for the tests", not "yes"' in run.err
    assert "event parsed" not in run.out  # stopped before refreshing anything
    assert last_edit_by(meta, "OutcomesBot") == edits
    missing = bot.run("-always", BOT_RUN_PAGE=f"{bot.run_page}/missing")
    assert missing.code == 77
    assert "does not exist, so the bot wrote nothing" in missing.err


def test_pages_the_bot_may_not_edit_are_skipped_with_why_and_the_rest_written(
    bot: BotSetup, meta: mwclient.Site, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    admin = admin_site(farm, farm_credentials)
    nobots, protected = bot.page(FARM_EVENTS[0]), bot.page(FARM_EVENTS[1])
    admin.pages[nobots].edit("Keep the bot out: {{nobots}}", summary="no bots here")
    admin.pages[protected].edit("Protected.", summary="protected")
    admin.api("protect", title=protected, protections="edit=sysop", token=admin.get_token("csrf"))
    report_file = bot.tmp_path / "reports" / "bot.txt"
    report_page = f"{bot.run_page}/Report"
    run = bot.run("-always", BOT_REPORT_FILE=str(report_file), BOT_REPORT_PAGE=report_page)
    assert run.code == 0, run.err  # skipped is not failed
    assert (
        f"skipped: {nobots} — the page does not let this bot edit it ({{{{bots}}}} or {{{{nobots}}}})"
        in run.out
    )
    assert f"skipped: {protected} — the page is protected against the bot's edits" in run.out
    assert bot.page(NAIROBI) in run.lines("written")
    assert text(meta, nobots) == "Keep the bot out: {{nobots}}"
    assert text(meta, protected) == "Protected."
    # The report, also where the maintainer asked for it: a file, and a page with a table.
    assert report_file.read_text() == run.out[run.out.index("Outcomes bot run of ") :]
    page = rendered(meta, report_page)
    assert "5 pages written, 0 unchanged, 2 skipped, 0 failed." in page
    assert f"{protected} skipped the page is protected against the bot's edits" in _text_of(page).replace(
        "\n", " "
    )


def test_a_page_that_fails_is_reported_and_stops_no_other(
    bot: BotSetup, meta: mwclient.Site, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    site = bot_site(farm, farm_credentials)
    # A valid event page whose Outcomes page cannot exist: its title would pass 255 bytes.
    long = f"Event outcomes/Test/{uuid.uuid4().hex[:8]} " + "x" * 224
    site.pages[long].edit(
        "{{Event outcomes|start=2026-03-01|end=2026-03-02|wikis=enwiki}}\n", summary="bot test", bot=True
    )
    try:
        run = bot.run("-always")
    finally:
        site.pages[long].edit("Retired by the bot tests.", summary="cleanup", bot=True)
    assert run.code == 1
    [failed] = run.lines("failed")
    assert failed.startswith(f"{bot.page(long)} — no page can have this title on the wiki"), run.out
    assert bot.page(NAIROBI) in run.lines("written")
    assert revision(meta, bot.page(NAIROBI)) > 0


def test_a_blocked_bot_skips_every_page_and_says_why(
    bot: BotSetup, meta: mwclient.Site, farm: dict[str, Any], farm_credentials: dict[str, Any]
) -> None:
    admin = admin_site(farm, farm_credentials)
    token = admin.get_token("csrf")
    admin.api("block", user="OutcomesBot", expiry="1 hour", reason="bot test", token=token)
    try:
        edits = last_edit_by(meta, "OutcomesBot")
        run = bot.run("-always")
    finally:
        admin.api("unblock", user="OutcomesBot", reason="bot test done", token=token)
    assert run.code == 0, run.out[-2500:]  # skipped, not failed: nothing is wrong with the tool
    assert run.lines("written") == []
    assert f"skipped: {bot.page(NAIROBI)} — the bot's account is blocked on the wiki" in run.out
    assert last_edit_by(meta, "OutcomesBot") == edits


@pytest.mark.parametrize("mode", ["once", "twice"])
def test_an_edit_conflict_is_retried_once_on_fresh_text_then_reported(
    mode: str, bot: BotSetup, meta: mwclient.Site
) -> None:
    from tests.bot_conflict import FIRST, SECOND

    title = f"Event outcomes/Test/Conflict {uuid.uuid4().hex[:8]}"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bot_conflict", mode, title],
        cwd=bot_runs.ROOT, env=bot.env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    page = bot.page(title)
    saved = text(meta, page)
    if mode == "once":
        # The page someone created meanwhile is read again: their text kept, the block after it.
        assert done.returncode == 0, done.stderr
        assert f"written: {page}" in done.stdout
        assert saved.startswith(FIRST + "\n\n" + markers.BEGIN)
    else:
        assert done.returncode == 1
        assert (
            f"failed: {page} — someone else edited the page while the bot wrote it, twice in a row"
            in done.stdout
        )
        assert saved == SECOND  # theirs, untouched


def test_a_second_run_while_one_holds_the_lock_does_nothing(bot: BotSetup) -> None:
    from tool.cli.runlock import FileRunLock

    lock = FileRunLock(Path(bot.env["TOOL_INSTANCE_PATH"]) / "nightly.lock")
    assert lock.acquire()
    try:
        run = bot.run("-always")
    finally:
        lock.release()
    assert run.code == 75
    assert run.err.startswith("Another nightly run is still going (it holds the lock ")
    assert run.out == ""


def test_a_refused_bot_password_stops_before_anything_is_written(
    bot: BotSetup, farm_credentials: dict[str, Any]
) -> None:
    user = farm_credentials["bot"]["botpassword_user"]
    run = bot.run("-always", BOT_USERNAME=user, BOT_PASSWORD="not the bot password")
    assert run.code == 1
    assert f"error: The tool's bot could not log in to metawiki as {user}: " in run.err
    assert run.out == ""


def _text_of(page_html: str) -> str:
    """The text a reader sees: tags dropped, entities read."""
    return html.unescape(re.sub(r"<[^>]*>", "", page_html))


def test_as_make_demo_runs_it_the_tools_event_pages_link_to_outcomes_pages_that_exist(
    bot: BotSetup, meta: mwclient.Site
) -> None:
    # The farm's own run page (seeded "yes") and the configured default subpage, as in `make demo`.
    assert text(meta, "User:OutcomesBot/Run") == "yes"
    run = bot.run(
        "-always", BOT_RUN_PAGE="", OUTCOMES_SUBPAGE="Outcomes", PUBLIC_URL="http://127.0.0.1:5000/"
    )
    assert run.code == 0, run.err
    app = create_app(
        {"FARM": bot.env["TOOL_FARM"], "DATABASE_URL": bot.env["TOOL_DATABASE_URL"], "TESTING": True}
    )
    page = app.test_client().get(f"/event/{url_part(NAIROBI)}").get_data(as_text=True)
    [link] = re.findall(r'href="([^"]*)">Outcomes summary on the wiki<', page)
    title = parse_qs(urlsplit(html.unescape(link)).query)["title"][0].replace("_", " ")
    assert title == f"{NAIROBI}/Outcomes"
    # The page the link opens, with the summary on it, and its link back to the tool.
    shown = rendered(meta, title)
    assert "Wikipedia training for librarians, Nairobi" in shown
    assert f'href="http://127.0.0.1:5000/event/{url_part(NAIROBI)}"' in shown
