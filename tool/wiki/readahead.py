"""Fetch the next page of an answer while the caller is still storing the one before.

A sync alternates two waits: the wiki answering, then the store writing what it answered. Run
the fetching in a thread one page ahead, and the two overlap, so a sync takes about as long as
its requests alone. Requests stay in series (the next starts when the one before is read) and
at most one page waits in memory; an error while fetching reaches the caller after the pages
before it, just as without the thread, and a caller that stops early stops the thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar, cast

T = TypeVar("T")

_END = object()
# How often a fetching thread whose caller went away looks again (seconds).
_POLL = 0.1


def read_ahead(pages: Iterator[T]) -> Generator[T, None, None]:
    """The items of ``pages``, the next one produced in a thread while the caller handles this one."""
    waiting: queue.Queue[tuple[object, BaseException | None]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def offer(item: object, error: BaseException | None = None) -> bool:
        while not stop.is_set():
            try:
                waiting.put((item, error), timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for page in pages:
                if not offer(page):
                    return
        except BaseException as e:  # handed to the caller, who raises it where it would have
            offer(_END, e)
            return
        offer(_END)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = waiting.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield cast(T, item)
    finally:
        stop.set()
        thread.join()
