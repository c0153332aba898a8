"""Parsing is linear-time whatever the page holds (issue #7); input beyond sane limits is cut.

No test here measures time. Each hostile shape is given at a size the parser before issue #7
needed from half a minute to hours for (so those tests hung: failed), and each checks what is
read and reported: the parse returns, the participants before and after the hostile part are
read, and the expected problem names its line. The helpers rewritten to scan linearly are
checked against the regular expressions they replace, on short texts where those are exact.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

import mwparserfromhell
import pytest

from tool import messages
from tool.wiki import wikitext as markup
from tool.wiki.cohortpage import parse_cohort
from tool.wiki.eventpage import ParsedEvent, parse_event, plain
from tool.wiki.participants import MAX_LINE_ITEMS, parse_participants
from tool.wiki.problems import Problem
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo
from tool.wiki.usernames import clean

DATA = Path(__file__).parent / "data"
META = SiteInfo.from_api(json.loads((DATA / "siteinfo-metawiki.json").read_text()))
TEMPLATE = "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki}}\n"
HEAD = TEMPLATE + "== Participants ==\n# [[User:Before]]\n"
TAIL = "\n# [[User:After]]\n"


def parse(text: str) -> ParsedEvent:
    return parse_event(text, META, Registry(), title="Event:Hostile")


def users(event: ParsedEvent) -> list[str]:
    return [p.user for p in event.participants]


def codes(problems: list[Problem]) -> list[tuple[int | None, str]]:
    return [(p.line, p.code) for p in problems]


# The definitions before issue #7: exact on short texts, super-linear on hostile long ones.
OLD_HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*(?:<!--.*?-->\s*)*$")
OLD_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(?:nowiki|pre|syntaxhighlight|source|math)\b[^>]*/>"
    r"|<(nowiki|pre|syntaxhighlight|source|math)\b[^>]*>.*?(?:</\1\s*>|\Z)",
    re.S | re.I,
)
OLD_TEMPLATE_START = re.compile(r"\{\{\s*([^{}|<>\[\]\n]*?)\s*(?=\||\}\}|\n)")


def old_template_starts(text: str, names: set[str]) -> list[int]:
    starts = []
    for match in OLD_TEMPLATE_START.finditer(text):
        name = " ".join(match.group(1).replace("_", " ").split()).casefold()
        name = name[len("template:") :].strip() if name.startswith("template:") else name
        if name in names:
            starts.append(match.start())
    return starts


def old_split_outside(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = index = 0
    while index < len(text):
        pair = text[index : index + 2]
        if pair in ("{{", "[["):
            depth += 1
        elif pair in ("}}", "]]") and depth:
            depth -= 1
        else:
            if text[index] in separators and not depth:
                parts.append("".join(current))
                current = []
            else:
                current.append(text[index])
            index += 1
            continue
        current.append(pair)
        index += 2
    parts.append("".join(current))
    return parts


def old_template_end(text: str, start: int) -> int | None:
    depth = 0
    for match in re.finditer(r"\{\{|\}\}", text[start:]):
        depth += 1 if match.group() == "{{" else -1
        if depth == 0:
            return start + match.end()
    return None


def _random_texts(alphabet: list[str], count: int, longest: int, seed: int) -> list[str]:
    pick = random.Random(seed)
    return ["".join(pick.choice(alphabet) for _ in range(pick.randint(0, longest))) for _ in range(count)]


def test_headings_are_read_as_the_old_expression_read_them() -> None:
    alphabet = ["=", "=", "=", " ", " ", "\t", "a", "b", "<!--", "-->", "-", "<", "\u00a0", "x y"]
    for line in _random_texts(alphabet, 20_000, 12, seed=1):
        line = "=" + line
        old = OLD_HEADING.match(line.rstrip())
        assert markup.heading_of(line) == ((len(old.group(1)), old.group(2)) if old else None), repr(line)


def test_template_starts_are_found_as_the_old_expression_found_them() -> None:
    alphabet = [
        "{{",
        "{",
        "}}",
        "}",
        " ",
        "\n",
        "\t",
        "|",
        "u",
        "Event outcomes",
        "Template:",
        "_",
        "<",
        "[",
        "x",
    ]
    names = {"u", "event outcomes", "x", "u x"}
    for text in _random_texts(alphabet, 20_000, 10, seed=2):
        assert markup.template_starts(text, names) == old_template_starts(text, names), repr(text)


def test_hidden_text_is_blanked_as_the_old_expression_blanked_it() -> None:
    alphabet = ["<", ">", "/", "<!--", "-->", "<nowiki", "</nowiki", "<NoWiki", "<pre", "</pre ", "<math",
                "</math>", " ", "\n", "x", "<nowikix", "<pre/>", "<source>", "</source>"]  # fmt: skip
    for text in _random_texts(alphabet, 20_000, 12, seed=3):
        old = OLD_HIDDEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        assert markup.blank_hidden(text) == old, repr(text)


def test_splitting_and_template_ends_are_as_before() -> None:
    alphabet = ["{{", "}}", "[[", "]]", "{", "}", "[", "]", "|", ",", ";", "x", " "]
    for text in _random_texts(alphabet, 10_000, 14, seed=4):
        assert markup.split_outside(text, "|") == old_split_outside(text, "|"), repr(text)
        assert markup.split_outside(text, ",;") == old_split_outside(text, ",;"), repr(text)
        for start in range(len(text)):
            assert markup.template_end(text, start) == old_template_end(text, start), (repr(text), start)


def test_brace_counting_agrees_across_window_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    # Long texts are counted a window at a time; tiny windows put a boundary everywhere.
    monkeypatch.setattr(markup, "_WINDOW", 3)
    for text in _random_texts(["{{", "}}", "{", "}", "[[", "]]", "x", "|"], 5_000, 16, seed=5):
        assert markup.split_outside(text, "|") == old_split_outside(text, "|"), repr(text)
        for start in range(len(text)):
            assert markup.template_end(text, start) == old_template_end(text, start), (repr(text), start)


class _Counting:
    """A token pattern that counts the characters it is asked to scan."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.scanned = pattern, 0

    def match(self, text: str, at: int) -> re.Match[str] | None:
        return self.pattern.match(text, at)

    def search(self, text: str, at: int) -> re.Match[str] | None:
        return self.pattern.search(text, at)

    def findall(self, text: str, at: int, end: int) -> list[str]:
        self.scanned += end - at
        return self.pattern.findall(text, at, end)

    def finditer(self, text: str, at: int, end: int) -> Iterator[re.Match[str]]:
        self.scanned += end - at
        return self.pattern.finditer(text, at, end)


