"""Defence in depth: an event stored before dates were bounded (or by a bug) never takes down the
home page for every visitor, and is refused by the definitions with a clear reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tool import create_app
from tool.pipeline.evaluate import NotEvaluable, spec_of
from tool.store import EventRecord, Store

EVENT = EventRecord(
    title="Event:Year one",
    page_id=1,
    rev_id=2,
    name="Year one",
    fields={},
    context={},
    goals={},
    problems=[],
    # "start = 0001-01-01T00:00Z" with "timezone = America/New_York": fine in UTC, but year 0 in
    # New York, where the home page shows it.
    start=datetime(1, 1, 1, tzinfo=UTC),
    end=datetime(1, 1, 2, tzinfo=UTC),
    timezone="America/New_York",
    wikis=["enwiki"],
    namespaces=[0],
    cohort=None,
    registration=None,
    parsed_at=datetime(2026, 3, 1, tzinfo=UTC),
)


def test_the_home_page_shows_an_out_of_range_event_instead_of_failing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    store = Store(url)
    store.upgrade()
    store.save_event(EVENT)
    nairobi = datetime(2026, 3, 13, 21, tzinfo=UTC), datetime(2026, 3, 15, 20, tzinfo=UTC)
    store.save_event(
        replace(EVENT, title="Event:Nairobi", timezone="Africa/Nairobi", start=nairobi[0], end=nairobi[1])
    )
    response = create_app({"DATABASE_URL": url}).test_client().get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "0001-01-01 – 0001-01-02" in page  # the UTC dates, as stored
    assert "2026-03-14 – 2026-03-15" in page  # the other event as usual


@pytest.mark.parametrize(
    ("start", "end", "wikis"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), datetime(1, 1, 2, tzinfo=UTC), ["enwiki"]),
        (datetime(9999, 12, 30, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC), ["enwiki"]),
        (datetime(2020, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC), ["enwiki"]),
        (
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2026, 1, 2, tzinfo=UTC),
            [f"w{i}wiki" for i in range(21)],
        ),
    ],
)
def test_the_definitions_refuse_what_the_parser_bounds(
    start: datetime, end: datetime, wikis: list[str]
) -> None:
    # Not an OverflowError at "start − 8 weeks", and not 21 wikis' worth of requests.
    with pytest.raises(NotEvaluable, match="outside what the tool follows") as raised:
        spec_of(replace(EVENT, start=start, end=end, wikis=wikis))
    assert raised.value.code == "evaluate-out-of-bounds"
    assert raised.value.params["num_wikis"] == str(len(wikis))


def test_an_event_inside_the_bounds_is_evaluable() -> None:
    spec = spec_of(
        replace(EVENT, start=datetime(2026, 3, 14, tzinfo=UTC), end=datetime(2026, 3, 15, tzinfo=UTC))
    )
    assert spec.context["year"] == "2026"
