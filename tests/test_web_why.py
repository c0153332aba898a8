"""Why a number is what it is: /event/<title>/contributions, on a real store (SQLite and MariaDB).

One event, every participant a case that can be checked by hand (DESIGN §5: W = [start, end], end
inclusive; an event that does not track Commons counts its Commons uploads as uploads):

- Ana Counted: swwiki r101 at the very start, enwiki r102, swwiki r103 at the very end (23:59:59),
  a Commons upload r105 (counted as an upload only); not r104 one second after the end, not the
  Commons edit r106 that is no upload. So 3 edits and 1 upload counted.
- Bea Before: swwiki r201 one second before the start: her edits are all before.
- Cid Missing: no account of that name.
- Dan Elsewhere: frwiki r401 during the event (another event of his tracks frwiki).
- Eve Unfetched: nothing of hers fetched yet, so the counts are partial.

Organizers (the page's ``organizers =`` as written): "[[User:Olive Organizer|Olive]], bob_helper".
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import flask
import pytest

from tests.test_store import event as event_record
from tool import create_app
from tool.metrics.inputs import COMMONS, COMMONS_FILES, Contribution
from tool.store import ParticipantRecord, Store
from tool.web.auth import USER

TITLE = "Event:Nairobi training 2026"
URL = "/event/Event:Nairobi_training_2026/contributions"
START = datetime(2026, 3, 14, tzinfo=UTC)
END = datetime(2026, 3, 15, 23, 59, 59, tzinfo=UTC)
SECOND = timedelta(seconds=1)
ORGANIZER, OTHER_ORGANIZER = "Olive Organizer", "Bob helper"
ANA, BEA, CID, DAN, EVE = "Ana Counted", "Bea Before", "Cid Missing", "Dan Elsewhere", "Eve Unfetched"
FAY = "Fay Other"  # in other events only
PARTICIPANTS = [ANA, BEA, CID, DAN, EVE]
SW, EN = "https://sw.wikipedia.org/w/index.php", "https://en.wikipedia.org/w/index.php"
COMMONS_INDEX = "https://commons.wikimedia.org/w/index.php"


def revision(wiki: str, rev: int, user: str, when: datetime, **changes: object) -> Contribution:
    values: dict[str, object] = {
        "wiki": wiki,
        "rev_id": rev,
        "user": user,
        "page_id": rev,
        "namespace": 0,
        "title": f"Page {rev}",
        "timestamp": when,
        "sizediff": 10,
        "new": False,
    }
    values.update(changes)
    return Contribution(**values)  # type: ignore[arg-type]


def store_event(store: Store, title: str, people: list[ParticipantRecord], **changes: object) -> None:
    fields = {"name": "Nairobi", "organizers": f"[[User:{ORGANIZER}|Olive]], bob_helper"}
    store.save_event(
        event_record(title, name="Nairobi training", fields=fields, start=START, end=END, **changes)
    )
    store.replace_participants(title, people)


def cover(store: Store, users: list[str], wikis: tuple[str, ...] = ("swwiki", "enwiki")) -> None:
    """The store holds these people's data from the event's floor to two months after it."""
    for wiki in (*wikis, COMMONS, COMMONS_FILES):
        store.add_coverage(wiki, users, START - timedelta(days=60), END + timedelta(days=60))


@pytest.fixture
def stored(store: Store) -> Store:
    people = [ParticipantRecord(user, line) for line, user in enumerate(PARTICIPANTS, start=1)]
    people[2] = ParticipantRecord(CID, 3, exists=False, state="missing")
    store_event(store, TITLE, people)
    store.add_contributions(
        "swwiki",
        [
            revision("swwiki", 101, ANA, START, sizediff=250, new=True, title="Maktaba ya Taifa"),
            revision("swwiki", 103, ANA, END, sizediff=-40),
            revision("swwiki", 104, ANA, END + SECOND),
            revision("swwiki", 201, BEA, START - SECOND),
        ],
    )
    store.add_contributions(
        "enwiki", [revision("enwiki", 102, ANA, START + timedelta(hours=5), sizediff=None)]
    )
    store.add_contributions(
        COMMONS,
        [
            revision(
                COMMONS, 105, ANA, START + timedelta(hours=6), namespace=6, new=True, title="File:Maktaba.jpg"
            ),
            revision(COMMONS, 106, ANA, START + timedelta(hours=7), namespace=6, title="File:Other.jpg"),
        ],
    )
    store.add_contributions("frwiki", [revision("frwiki", 401, DAN, START + timedelta(hours=1))])
    cover(store, [ANA, BEA, DAN])
    store.add_coverage("frwiki", [DAN], START - timedelta(days=60), END + timedelta(days=60))
    return store


@pytest.fixture
def app(stored: Store) -> flask.Flask:
    url = stored.engine.url.render_as_string(hide_password=False)
    return create_app({"DATABASE_URL": url, "TESTING": True})


@pytest.fixture
def client(app: flask.Flask) -> flask.testing.FlaskClient:
    return app.test_client()


def log_in(client: flask.testing.FlaskClient, user: str) -> None:
    """As the OAuth callback leaves the session (tool.web.auth): the wiki user's name."""
    with client.session_transaction() as session:
        session[USER] = user