def test_nested_pairs_are_counted_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _Counting(markup._NESTING)
    tokens: dict[object, object] = markup._TOKENS  # type: ignore[assignment]
    monkeypatch.setitem(tokens, counting, markup._TOKENS[markup._NESTING])
    monkeypatch.setattr(markup, "_NESTING", counting)
    text = "[[a|[[b]]]]|" * 10_000 + "{{a|{{b|[[c]]}}}}|" * 10_000
    assert len(markup.split_outside(text, "|")) == 20_001
    # Windows grow from small: 20,000 groups of 12 to 18 characters are not each given a window
    # of 64 KiB (which would be 2.6 billion characters).
    assert counting.scanned <= 10 * len(text)


def test_text_without_markup_is_its_own_plain_text() -> None:
    # plain() hands mwparserfromhell only text with markup in it.
    alphabet = [*'abc XYZ09.,()-:;#*=/"?%$@^+`\t\n', "http", "https:", "mailto:", "ISBN ", "é", "\u00a0"]
    for text in _random_texts(alphabet, 20_000, 15, seed=6):
        if not markup.has_markup(text):
            assert clean(mwparserfromhell.parse(text).strip_code()) == clean(text), repr(text)


def test_beyond_the_budget_markup_is_stripped_simply() -> None:
    spent = markup.Budget(units=0)
    assert plain("[[Main Page|the ''main'' page]] {{u|x}} <b>bold</b> [https://x.org link]", spent) == (
        "the main page bold link"
    )
    assert plain("[[Main Page|the ''main'' page]] {{u|x}} <b>bold</b> [https://x.org link]") == (
        "the main page bold link"
    )


