"""Problems found on an event or cohort page: what is wrong, where, in the organizer's words.

A problem is data, not an exception: the page's other fields and the other events go on. ``code``
is an i18n message key (``problem-…`` in i18n/en.json), so the web shows it in the reader's
language; ``message`` is its English text, for logs, JSON and the bot's run report.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from tool import messages


@dataclass(frozen=True)
class Problem:
    field: str  # the template field, "participants", or "page"
    line: int | None  # line on the page, 1-based; None when it concerns the whole page
    code: str
    params: dict[str, str] = dataclass_field(default_factory=dict)

    @property
    def message(self) -> str:
        return messages.text(self.code, "en", **self.params)

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "line": self.line, "message": self.message, "code": self.code,
                "params": dict(self.params)}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Problem:
        return cls(data["field"], data.get("line"), data["code"], dict(data.get("params", {})))
