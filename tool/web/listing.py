"""Which stored events a list keeps: filters by context field, cohort and start year, and a search.

The API's /events and the events page both read their events through here, so a filter means
the same on both: a value no event has is refused (a coded 400), never an empty list that looks
like an answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tool.store import CohortRecord, EventListing, Store
from tool.web.api_query import FILTERS, EventsQuery, QueryError
from tool.wiki.cohortpage import cohort_members


def matching(store: Store, listings: Sequence[EventListing], query: EventsQuery) -> list[EventListing]:
    """The events the filters and the search keep, in the listings' order; an unknown value is a 400."""
    cohorts = store.list_cohorts() if "cohort" in query.filters else []
    for name, wanted in query.filters.items():
        if wanted not in values_of(listings, name, cohorts):
            raise QueryError("api-error-unknown-filter-value", field=name, value=wanted)
    wanted_cohort = query.filters.get("cohort")
    members = _cohort_members(listings, cohorts, wanted_cohort) if wanted_cohort is not None else None
    search = query.search.casefold() if query.search else None
    kept = []
    for listing in listings:
        event = listing.event
        if members is not None and event.title not in members:
            continue
        if any(value_of(listing, name) != want for name, want in query.filters.items() if name != "cohort"):
            continue
        if search and search not in event.name.casefold() and search not in event.title.casefold():
            continue
        kept.append(listing)
    return kept


def choices(store: Store, listings: Sequence[EventListing]) -> Mapping[str, list[str]]:
    """For each filter, the values a visitor can pick: those the events have, sorted.

    A cohort is offered by its name (what event pages write in cohort=); its page title is
    accepted too, but offering both would list each cohort twice.
    """
    found = {name: values_of(listings, name) for name in FILTERS}
    found["cohort"] |= {record.name for record in store.list_cohorts()}
    return {name: sorted(values) for name, values in found.items()}


def value_of(listing: EventListing, name: str) -> str | None:
    """The event's value for the filter ``name``, as the filter compares it (None: it has none)."""
    event = listing.event
    if name == "year":
        return str(event.start.year) if event.start else None
    if name == "cohort":
        return event.cohort
    value = event.context.get(name)
    return value.strip() if value else None


def values_of(listings: Sequence[EventListing], name: str, cohorts: Sequence[CohortRecord] = ()) -> set[str]:
    """Every value the filter ``name`` accepts; for the cohort, also each stored cohort's title and name."""
    found = {value for listing in listings if (value := value_of(listing, name))}
    if name == "cohort":
        for record in cohorts:
            found |= {record.title, record.name}
    return found


def _cohort_members(
    listings: Sequence[EventListing], cohorts: Sequence[CohortRecord], wanted: str
) -> set[str]:
    """The events of the cohort titled or named ``wanted``, or else of every event naming it.

    Read from the listings at hand rather than from the store again: they are the events whose
    page is not gone, which is what a cohort's events are (tool.pipeline.discover.cohort_events).
    """
    for record in cohorts:
        if wanted in (record.title, record.name):
            return set(cohort_members(record, [(item.event.title, item.event.cohort) for item in listings]))
    return {item.event.title for item in listings if item.event.cohort == wanted}