# The shapes of issue #7, each at a size the old parser took half a minute or more for.


def test_a_heading_of_spaces() -> None:
    line = "=" + " " * 4_000 + "x\n"  # old: about 80 s a line
    event = parse(HEAD + line * 3 + TAIL)
    assert users(event) == ["Before", "After"]  # not a heading: the section goes on
    assert event.problems == []


def test_a_template_start_of_spaces_in_the_participants_section() -> None:
    line = "# {{" + " " * 4_000 + "<\n"  # old: about 80 s a line
    event = parse(HEAD + line * 3 + TAIL)
    assert users(event) == ["Before", "After"]
    assert [u.line for u in event.unresolved] == [4, 5, 6]
    assert event.problems == []


def test_ten_thousand_participants_sections() -> None:
    sections = "".join(f"== Participants ==\n# [[User:P{n}]]\n" for n in range(10_000))
    event = parse(TEMPLATE + sections)
    assert len(event.participants) == 10_000
    assert event.participants[-1].line == 20_001
    assert event.problems == []


def test_more_headings_than_are_looked_at() -> None:
    empty = "== Participants ==\n" * 40_000  # old: about 40 s
    event = parse(TEMPLATE + "== Participants ==\n# [[User:First]]\n" + empty + "# [[User:Late]]\n")
    cut = 4 + markup.MAX_HEADINGS - 1  # the first heading past the limit
    assert [(p.field, p.line, p.code) for p in event.problems] == [("page", cut, "problem-too-many-headings")]
    assert users(event) == ["First"]  # the sections after the limit are not looked at


def test_long_unclosed_nowiki() -> None:
    intro = "<nowiki " * 120_000 + "\n"  # old: over a minute
    event = parse(TEMPLATE + intro + "== Participants ==\n# [[User:Before]]" + TAIL)
    assert users(event) == ["Before", "After"]
    assert event.problems == []


def test_long_unclosed_nowiki_on_a_participants_line() -> None:
    event = parse(HEAD + "# " + "<nowiki " * 80_000 + TAIL)
    assert users(event) == ["Before", "After"]
    assert codes(event.problems) == [(4, "problem-line-too-long")]
    assert "10000 characters" in event.problems[0].message


def test_nested_templates() -> None:
    line = "# " + "{{u|" * 10_000 + "X" + "}}" * 10_000  # old: about 35 s
    event = parse(HEAD + line + TAIL)
    assert users(event) == ["Before", "After"]
    assert codes(event.problems) == [(4, "problem-line-too-long")]
    deep = MAX_LINE_ITEMS - 1  # the innermost template is the first valid name
    event = parse(HEAD + "# " + "{{u|" * deep + "Inner" + "}}" * deep + TAIL)
    assert users(event) == ["Before", "Inner", "After"]


def test_nested_templates_deeper_than_a_line_is_read() -> None:
    deep = 1_600  # within the line length: old about 2 s a line
    line = "# " + "{{u|" * deep + "X" + "}}" * deep + "\n"
    event = parse(HEAD + line * 20 + TAIL)
    assert users(event) == ["Before", "After"]
    # Only the first hundred braces of a line are read: here none closes, so nothing names anyone.
    assert [u.line for u in event.unresolved] == list(range(4, 24))


def test_unclosed_strikes_and_link_runs_in_fields() -> None:
    for run in ("<s>", "<s ", "[[a|", "{{a|", "<span ", "[[User:A|"):  # old: 40 s to hours each
        event = parse(
            TEMPLATE.replace("|wikis", "|name=" + run * 40_000 + "|wikis")
            + "== Participants ==\n# [[User:A]]"
            + TAIL
        )
        assert users(event)[-1] == "After", run
        assert ("name", 1, "problem-field-too-long") in [(p.field, p.line, p.code) for p in event.problems], (
            run
        )
        assert len(event.fields["name"]) == markup.MAX_LINE


