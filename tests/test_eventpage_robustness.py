"""Bad input never raises: pages cut and spliced at random from the pieces real pages are made of.

The other bad-input tests (no template, two templates, bad dates, unknown wiki, 2 MB, 10,000
participants, unclosed markup) check what is reported; this one checks that nothing escapes,
whatever the order of the pieces. The generator is seeded, so a failure names a page that can be
printed again.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tool.wiki.cohortpage import parse_cohort
from tool.wiki.eventpage import parse_event
from tool.wiki.participants import parse_participants
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo

META = SiteInfo.from_api(json.loads((Path(__file__).parent / "data" / "siteinfo-metawiki.json").read_text()))
PIECES = (
    "{{Event outcomes", "{{Event outcomes cohort", "|start=2026-03-14", "|end=", "|end=2026-02-30",
    "|timezone=Africa/Nairobi", "|timezone=Mars/Olympus", "|wikis=enwiki, nowhere", "|goal_participants=x",
    "|goal_=", "|=", "|events=A;;B", "|match=cohort", "|organizers=[[User:", "|participants=[[", "}}", "}}}",
    "{{", "{{{1}}}", "[[", "]]", "[[User:", "[[User:Ana|", "[[Special:Contributions/", "[[m:",
    "[[:de:Benutzer:",
    "== Participants ==", "== Events ==", "===", "=", "\n", "\n# ", "\n#: ", "\n* ", "\n| ", "\n{|", "\n|}",
    "<s>", "</s>", "<del>", "<!--", "-->", "<nowiki>", "</nowiki>", "<pre>", "{{ping|", "{{u|", "{{strike|",
    "{{Event participant|", "https://", "https://x.org/wiki/User:", "%", "&#", "&amp;", "~~~", "\u200f",
    "192.0.2.1", "ǆ", "ß", "ა", "\x00", "\ufffd", " ", "|", ":", "#", "/", "Ana", "Bea_bea",
)  # fmt: skip


def _page(seed: int) -> str:
    pick = random.Random(seed)
    return "".join(pick.choice(PIECES) for _ in range(pick.randint(1, 120)))


@pytest.mark.parametrize("seed", range(400))
def test_random_pages_never_raise(seed: int) -> None:
    text = _page(seed)
    event = parse_event(text, META, Registry(), title="Event:Fuzz")
    event.to_json()
    parse_cohort(text, META, title="Cohort:Fuzz").to_json()
    parse_participants(text, META)
    for problem in event.problems:
        assert problem.message  # every problem has its English text