def html(client: flask.testing.FlaskClient, path: str = URL, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def totals(page: str) -> dict[str, str]:
    """The totals of a ?uselang=qqx page: message key → the number shown (with its status)."""
    found = re.findall(r"<dt>\((why-total-[a-z-]+)\)</dt><dd>(.*?)</dd>", page)
    return {key: re.sub(r"<[^>]+>", "", value) for key, value in found}


def diff_links(page: str) -> list[str]:
    return re.findall(r'href="([^"]*\?diff=\d+)"', page)


def test_an_organizer_sees_every_counted_contribution_with_its_diff_link(
    client: flask.testing.FlaskClient,
) -> None:
    log_in(client, ORGANIZER)
    page = html(client, URL + "?uselang=qqx")
    # In time order; the edges of W are in, the second after the end and a Commons edit are not.
    assert diff_links(page) == [
        f"{SW}?diff=101",
        f"{EN}?diff=102",
        f"{COMMONS_INDEX}?diff=105",
        f"{SW}?diff=103",
    ]
    assert totals(page) == {
        "why-total-edits": "3 ((figure-status-partial))",  # Eve's data is not fetched yet
        "why-total-uploads": "1 ((figure-status-partial))",
        "why-total-participants": "5",
        "why-total-with-counted": "1 ((figure-status-partial))",
    }
    assert "(why-status-partial)" in page
    assert "(why-intro-commons)" in page
    assert f'href="{SW}?title=Maktaba_ya_Taifa"' in page
    assert '<span dir="ltr">+250</span>' in page
    assert "(why-size-unknown)" in page  # r102: the wiki could not tell
    assert "(why-upload-only)" in page
    # Every participant, with what is counted or why nothing is.
    for user in PARTICIPANTS:
        assert f"<td>{user}</td>" in page
    assert "(why-reason-before: last=&#39;2026-03-13 23:59&#39;)" in page
    assert "(why-reason-no-account)" in page
    assert "(why-reason-elsewhere: list_wikis=[&#39;frwiki&#39;])" in page
    assert "(why-reason-not-fetched: list_wikis=[&#39;enwiki&#39;, &#39;swwiki&#39;])" in page
    # Each person's own count is final once their own data holds the event: Eve's is not yet.
    people = page.split('id="eo-why-people"')[1].split('id="eo-why-contributions"')[0]
    rows = dict(re.findall(r"<td>([^<]+)</td>\s*<td[^>]*>(.*?)</td>", people))
    assert rows[ANA] == "4"
    assert rows[BEA] == rows[CID] == rows[DAN] == "0"
    assert re.sub(r"<[^>]+>", "", rows[EVE]) == "0 ((figure-status-partial))"
    # The totals by reason: one participant each.
    for code in ("before", "no-account", "elsewhere", "not-fetched"):
        assert re.search(rf"<td>\(why-reason-{code}-total\)</td>\s*<td[^>]*>1</td>", page), code


def test_the_reasons_read_in_english(client: flask.testing.FlaskClient) -> None:
    log_in(client, ORGANIZER)
    page = html(client, URL)
    assert "all from before the event (the last at 2026-03-13 23:59 UTC)" in page
    assert "No account of this name exists" in page
    assert "only on frwiki, which the event does not track" in page
    assert "Their edits on enwiki and swwiki have not been fetched yet" in page
    assert "from 2026-03-14 00:00 to 2026-03-15 23:59 (UTC) on the wikis it tracks: enwiki and swwiki" in page


def test_an_organizer_named_with_underscores_and_a_small_letter_is_one(
    client: flask.testing.FlaskClient,
) -> None:
    log_in(client, OTHER_ORGANIZER)  # the page writes "bob_helper"
    page = html(client)
    assert BEA in page
    assert len(diff_links(page)) == 4


@pytest.mark.parametrize("visitor", [None, "Zed Stranger", "Olive"])
def test_anyone_else_sees_the_totals_and_no_ones_name(
    client: flask.testing.FlaskClient, visitor: str | None
) -> None:
    if visitor:
        log_in(client, visitor)  # "Olive" is only the link's text on the page, not the account
    page = html(client, URL + "?uselang=qqx")
    for user in PARTICIPANTS:
        assert user not in page
    assert diff_links(page) == []
    assert "(why-details-private)" in page
    assert totals(page)["why-total-edits"] == "3 ((figure-status-partial))"
    assert totals(page)["why-total-participants"] == "5"
    assert client.get(URL + ".csv").status_code == 403


def test_a_participant_sees_their_own_row_and_no_one_elses(client: flask.testing.FlaskClient) -> None:
    log_in(client, BEA)
    page = html(client, URL + "?uselang=qqx")
    assert f"<td>{BEA}</td>" in page
    assert "(why-reason-before: last=&#39;2026-03-13 23:59&#39;)" in page
    assert "(why-contributions-none)" in page
    for user in (ANA, CID, DAN, EVE):
        assert user not in page
    assert diff_links(page) == []

    log_in(client, EVE)  # her own list is not final: nothing of hers is fetched yet
    page = html(client, URL + "?uselang=qqx")
    assert re.search(r"\(why-contributions-none\) <span[^>]*>\(\(figure-status-partial\)\)", page)
    for user in (ANA, BEA, CID, DAN):
        assert user not in page

    log_in(client, ANA)
    page = html(client, URL + "?uselang=qqx")
    assert f"<td>{ANA}</td>" in page
    assert len(diff_links(page)) == 4  # her own
    for user in (BEA, CID, DAN, EVE):
        assert user not in page


def test_names_without_an_account_get_their_reasons(store: Store, app: flask.Flask) -> None:
    invalid = ParticipantRecord("Not<a>name", 2, exists=False, state="invalid")
    store_event(store, "Event:Lonely", [ParticipantRecord(CID, 1, exists=False, state="missing"), invalid])
    client = app.test_client()
    log_in(client, ORGANIZER)
    page = html(client, "/event/Event:Lonely/contributions?uselang=qqx")
    assert f"<td>{CID}</td>" in page
    assert "(why-reason-no-account)" in page
    assert "<td>Not&lt;a&gt;name</td>" in page  # escaped
    assert "(why-reason-invalid-name)" in page
    assert totals(page)["why-total-edits"] == "0"  # nobody's data is missing: 0 is the count
    assert "(why-contributions-none)" in page


def test_the_csv_is_the_same_list_for_the_same_people(client: flask.testing.FlaskClient) -> None:
    assert client.get(URL + ".csv").status_code == 403
    log_in(client, ORGANIZER)
    response = client.get(URL + ".csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "timestamp", "wiki", "page", "user", "size_change", "created", "counted_as", "diff", "status"
    ]  # fmt: skip
    # Eve's data is missing, so the list may lack rows: each row says so.
    assert [row[:-1] for row in rows[1:]] == [
        ["2026-03-14T00:00:00Z", "swwiki", "Maktaba ya Taifa", ANA, "250", "yes", "edit", f"{SW}?diff=101"],
        ["2026-03-14T05:00:00Z", "enwiki", "Page 102", ANA, "unknown", "no", "edit", f"{EN}?diff=102"],
        [
            "2026-03-14T06:00:00Z",
            COMMONS,
            "File:Maktaba.jpg",
            ANA,
            "10",
            "yes",
            "upload",
            f"{COMMONS_INDEX}?diff=105",
        ],
        ["2026-03-15T23:59:59Z", "swwiki", "Page 103", ANA, "-40", "no", "edit", f"{SW}?diff=103"],
    ]
    assert {row[-1] for row in rows[1:]} == {"partial"}

    log_in(client, BEA)  # nothing of hers is counted, and her data is complete: the list is empty
    rows = list(csv.reader(io.StringIO(client.get(URL + ".csv").get_data(as_text=True))))
    assert rows[1:] == []
    log_in(client, EVE)  # nothing of hers is fetched yet: the empty list says it is not final
    rows = list(csv.reader(io.StringIO(client.get(URL + ".csv").get_data(as_text=True))))
    assert rows[1:] == [["", "", "", "", "", "", "", "", "partial"]]


def test_a_title_that_starts_a_formula_is_text_in_the_csv(store: Store, app: flask.Flask) -> None:
    store_event(store, "Event:Formula", [ParticipantRecord(FAY, 1)])
    store.add_contributions("swwiki", [revision("swwiki", 901, FAY, START, title="=HYPERLINK(1)")])
    cover(store, [FAY])
    client = app.test_client()
    log_in(client, FAY)
    rows = list(
        csv.reader(io.StringIO(client.get("/event/Event:Formula/contributions.csv").get_data(as_text=True)))
    )
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert rows[1][-1] == "ok"


def test_a_long_list_comes_in_pages_of_200(store: Store, app: flask.Flask) -> None:
    store_event(store, "Event:Busy", [ParticipantRecord(FAY, 1)])
    store.add_contributions(
        "swwiki", [revision("swwiki", 1000 + i, FAY, START + i * timedelta(minutes=1)) for i in range(450)]
    )
    cover(store, [FAY])
    client = app.test_client()
    log_in(client, ORGANIZER)
    base = "/event/Event:Busy/contributions?uselang=qqx"
    first = html(client, base)
    assert totals(first)["why-total-edits"] == "450"  # everything fetched, the event over: no status
    assert diff_links(first)[0] == f"{SW}?diff=1000"
    assert len(diff_links(first)) == 200
    assert "(why-pager-position: page=1, pages=3, num_rows=450)" in first
    assert 'href="/event/Event:Busy/contributions?uselang=qqx&amp;page=2"' in first
    third = html(client, base + "&page=3")
    assert diff_links(third) == [f"{SW}?diff={1000 + i}" for i in range(400, 450)]
    # Past the end: the last page (the footer's language form echoes the query; the page is the same).
    main_of = lambda page: page.split("<main")[1].split("</main>")[0]  # noqa: E731
    assert main_of(html(client, base + "&page=99")) == main_of(third)
    assert len(html(client, base + "&page=2&people=5").split("?diff=")) - 1 == 200
    for bad in ("0", "-1", "abc", "1.5", "١", "9" * 40):
        page = html(client, f"{base}&page={bad}", status=400)
        assert "(why-bad-page-body: value=" in page
        assert "9" * 41 not in page  # a long value is cut short


def test_a_running_event_is_pending(store: Store, app: flask.Flask) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    store.save_event(
        event_record("Event:Running", fields={"organizers": ORGANIZER}, start=now - timedelta(days=1),
                     end=now + timedelta(days=1), wikis=["swwiki"])
    )  # fmt: skip
    store.replace_participants("Event:Running", [ParticipantRecord(ANA, 1)])
    client = app.test_client()
    page = html(client, "/event/Event:Running/contributions?uselang=qqx")
    assert "(why-status-pending)" in page
    assert totals(page)["why-total-edits"] == "0 ((figure-status-pending))"


def test_an_event_that_cannot_be_counted_says_why(store: Store, app: flask.Flask) -> None:
    store.save_event(event_record("Event:No dates", start=None, end=None, problems=[]))
    page = html(app.test_client(), "/event/Event:No_dates/contributions?uselang=qqx")
    assert "(why-not-evaluable-heading)" in page
    assert "(evaluate-missing-fields-see-page" in page


def test_the_contributions_route_wins_over_the_event_route(client: flask.testing.FlaskClient) -> None:
    assert "(why-heading" in html(client, URL + "?uselang=qqx")
    event_page = html(client, "/event/Event:Nairobi_training_2026?uselang=qqx")
    assert "(why-heading" not in event_page
    assert "Nairobi training" in event_page
    assert client.get(URL + ".csv").status_code == 403  # the CSV route, not an event "…/contributions.csv"
    for path in ("/event/Event:Unknown/contributions", "/event/Event:Unknown/contributions.csv"):
        assert client.get(path).status_code == 404


def test_the_page_is_never_kept_by_a_shared_cache(client: flask.testing.FlaskClient) -> None:
    response = client.get(URL)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in response.headers["Vary"]