def test_unclosed_strikes_on_participants_lines() -> None:
    line = "# " + "<s>" * 3_000 + "[[User:S]]\n"
    event = parse(HEAD + line * 3 + TAIL)
    assert users(event) == ["Before", "After"]
    assert [p.user for p in event.withdrawn] == ["S", "S", "S"]
    assert event.problems == []
    spaced = parse(HEAD + ("# " + "<s " * 3_000 + "[[User:T]]\n") * 3 + TAIL)
    assert users(spaced) == ["Before", "T", "After"]  # "<s " without ">" strikes nothing


@pytest.mark.parametrize("run", ["[[", "{{{{", "'''", "<", "[[a|", "{{", "<s>", "<!-- x -->"])
def test_long_lines_of_markup(run: str) -> None:
    event = parse(HEAD + "# " + run * 20_000 + TAIL)
    assert users(event) == ["Before", "After"]
    too_long = [] if run == "<!-- x -->" else [(4, "problem-line-too-long")]  # a comment is blanked
    assert codes(event.problems) == too_long


def test_an_unclosed_comment_hides_the_rest() -> None:
    event = parse(HEAD + "# <!--" * 20_000 + TAIL)
    assert users(event) == ["Before"]
    assert event.problems == []


# Sane limits, each with a problem that says where.


def test_a_page_beyond_the_size_limit_is_cut() -> None:
    lines = "".join(f"# [[User:P{n}]]\n" for n in range(200_000))
    text = HEAD + lines
    assert len(text.encode()) > markup.MAX_PAGE_BYTES
    event = parse(text)
    cut = [p for p in event.problems if p.code == "problem-page-too-long"]
    assert [(p.field, p.params) for p in cut] == [("page", {"limit": "2048"})]
    kept = markup.cut_page(text)[0]
    assert len(kept.encode()) <= markup.MAX_PAGE_BYTES
    assert cut[0].line == kept.count("\n") + 2  # the first line not read
    assert text.startswith(kept + "\n")


