"""Downloads of the stored outcomes as CSV, JSON (tool.export) or wikitext (tool.summary, the bot's own).

- /event/<title>/outcomes.<fmt>, /cohort/<title>/outcomes.<fmt>: the latest snapshot's figures
- /compare/outcomes.<fmt>?by=<field>: the comparison the nightly run stored for that field

Every download is a stored snapshot, never a count made for the request; before the first one
the answer is a 404 that says so, never a file of zeros. The JSON carries the snapshot's times and
definitions version as the API does (tool.web.api_documents), so both read the same.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

import flask

from tool import export, summary
from tool.metrics import Outcomes
from tool.metrics.keys import CONTEXT_KEYS
from tool.pipeline.comparisons import KIND as COMPARISON
from tool.pipeline.comparisons import read_comparison
from tool.store import SnapshotRecord, StoreUnavailable
from tool.web.api_documents import snapshot_meta
from tool.web.data import store
from tool.web.titles import from_url_part, url_part
from tool.wiki.eventpage import shown

bp = flask.Blueprint("exports", __name__)

# fmt in the URL → (Content-Type, the downloaded file's extension).
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    # Plain text: any editor opens it, and a browser shows it as it is to copy into a wiki page.
    "wiki": ("text/plain; charset=utf-8", "wiki.txt"),
}


class Refusal(Exception):
    """A request the downloads cannot answer: a coded error page in the reader's language."""

    def __init__(self, status: int, heading: str, body: str, **params: str) -> None:
        super().__init__(body)
        self.status, self.heading, self.body, self.params = status, heading, body, params


@bp.errorhandler(Refusal)
def _refused(refusal: Refusal) -> tuple[str, int]:
    page = flask.render_template(
        "error.html", heading=refusal.heading, body=refusal.body, params=refusal.params
    )
    return page, refusal.status


@bp.errorhandler(StoreUnavailable)
def _store_unavailable(error: StoreUnavailable) -> tuple[str, int]:
    flask.current_app.logger.error("the store is unavailable: %s", error)
    heading, body = "error-server-heading", "exports-store-unavailable"
    return flask.render_template("error.html", heading=heading, body=body), 503


@bp.get("/event/<path:title>/outcomes.<fmt>")
def event(title: str, fmt: str) -> flask.Response:
    _check_format(fmt)
    the_store = store()
    wanted = from_url_part(title)
    record = the_store.get_event(wanted) if wanted else None
    if record is None:
        raise Refusal(404, "error-not-found-heading", "exports-unknown-event", title=shown(wanted or title))
    snapshot = the_store.latest_snapshot("event", record.title)
    if snapshot is None:
        raise Refusal(404, "exports-not-counted-heading", "exports-not-counted-event", title=record.name)
    return _outcomes("event", record.title, record.name, snapshot, fmt)


@bp.get("/cohort/<path:title>/outcomes.<fmt>")
def cohort(title: str, fmt: str) -> flask.Response:
    _check_format(fmt)
    the_store = store()
    wanted = from_url_part(title)
    record = the_store.get_cohort(wanted) if wanted else None
    if record is None:
        raise Refusal(404, "error-not-found-heading", "exports-unknown-cohort", title=shown(wanted or title))
    snapshot = the_store.latest_snapshot("cohort", record.title)
    if snapshot is None:
        raise Refusal(404, "exports-not-counted-heading", "exports-not-counted-cohort", title=record.name)
    return _outcomes("cohort", record.title, record.name, snapshot, fmt)


@bp.get("/compare/outcomes.<fmt>")
def compare(fmt: str) -> flask.Response:
    _check_format(fmt)
    fields = ", ".join(CONTEXT_KEYS)
    asked = flask.request.args.getlist("by")
    if len(asked) != 1:
        raise Refusal(400, "exports-bad-comparison-heading", "exports-missing-comparison", fields=fields)
    by = asked[0]
    if by not in CONTEXT_KEYS:
        heading, body = "exports-bad-comparison-heading", "exports-unknown-comparison"
        raise Refusal(400, heading, body, value=shown(by), fields=fields)
    snapshot = store().latest_snapshot(COMPARISON, by)
    if snapshot is None:
        raise Refusal(404, "exports-not-counted-heading", "exports-not-counted-comparison", field=by)
    stored = read_comparison(snapshot.figures)
    if fmt == "csv":
        body = export.compare_csv(by, stored.groups, stored.events)
    elif fmt == "json":
        body = export.compare_json(by, stored.groups, stored.events, stored.skipped, snapshot_meta(snapshot))
    else:
        body = summary.compare_wikitext(by, stored.groups, stored.events, _language())
    return _download(body, fmt, f"comparison-by-{by}")


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        heading, body = "error-not-found-heading", "exports-unknown-format"
        raise Refusal(404, heading, body, format=shown(fmt), formats=", ".join(FORMATS))


def _outcomes(kind: str, title: str, name: str, snapshot: SnapshotRecord, fmt: str) -> flask.Response:
    # Through Outcomes, so only the figures travel: the problems stored beside them can name a
    # participant, and downloads are aggregate only.
    outcomes = Outcomes.from_json(snapshot.figures)
    if fmt == "csv":
        body = export.to_csv(outcomes)
    elif fmt == "json":
        extra: dict[str, Any] = {"name": name, **snapshot_meta(snapshot)}
        body = export.to_json(kind, title, outcomes, extra)
    else:
        link = summary.tool_url(flask.current_app.config["PUBLIC_URL"], kind, title)
        body = summary.to_wikitext(name, outcomes, _language(), link)
    return _download(body, fmt, f"{url_part(title)}-outcomes")


def _language() -> str:
    return str(flask.g.get("interface_language_code", "en"))


def _download(body: str, fmt: str, stem: str) -> flask.Response:
    content_type, extension = FORMATS[fmt]
    response = flask.Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = attachment(stem, extension)
    return response


# What a filename keeps as it is in every browser and file system: ASCII letters, digits, ".-";
# every other run (with the "_"s around it) becomes one "_".
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9.-]+")
# What no file system takes in a name (and a ";" some clients would split the header at).
_NOT_IN_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;_]+')
# A title may be 255 bytes; a filename that long is refused by some file systems.
MAX_STEM = 100


def attachment(stem: str, extension: str) -> str:
    """Content-Disposition for a download named ``stem.extension`` whatever the stem holds (RFC 6266).

    ``filename`` is plain ASCII (accents dropped, anything else "_"), so no client can misread a
    quote or a ";" from a title in it; ``filename*`` (RFC 8187) keeps the title's own letters,
    percent-encoded, for the browsers that read it.
    """
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    plain = _NOT_PLAIN.sub("_", folded).strip("._-")[:MAX_STEM] or "outcomes"
    readable = _NOT_IN_NAMES.sub("_", stem).strip(". ")[:MAX_STEM] or "outcomes"
    encoded = quote(f"{readable}.{extension}", safe="")
    return f"attachment; filename=\"{plain}.{extension}\"; filename*=UTF-8''{encoded}"
