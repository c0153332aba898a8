"""Fuzzing the page parsers (issue #12, item 5): generated pages (tests/fuzz_pages.py) never make
them raise, and each gives a result that can be stored and shown.

Here the ``ci`` profile's 300 pages each; ``make fuzz`` runs 10,000 with their timings (bench/fuzz.py),
and ``HYPOTHESIS_PROFILE=fuzz pytest tests/test_parser_fuzz.py`` the same count without them.
"""

from __future__ import annotations

from hypothesis import example, given

from tests.fuzz_pages import check_cohort_page, check_event_page, pages


@given(pages)
@example("")
@example("{{Event outcomes")
@example("{{Event outcomes|start=2026-03-14|end=2026-03-15|wikis=enwiki}}\n== Participants ==\n# [[User:A]]")
def test_any_event_page_gives_a_result(text: str) -> None:
    check_event_page(text)


@given(pages)
@example("")
@example("{{Event outcomes cohort|events=A;;B|match=cohort}}\n== Events ==\n* [[A]]")
def test_any_cohort_page_gives_a_result(text: str) -> None:
    check_cohort_page(text)
