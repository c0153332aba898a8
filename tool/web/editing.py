"""What a person is told when the wiki does not save their edit, in their language (issue #10).

Each kind of refusal (tool.wiki.edit.EditFailed.kind) has its message and HTTP status; the wiki's own
explanation (a block's reason, a protection's) is quoted in it. A token the wiki no longer accepts
also logs the person out (tool.web.wikiuser.token_refused).
"""

from __future__ import annotations

from dataclasses import dataclass

from tool.web import wikiuser
from tool.wiki.edit import EditFailed, Kind
from tool.wiki.eventpage import shown

#: How much of the wiki's explanation a message quotes.
SHOWN_INFO = 300

_STATUS: dict[Kind, int] = {
    "logged-out": 401,
    "exists": 409,
    "conflict": 409,
    "protected": 403,
    "blocked": 403,
    "deleted": 409,
    "bad-title": 400,
    "read-only": 503,
    "rate-limited": 429,
    "refused": 403,
}


@dataclass(frozen=True)
class Failure:
    """A message (key and parameters) for the page, and the page's status."""

    key: str
    params: dict[str, str]
    status: int


def failure(error: EditFailed, returnto: str) -> Failure:
    """What to say of ``error``; a refused token logs the person out (they log in again from it)."""
    if error.kind == "logged-out":
        wikiuser.token_refused()
        return Failure("wikiedit-logged-out", {"url_login": wikiuser.login_url(returnto)}, 401)
    params = {"code": error.code, "info": shown(error.info, SHOWN_INFO)}
    if error.kind == "blocked":
        params["reason"] = shown(error.reason, SHOWN_INFO) or "—"
    return Failure(f"wikiedit-{error.kind}", params, _STATUS[error.kind])


def unavailable(error: Exception) -> Failure:
    """The wiki could not be reached (or kept failing): nothing was saved."""
    return Failure("wikiedit-unavailable", {"error": shown(str(error), SHOWN_INFO)}, 503)
