"""How a figure reads on a page: its number in the reader's language, with its denominator, its
rate per participant and its status (DESIGN §5: rates are shown with their denominators).

Every figure is one of four kinds, and compares across events and groups as that kind says:

- people (participants): a count of distinct people;
- a share of people (new editors, retention): "12 of 40 (30 %)", compared as the share;
- a count of things (edits, articles, bytes, uploads): compared per participant,
  "124 — 3.1 per participant (40 people)";
- a rate per person already (edits per week): "3.1 a week (40 people)".

A pending figure reads as no number at all, a partial one keeps its number and says so: the
status goes beside the text (``Reading.status``), for the page to show as a word.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import babel.numbers

from tool import formats, messages
from tool.metrics import Figure
from tool.metrics.keys import DURING_KEYS
from tool.metrics.windows import Status

Kind = Literal["people", "share", "count", "rate"]

PEOPLE = "participants"
# Shares whose denominator is not carried by the figure itself: out of the participants.
_SHARES_OF_PARTICIPANTS = ("new_editors",)
_COUNTS = DURING_KEYS
_STATUS_ORDER: dict[Status, int] = {"ok": 0, "partial": 1, "pending": 2}


@dataclass(frozen=True)
class Reading:
    """A figure as text, and its status for the page to show as a word beside it."""

    text: str
    status: Status

    def sentence(self, lang: str) -> str:
        """The text with its status in words, for a text alternative (screen readers, charts)."""
        if self.status == "pending":
            return messages.text("figure-status-pending", lang)
        if self.status == "partial":
            status = status_word("partial", lang)
            return messages.text("readings-with-status", lang, value=self.text, status=status)
        return self.text


def kind(key: str) -> Kind:
    if key == PEOPLE:
        return "people"
    if key.startswith("edits_per_week_"):
        return "rate"
    if key in _COUNTS:
        return "count"
    return "share"


def status_word(status: Status, lang: str) -> str:
    return messages.text(f"figure-status-{status}", lang) if status != "ok" else ""


def comparable(key: str, figures: Mapping[str, Figure]) -> Figure:
    """The figure as groups of any size compare: a share, a rate per participant, or people.

    Its denominator is the number of people it is out of; its status the worse of the figure's and,
    for a count, the participants' (a rate is no more complete than what it divides by).
    """
    figure = figures[key]
    match kind(key):
        case "people" | "rate":
            return figure
        case "share" if figure.denominator is not None:
            return _divided(figure, figure.denominator, figure.status)
        case "share":
            people = figures[PEOPLE]
            total = None if people.value is None else int(people.value)
            return _divided(figure, total, figure.status)
        case "count":
            people = figures[PEOPLE]
            total = None if people.value is None else int(people.value)
            return _divided(figure, total, _worse(figure.status, people.status))


def _divided(figure: Figure, total: int | None, status: Status) -> Figure:
    if status == "pending":
        return Figure(None, "pending", total)
    if figure.value is None or not total:
        return Figure(None, status, total)  # nobody to divide by: no number, never a zero
    return Figure(figure.value / total, status, total)


def _worse(one: Status, other: Status) -> Status:
    return one if _STATUS_ORDER[one] >= _STATUS_ORDER[other] else other


def reading(key: str, figures: Mapping[str, Figure], lang: str) -> Reading:
    """The figure ``key`` of ``figures`` (one event's or group's) as the page shows it."""
    figure = figures[key]
    if figure.status == "pending":
        return Reading("", "pending")
    if figure.value is None:
        return Reading(messages.text("readings-nobody", lang), figure.status)
    compared = comparable(key, figures)
    match kind(key):
        case "people":
            return Reading(number(figure.value, lang), figure.status)
        case "rate":
            rate = number(figure.value, lang)
            text = messages.text("readings-per-week", lang, rate=rate, num_people=figure.denominator or 0)
            return Reading(text, figure.status)
        case "share":
            if compared.value is None or compared.denominator is None:
                return Reading(messages.text("readings-nobody", lang), figure.status)
            text = messages.text(
                "readings-share",
                lang,
                count=number(figure.value, lang),
                total=number(compared.denominator, lang),
                percent=percent(compared.value, lang),
            )
            return Reading(text, figure.status)
        case "count":
            text = number(figure.value, lang)
            if compared.value is not None and compared.denominator is not None:
                rate = messages.text(
                    "readings-per-participant",
                    lang,
                    rate=number(compared.value, lang),
                    num_people=compared.denominator,
                )
                text = messages.text("readings-count", lang, count=text, rate=rate)
            return Reading(text, compared.status)


# Parsed once: babel would parse a pattern string again on every call (a third of a page's time).
_ONE_DECIMAL = babel.numbers.parse_pattern("#,##0.#")


def number(value: float, lang: str) -> str:
    """A count as a whole number, anything else to one decimal, in the language's digits and marks."""
    return str(_ONE_DECIMAL.apply(value, formats.babel_locale(lang)))


def percent(share: float, lang: str) -> str:
    return formats.format_percent(share, lang)
