"""Generated event and cohort pages for fuzzing the page parsers (issue #12, item 5), and what every
parse must give: a result, never an exception.

A page is a sequence of pieces, each one of:

- a real fragment: a line of the farm's event and cohort pages (devwiki's generator writes them
  as organizers do) or of the participant sections people really write (tests/participant_corpus.py);
- a markup token: template, link, heading, list, table, comment, nowiki, strike and signature
  openings and closings, alone, so they meet in every order;
- random text over wikitext's special characters, letters of several scripts and controls;
- a hostile shape of issue #7 (tests/test_parser_limits.py, bench/parse.py): one token repeated up
  to tens of thousands of times (huge lines, unclosed templates and comments, runs of pipes and
  brackets), or templates nested thousands deep;
- a real page with any of the above inserted at any point.

Hypothesis profiles set how many pages a run tries: ``ci`` (the default, 300 pages, the same ones
each run) and ``fuzz`` (10,000, new ones each run; ``make fuzz``), chosen by HYPOTHESIS_PROFILE.
Neither keeps a database of examples: a failure prints the page that failed and how to replay it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from devwiki.generator import PROFILES, generate
from tests.participant_corpus import CASES
from tool.wiki.cohortpage import ParsedCohort, parse_cohort
from tool.wiki.eventpage import ParsedEvent, parse_event
from tool.wiki.problems import Problem
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "ci", max_examples=300, derandomize=True, deadline=None, database=None, suppress_health_check=_QUIET
)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, database=None, suppress_health_check=_QUIET, print_blob=True
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

META = SiteInfo.from_api(json.loads((Path(__file__).parent / "data" / "siteinfo-metawiki.json").read_text()))
REGISTRY = Registry()


def _farm_pages() -> list[str]:
    """The latest text of each event and cohort page of the farm's test profile."""
    latest = {
        r.title: r.text for r in generate(PROFILES["test"]).revisions if r.wiki == "metawiki" and r.text
    }
    return [text for text in latest.values() if "{{Event outcomes" in text]


REAL_PAGES = _farm_pages()
REAL_LINES = sorted(
    {line for page in REAL_PAGES for line in page.split("\n")}
    | {line for case in CASES for line in case.text.split("\n")}
)
TOKENS = (
    "{{Event outcomes", "{{Event outcomes cohort", "{{event_outcomes", "{{Template:Event outcomes", "{{",
    "}}", "{{{", "}}}", "{{{1}}}", "|", "||", "=", "|start=", "|end=", "|wikis=", "|timezone=", "|name=",
    "|organizers=", "|participants=", "|events=", "|match=cohort", "|goal_participants=", "|registration=",
    "|namespaces=", "[[", "]]", "[[User:", "[[User talk:", "[[Usuaria:", "[[Benutzerin:", "[[:de:Benutzer:",
    "[[m:User:", "[[Special:Contributions/", "[[Spezial:Beiträge/", "[[مستخدم:", "[[File:", "[http://x.org ",
    "]", "== Participants ==", "== Events ==", "== Teilnehmende ==", "== المشاركون ==", "=", "==", "======",
    "\n", "\n\n", "\n#", "\n# ", "\n#:", "\n*", "\n:", "\n;", "\n{|", "\n|-", "\n|}", "\n----",
    "<!--", "-->", "<nowiki>", "</nowiki>", "<nowiki/>", "<pre>", "</pre>", "<s>", "</s>", "<del>",
    "</del>", "<span ", "<b>", "{{strike|", "{{ping|", "{{u|", "{{user|", "{{Event participant|", "~~~~",
    "([[User talk:A|talk]]) 10:01, 14 March 2026 (UTC)", "&amp;", "&#124;", "&nbsp;", "%7C", "_",
)  # fmt: skip
# Runs repeated up to tens of thousands of times: the shapes that once made parsing super-linear.
HOSTILE_RUNS = (
    "{{", "}}", "{{{{", "[[", "]]", "[[a|", "{{a|", "{{u|", "|", "=", " ", "'''", "<", "<s>", "<s ",
    "<span ", "<b ", "<!--", "<!-- x -->", "<nowiki ", "# <nowiki\n", "<nowiki/>", "[[User:A|",
    "[http://a ", "\n", "#a\n", "#[[User:A]]\n", "== Participants ==\n", "=x=\n", "|a=1", "[[Event]];",
    "* [[E]]\n", "\u200f", "ä", "{{Event outcomes|", "<!---->", "=" + " " * 40 + "x\n",
)  # fmt: skip
# Any character UTF-8 can encode (no lone surrogates: a wiki's text is valid Unicode).
_ALPHABET = st.sampled_from(list("{}[]|=<>!-#*:;'/&~_ \n\tabcXYZ09.,")) | st.characters(codec="utf-8")

random_text = st.text(alphabet=_ALPHABET, max_size=120)
repeated = st.builds(lambda run, times: run * times, st.sampled_from(HOSTILE_RUNS), st.integers(1, 40_000))
nested = st.builds(
    lambda depth, inner: "{{u|" * depth + inner + "}}" * depth,
    st.integers(1, 5_000),
    st.sampled_from(["X", "[[User:X]]", "", "|", "{{"]),
)
piece = st.one_of(st.sampled_from(REAL_LINES), st.sampled_from(TOKENS), random_text, repeated, nested)
_built = st.lists(st.tuples(piece, st.sampled_from(["", "\n", " ", "|"])), max_size=60).map(
    lambda parts: "".join(text + separator for text, separator in parts)
)
_spliced = st.builds(
    lambda page, at, insert: page[: at % (len(page) + 1)] + insert + page[at % (len(page) + 1) :],
    st.sampled_from(REAL_PAGES),
    st.integers(0, 10_000),
    st.one_of(piece, st.lists(piece, max_size=8).map("".join)),
)
#: Any page: built from pieces, or a real page with pieces spliced in.
pages = st.one_of(_built, _spliced)


def check_event_page(text: str) -> ParsedEvent:
    """Parse ``text`` as an event page: a result, serializable as stored, every problem in words."""
    event = parse_event(text, META, REGISTRY, title="Event:Fuzz")
    assert isinstance(event, ParsedEvent)
    json.dumps(event.to_json())
    _check_problems(event.problems, text)
    return event


def check_cohort_page(text: str) -> ParsedCohort:
    """Parse ``text`` as a cohort page, with the same guarantees."""
    cohort = parse_cohort(text, META, title="Fuzz cohort")
    assert isinstance(cohort, ParsedCohort)
    json.dumps(cohort.to_json())
    _check_problems(cohort.problems, text)
    return cohort


def _check_problems(problems: list[Problem], text: str) -> None:
    lines = text.count("\n") + 1
    for problem in problems:
        assert problem.message, problem.code  # its English text exists
        # The line a problem names is on the page (or the first one past a cut page).
        assert problem.line is None or 1 <= problem.line <= lines + 1, (problem.code, problem.line, lines)
