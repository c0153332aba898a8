"""Every route of the app as URLs a reader could open, read from ``app.url_map``.

The security and reliability tests walk these, so a route added later is checked too. Path
parameters are filled with a real event's or cohort's title, every download format, a real asset;
routes that need a query (the API's ``title``, a comparison's ``by``) get one. A route this module
does not know how to fill fails the calling test with its name: add it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flask

from tool.web.titles import url_part

FORMATS = ("csv", "json", "wiki")
#: Query arguments a route needs to show what it is for (else it answers a 400, which says less).
NEEDS_QUERY = {
    "api.event": "event",
    "api.cohort": "cohort",
    "api.compare": "by",
    "compare.page": "by",
    "exports.compare": "by",
}
COMPARED_BY = "region"


@dataclass(frozen=True)
class Url:
    endpoint: str
    url: str
    methods: frozenset[str]


def urls(app: flask.Flask, event: str, cohort: str) -> list[Url]:
    """Each route once per value of its parameters (every format of a download), GET routes and
    POST-only routes alike (``methods`` says which the route takes)."""
    found: list[Url] = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            methods = frozenset((rule.methods or set()) - {"HEAD", "OPTIONS"})
            for values in _values(rule.endpoint, sorted(rule.arguments), event, cohort):
                arguments: dict[str, Any] = {**values, **_query(rule.endpoint, event, cohort)}
                found.append(Url(rule.endpoint, flask.url_for(rule.endpoint, **arguments), methods))
    return found


def _values(endpoint: str, arguments: list[str], event: str, cohort: str) -> list[dict[str, str]]:
    options: list[dict[str, str]] = [{}]
    for name in arguments:
        if name == "title":
            choices = [url_part(cohort if endpoint.startswith(("cohort.", "exports.cohort")) else event)]
        elif name == "fmt":
            choices = list(FORMATS)
        elif name == "filename" and endpoint == "static":
            choices = ["tool.css"]
        elif name == "name" and endpoint == "assets.codex":
            choices = ["codex.style.css", "codex.style-rtl.css"]
        else:
            raise AssertionError(f"tests/routes.py does not know how to fill {name!r} of {endpoint}")
        options = [{**option, name: choice} for option in options for choice in choices]
    return options


def _query(endpoint: str, event: str, cohort: str) -> dict[str, str]:
    need = NEEDS_QUERY.get(endpoint)
    if need == "event":
        return {"title": event}
    if need == "cohort":
        return {"title": cohort}
    if need == "by":
        return {"by": COMPARED_BY}
    return {}
