"""The known names nearest to one that is not known, for "did you mean …?" (issue #13).

The comparison is difflib's (edit-based similarity), on names of at most MAX_NAME characters:
a field, goal or zone name, never a whole value, so each comparison costs microseconds.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping, Sequence

# Longer than any field, outcome or zone name people mean to write: nothing is near it.
MAX_NAME = 64
MAX_SUGGESTIONS = 2
# How alike two names must be (difflib's ratio): "strat" is near "start", "title" near nothing.
CUTOFF = 0.6
# A second name is offered only when it is about as near as the first: "retained_30" may be
# retained_30d or retained_90d, but "Africa/Nairobbi" is Africa/Nairobi, not Africa/Cairo.
SPREAD = 0.1


def nearest(
    name: str,
    known: Collection[str],
    words: Mapping[str, Sequence[str]] | None = None,
    cutoff: float = CUTOFF,
) -> tuple[str, ...]:
    """At most two known names near ``name``, the nearest first; none when nothing is close.

    ``words`` are names people use for a known one that no spelling is near ("retention").
    """
    if not name or len(name) > MAX_NAME:
        return ()
    if words and name in words:
        return tuple(words[name])[:MAX_SUGGESTIONS]
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)  # difflib caches what it learns about the second sequence
    scored: list[tuple[float, str]] = []
    for candidate in sorted(known):
        matcher.set_seq1(candidate)
        # The quick upper bounds first, as difflib.get_close_matches does.
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            score = matcher.ratio()
            if score >= cutoff:
                scored.append((score, candidate))
    scored.sort(key=lambda pair: -pair[0])
    best = scored[0][0] if scored else 0.0
    return tuple(candidate for score, candidate in scored[:MAX_SUGGESTIONS] if score >= best - SPREAD)
