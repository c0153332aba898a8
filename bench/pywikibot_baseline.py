"""What an organizer would otherwise write: pywikibot, one User.contributions() loop per person.

This is the approach of many scripts and notebooks: for each participant, for each wiki, iterate
``pywikibot.User(site, name).contributions(start=…, end=…)``. It is measured as the baseline the
tool's batched sync must beat.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any


def fetch_per_user(
    apis: dict[str, str], users: Sequence[str], start: datetime, end: datetime
) -> tuple[set[tuple[str, int]], int]:
    """(the (wiki, revid) pairs found, HTTP requests made), using pywikibot against ``apis``."""
    use_own_pywikibot_dir()
    import pywikibot
    from pywikibot.comms import http
    from pywikibot.family import AutoFamily

    counter = _count_requests(http)
    found: set[tuple[str, int]] = set()
    for wiki, api in apis.items():
        family = AutoFamily(f"bench{wiki}", api)
        site = pywikibot.Site(family.code, family)
        for name in users:
            user = pywikibot.User(site, name)
            # pywikibot's contributions() walks newest first: start is the later bound.
            for _page, revid, _ts, _comment in user.contributions(
                total=None,
                start=pywikibot.Timestamp.fromISOformat(end.strftime("%Y-%m-%dT%H:%M:%SZ")),
                end=pywikibot.Timestamp.fromISOformat(start.strftime("%Y-%m-%dT%H:%M:%SZ")),
            ):
                found.add((wiki, int(revid)))
    return found, counter["requests"]


def use_own_pywikibot_dir() -> str:
    """Point pywikibot (before its import) at a fresh directory of its own, and return it.

    pywikibot takes PYWIKIBOT_DIR only if a user-config.py is in it; otherwise it falls back to the
    working directory and writes its apicache/ and throttle.ctrl into the checkout. So the
    directory gets an empty user-config.py, and it replaces any PYWIKIBOT_DIR the user has: the
    benchmark must neither read the user's bot settings nor write into their files.
    """
    directory = tempfile.mkdtemp(prefix="pywikibot-bench-")
    (Path(directory) / "user-config.py").write_text("# the benchmark's own, empty pywikibot configuration\n")
    os.environ["PYWIKIBOT_DIR"] = directory
    os.environ["PYWIKIBOT_NO_USER_CONFIG"] = "2"  # do not load it, and do not warn about that
    return directory


def _count_requests(http: Any) -> dict[str, int]:
    counter = {"requests": 0}
    original = http.session.request

    def counting(*args: Any, **kwargs: Any) -> Any:
        counter["requests"] += 1
        return original(*args, **kwargs)

    http.session.request = counting
    return counter
