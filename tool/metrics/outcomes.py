"""Computed outcomes: figures with their status and denominator, goals, and their JSON form.

The JSON form is what snapshots store and the API serves: the same keys in the same order
every time (every figure is present, pending or not), times in ISO 8601 UTC.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from tool import messages
from tool.metrics.keys import DEFINITIONS_VERSION, FIGURE_KEYS
from tool.metrics.windows import Status

GoalStatus = Literal["met", "not_met", "pending"]


@dataclass(frozen=True)
class Figure:
    """One number. ``value`` is None exactly when it cannot be given (pending, or nobody to average).

    ``denominator`` is the number of people a rate is out of (participants or new editors);
    None for plain counts and sums.
    """

    value: int | float | None
    status: Status
    denominator: int | None = None

    def __post_init__(self) -> None:
        if self.status == "pending" and self.value is not None:
            raise ValueError(f"a pending figure has no value yet, got {self.value!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "status": self.status, "denominator": self.denominator}


@dataclass(frozen=True)
class GoalResult:
    """A goal_<key> of an event page compared with the figure it names."""

    key: str
    target: float
    value: int | float | None
    status: GoalStatus

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "value": self.value, "status": self.status}


@dataclass(frozen=True)
class LeftOut:
    """An event of a group that could not be counted, and why: a coded message (``evaluate-…``).

    Coded like a page's problems, so the web and the bot say it in the reader's language; the
    English text travels with it in JSON for readers that do not translate.
    """

    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return messages.text(self.code, lang, **self.params)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params), "message": self.text()}

    @classmethod
    def from_json(cls, data: Any) -> LeftOut:
        if isinstance(data, str):  # a snapshot stored before reasons were coded: its English text
            return cls("evaluate-left-out-text", {"reason": data})
        return cls(str(data["code"]), {str(k): str(v) for k, v in dict(data.get("params", {})).items()})


@dataclass(frozen=True)
class Outcomes:
    """Every figure of an event or a group, as of ``data_until``, computed at ``computed_at``.

    ``data_until`` is the time up to which contributions are complete for every participant on
    every tracked wiki; None when some of them were never fetched (or there is nobody).
    """

    computed_at: datetime
    data_until: datetime | None
    figures: Mapping[str, Figure]
    goals: Mapping[str, GoalResult] = field(default_factory=dict)
    version: int = DEFINITIONS_VERSION
    # Events of a group that could not be counted, and why: the figures then lack them.
    left_out: tuple[LeftOut, ...] = ()

    def __post_init__(self) -> None:
        missing = [key for key in FIGURE_KEYS if key not in self.figures]
        if missing:
            raise ValueError(f"outcomes lack figure(s) {', '.join(missing)}")

    @property
    def partial(self) -> bool:
        """Whether any figure was computed from incomplete data."""
        return any(figure.status == "partial" for figure in self.figures.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "computed_at": _iso(self.computed_at),
            "data_until": _iso(self.data_until) if self.data_until else None,
            "partial": self.partial,
            "figures": {key: self.figures[key].to_dict() for key in FIGURE_KEYS},
            "goals": {key: self.goals[key].to_dict() for key in sorted(self.goals)},
            "left_out": [reason.to_json() for reason in self.left_out],
        }

    def leaving_out(self, reasons: Sequence[LeftOut]) -> Outcomes:
        """The same outcomes of a group that lacks some of its events: every number is partial.

        A figure that is still pending stays pending (its windows are open either way); every
        other figure is short of what the missing events would add, so it must not read as ok.
        """
        if not reasons:
            return self
        figures = {
            key: figure if figure.status == "pending" else replace(figure, status="partial")
            for key, figure in self.figures.items()
        }
        return replace(self, figures=figures, left_out=(*self.left_out, *reasons))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Outcomes:
        """Read back what ``to_json`` wrote (a stored snapshot)."""
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Outcomes:
        """Read back what ``to_dict`` gave (the outcomes of one group of a stored comparison)."""
        return cls(
            version=int(data["version"]),
            computed_at=datetime.fromisoformat(data["computed_at"]),
            data_until=datetime.fromisoformat(data["data_until"]) if data["data_until"] else None,
            figures={key: Figure(**value) for key, value in data["figures"].items()},
            goals={key: GoalResult(key=key, **value) for key, value in data["goals"].items()},
            left_out=tuple(LeftOut.from_json(reason) for reason in data.get("left_out", ())),
        )


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()
