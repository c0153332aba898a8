"""What the person just did, told on the page they land on (after a redirect, issue #10).

A form's POST answers with a redirect (a reload never repeats an edit); the notice rides in the
session, as an i18n key and its parameters, and the next page of the event shows it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import flask

SESSION_KEY = "notice"

Kind = Literal["success", "notice", "warning"]


@dataclass(frozen=True)
class Notice:
    key: str
    kind: Kind
    params: dict[str, str]


def tell(key: str, kind: Kind = "success", **params: object) -> None:
    flask.session[SESSION_KEY] = {"key": key, "kind": kind, "params": {k: str(v) for k, v in params.items()}}


def take() -> Notice | None:
    """The notice waiting for this person, if any; it is shown once."""
    data: Any = flask.session.pop(SESSION_KEY, None)
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return None
    kinds: dict[Any, Kind] = {"success": "success", "notice": "notice", "warning": "warning"}
    params = {str(k): str(v) for k, v in dict(data.get("params", {})).items()}
    return Notice(data["key"], kinds.get(data.get("kind"), "notice"), params)