def test_cutting_keeps_whole_characters_and_lines() -> None:
    assert markup.cut_page("short") == ("short", None)
    text = "é" * (markup.MAX_PAGE_BYTES // 2 + 10)  # one line: cut inside it
    kept, line = markup.cut_page(text)
    assert line == 1
    assert len(kept.encode()) == markup.MAX_PAGE_BYTES
    kept, line = markup.cut_page("a\n" + "€" * markup.MAX_PAGE_BYTES)
    assert (kept, line) == ("a", 2)


def test_a_participants_line_too_long_to_read() -> None:
    long_line = "# [[User:Hidden]] " + "x" * markup.MAX_LINE
    event = parse(HEAD + "# [[User:Ana]]\n" + long_line + "\n# [[User:Bea]]" + TAIL)
    assert users(event) == ["Before", "Ana", "Bea", "After"]
    assert codes(event.problems) == [(5, "problem-line-too-long")]
    assert event.problems[0].params == {"line": "5", "limit": str(markup.MAX_LINE)}
    assert event.problems[0].message.startswith("Line 5 is longer than 10000 characters")
    exactly = parse(HEAD + "# [[User:Fits]] " + "x" * (markup.MAX_LINE - 16) + TAIL)
    assert users(exactly) == ["Before", "Fits", "After"]


def test_a_participants_page_beyond_the_limits() -> None:
    page = "".join(f"# [[User:P{n}]]\n" for n in range(markup.MAX_LIST_LINES + 5))
    result = parse_participants(page, META)
    assert len(result.participants) == markup.MAX_LIST_LINES
    assert codes(result.problems) == [(markup.MAX_LIST_LINES + 1, "problem-list-too-long")]
    assert "30000 lines" in result.problems[0].message


def test_a_list_with_more_markup_than_is_read() -> None:
    line = "# " + "[[Article]]" * 20 + "[[User:P{n}]]\n"  # 21 names read on each line
    lines = "".join(line.format(n=n) for n in range(markup.MAX_LIST_READS // 21 + 10))
    event = parse(HEAD + lines + TAIL)
    problems = [p for p in event.problems if p.code == "problem-list-too-long"]
    assert len(problems) == 1
    assert problems[0].line is not None
    assert users(event)[-1] == f"P{problems[0].line - 5}"  # every line before the problem's is read
    assert "After" not in users(event)


def test_a_line_with_more_names_than_are_read() -> None:
    many = "".join(f"[[User:<{n}]]" for n in range(MAX_LINE_ITEMS)) + "[[User:Late]]"
    result = parse_participants("# " + many + "\n# [[User:Next]]", META)
    assert [p.user for p in result.participants] == ["Next"]
    assert [u.code for u in result.unresolved] == ["problem-username-character"]


def test_too_many_template_parameters() -> None:
    params = "".join(f"\n|x{n}=1" for n in range(markup.MAX_FIELDS + 50))
    event = parse(
        "{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki"
        + params
        + "\n}}\n== Participants =="
        + TAIL
    )
    cut = [p for p in event.problems if p.code == "problem-too-many-fields"]
    assert [(p.field, p.line) for p in cut] == [("page", markup.MAX_FIELDS - 1)]  # 3 fields on line 1
    assert len(event.fields) == markup.MAX_FIELDS
    assert users(event) == ["After"]


def test_a_cohort_page_beyond_the_limits() -> None:
    links = "".join(f"* [[Event {n}]]\n" for n in range(markup.MAX_EVENTS + 5))
    cohort = parse_cohort("{{Event outcomes cohort|name=C}}\n== Events ==\n" + links, META, title="Cohort:C")
    assert len(cohort.events) == markup.MAX_EVENTS
    assert codes(cohort.problems) == [(markup.MAX_EVENTS + 3, "problem-too-many-events")]
    long_field = parse_cohort(
        "{{Event outcomes cohort|events=" + "[[E]];" * 5_000 + "}}", META, title="Cohort:C"
    )
    assert codes(long_field.problems) == [(1, "problem-field-too-long")]
    assert long_field.events[0] == "E"  # (and the cut piece of a link after it)


def test_new_problems_have_messages_and_documentation() -> None:
    english = json.loads((Path(__file__).parent.parent / "i18n" / "en.json").read_text(encoding="utf-8"))
    documented = json.loads((Path(__file__).parent.parent / "i18n" / "qqq.json").read_text(encoding="utf-8"))
    for code in ("problem-page-too-long", "problem-line-too-long", "problem-field-too-long",
                 "problem-list-too-long", "problem-too-many-headings", "problem-too-many-fields",
                 "problem-too-many-events"):  # fmt: skip
        assert code in english, code
        assert code in documented, code
        assert messages.text(code, "en", line=1, limit=2, field="x", lines=3, reads=4)


# Random pages of hostile pieces: nothing raises, whatever the mix.

FRAGMENTS = (
    "=", " " * 300, "x", "\n", "# {{", "<", "<nowiki", "<nowiki>", "</nowiki>", "<nowiki/>", "{{", "}}",
    "{{u|", "{{ping|", "[[", "]]", "[[a|", "[[User:", "<s>", "<s ", "</s>", "<!--", "-->", "'''",
    "== Participants ==\n", "== Events ==\n", "{{Event outcomes|start=2026-03-14|", "|name=", "|organizers=",
    "https://x.org/wiki/User:", "&#", "|", "\n# ", "\n#: ", "Ana",
)  # fmt: skip


@pytest.mark.parametrize("seed", range(30))
def test_random_hostile_pages_never_raise(seed: int) -> None:
    pick = random.Random(seed)
    text = "".join(pick.choice(FRAGMENTS) * pick.choice((1, 1, 10, 500)) for _ in range(pick.randint(1, 300)))
    event = parse(text)
    event.to_json()
    parse_cohort(text, META, title="Cohort:Fuzz").to_json()
    parse_participants(text, META)
    for problem in event.problems:
        assert problem.message
