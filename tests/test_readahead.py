"""Reading one page ahead: same pages in the same order, errors where they happened, no thread left."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tool.wiki.readahead import read_ahead


def _pages(count: int, fail_at: int | None = None) -> Iterator[int]:
    for n in range(count):
        if n == fail_at:
            raise ConnectionError(f"page {n} failed")
        yield n


def _threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "read-ahead")


def test_every_page_in_order() -> None:
    assert list(read_ahead(_pages(50))) == list(range(50))
    assert list(read_ahead(_pages(0))) == []
    assert _threads() == 0


def test_a_failed_fetch_reaches_the_caller_after_the_pages_before_it() -> None:
    seen: list[int] = []
    with pytest.raises(ConnectionError, match="page 3 failed"):
        seen.extend(read_ahead(_pages(10, fail_at=3)))
    assert seen == [0, 1, 2]
    assert _threads() == 0


def test_a_caller_that_stops_early_stops_the_fetching() -> None:
    fetched: list[int] = []

    def counted() -> Iterator[int]:
        for n in range(1000):
            fetched.append(n)
            yield n

    pages = read_ahead(counted())
    assert next(pages) == 0
    pages.close()  # the caller failed storing page 0, say
    assert _threads() == 0
    assert len(fetched) <= 3  # at most the page in hand, the one waiting and the one being fetched
