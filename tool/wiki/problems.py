"""Problems found on an event or cohort page: what is wrong, where, in the organizer's words.

A problem is data, not an exception: the page's other fields and the other events go on. ``code``
is an i18n message key (``problem-…`` in i18n/en.json), so the web shows it in the reader's
language; ``message`` is its English text filled from ``params``, for logs, JSON and the bot's run
report. ``params`` travel with the problem (the store keeps them) so it can be shown again later in
any language. The message is formatted when first asked for, not when the problem is found: a
broken page may have thousands of problems, and parsing it must stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any

from tool import messages


@dataclass(frozen=True)
class Problem:
    field: str  # the template field, "participants", or "page"
    line: int | None  # line on the page, 1-based; None when it concerns the whole page
    code: str
    params: dict[str, str] = dataclass_field(default_factory=dict)

    @cached_property
    def message(self) -> str:
        # messages.text reads the i18n files once (cached) and formats PLURAL and friends.
        return messages.text(self.code, "en", **self.params)

    @classmethod
    def of(cls, field: str, line: int | None, code: str, /, **params: object) -> Problem:
        """A Problem with its parameters written as text, as messages need them."""
        return cls(field, line, code, {name: str(value) for name, value in params.items()})

    @classmethod
    def suggesting(
        cls, field: str, line: int | None, code: str, suggestions: Sequence[str], /, **params: object
    ) -> Problem:
        """``code`` when nothing is close, else ``code-did-you-mean`` or ``code-did-you-mean-two``.

        A message per count, not a joined list: "did you mean A or B?" needs each language's "or".
        """
        if not suggestions:
            return cls.of(field, line, code, **params)
        if len(suggestions) == 1:
            return cls.of(field, line, f"{code}-did-you-mean", **params, suggestion=suggestions[0])
        first, other = suggestions[:2]
        return cls.of(field, line, f"{code}-did-you-mean-two", **params, suggestion=first, other=other)

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "line": self.line, "message": self.message, "code": self.code,
                "params": dict(self.params)}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Problem:
        return cls(data["field"], data.get("line"), data["code"], dict(data.get("params", {})))
