"""toolforge-i18n configuration (the library imports this top-level module by name).

Every user-facing string is a message in i18n/en.json, documented in i18n/qqq.json.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from toolforge_i18n import TranslationsConfig


def _gender_unknown(user_name: Any) -> Literal["m", "f", "n"]:
    """GENDER without a network call.

    The library's default asks Meta-Wiki for the user's gender preference; tests and the demo must
    never reach Wikimedia's servers, and no message uses GENDER yet, so every name gets the neutral
    form. When a message needs it, look the preference up on the configured home wiki instead.
    """
    return "n"


config = TranslationsConfig(
    # Absolute, so the app starts from any working directory (gunicorn, cron jobs, tests).
    directory=str(Path(__file__).resolve().parent / "i18n") + "/",
    # Message key -> names of its $1, $2, ... (the name's prefix gives the type: url, num, user_name, list).
    variables={
        "index-no-events": ["url_home_wiki"],
        "footer-version": ["version"],
        "error-not-found-body": ["path"],
        "nav-logged-in-as": ["user"],
        "logout-body": ["user"],
        "login-failed-body": ["reason"],
        "config-oauth-incomplete": ["given", "missing"],
        "cli-parse-summary": ["kind", "num_participants", "num_unresolved", "num_problems"],
        "cli-parse-problem": ["line", "field", "problem"],
        "cli-cannot-read": ["file", "error"],
        "cli-bad-now": ["value"],
        "cli-discover-entry": ["kind", "status", "num_problems", "title"],
        "cli-discover-summary": ["num_pages", "num_requests"],
        "cli-discover-failure": ["error"],
        "cli-discover-failures": ["num_failed"],
        "cli-discover-unused-template": ["template"],
        "cli-discover-no-event-namespace": ["wiki"],
        "cli-discover-event-namespace-failed": ["wiki", "error"],
        "cli-sync-summary": ["title", "num_added", "num_windows", "num_requests", "num_accounts"],
        "cli-sync-shared": ["num_events", "num_added", "num_windows", "num_requests"],
        "cli-sync-shared-failed": ["error"],
        "cli-sync-problem": ["problem"],
        "cli-sync-failed": ["title", "error"],
        "cli-sync-cohort": ["title", "num_events"],
        "cli-nightly-comparisons": ["fields"],
        "api-error-unknown-parameter": ["name"],
        "api-error-repeated-parameter": ["name"],
        "api-error-missing-parameter": ["name"],
        "api-error-not-an-integer": ["name", "value"],
        "api-error-out-of-range": ["name", "low", "high"],
        "api-error-too-long": ["name", "most"],
        "api-error-unknown-filter-value": ["field", "value"],
        "api-error-unknown-event": ["title"],
        "api-error-unknown-cohort": ["title"],
        "api-error-unknown-comparison": ["value", "fields"],
        "api-error-comparison-not-computed": ["field"],
        "cli-sync-cohort-failed": ["title", "error"],
        "cli-nightly-summary": ["num_events", "num_failed"],
        "cli-nightly-locked": ["where"],
        "cli-nightly-lock-lost": ["where"],
        "cli-nightly-redis-unavailable": ["error"],
        "cli-bot-login-failed": ["wiki", "account", "reason"],
        "cli-bot-credentials-incomplete": ["given", "missing"],
        "cli-compare-skipped": ["reason"],
        "cli-outcomes-left-out": ["reason"],
        "cli-outcomes-snapshot": ["computed_at", "data_time"],
        "cli-outcomes-no-snapshot": ["title"],
        "cli-outcomes-old-definitions": ["title", "stored_version", "current_version"],
        "cli-db-upgraded": ["where"],
        "cli-db-behind": ["where"],
        "evaluate-no-such-event": ["title"],
        "evaluate-missing-fields": ["title", "fields", "problems"],
        "evaluate-missing-fields-see-page": ["title", "fields"],
        "evaluate-out-of-bounds": ["title", "start", "end", "num_wikis"],
        "evaluate-invalid-event": ["title", "error"],
        "evaluate-group-none-counted": ["reasons"],
        "evaluate-left-out-text": ["reason"],
        "export-goal": ["figure"],
        "export-wikitext-intro": ["event"],
        "export-wikitext-footer": ["time", "version"],
        "export-compare-intro": ["field"],
        "problem-no-template": ["template"],
        "problem-two-templates": ["template", "line"],
        "problem-template-unclosed": ["template"],
        "problem-page-failed": ["error"],
        "problem-missing-field": ["field"],
        "problem-unknown-field": ["field"],
        "problem-bad-date": ["value"],
        "problem-date-out-of-range": ["value", "first", "last"],
        "problem-end-before-start": ["end", "start"],
        "problem-event-too-long": ["start", "end", "years"],
        "problem-unknown-timezone": ["value"],
        "problem-unknown-wiki": ["value"],
        "problem-too-many-wikis": ["limit", "value"],
        "problem-bad-namespaces": ["value"],
        "problem-unknown-goal": ["goal", "known"],
        "problem-bad-goal": ["goal", "value"],
        "problem-goal-too-large": ["goal", "value", "limit"],
        "problem-bad-registration": ["value"],
        "problem-registration-unavailable": ["registration", "error"],
        "problem-registration-no-wikis": ["registration"],
        "problem-registration-all-wikis": ["registration"],
        "problem-no-participants-section": ["headings"],
        "problem-participants-page-missing": ["page"],
        "problem-duplicate-participant": ["user", "line"],
        "problem-not-an-account": ["text", "reason"],
        "problem-account-missing": ["user", "wiki"],
        "problem-account-blocked": ["user", "wiki"],
        "problem-wiki-unavailable": ["wiki", "error"],
        "problem-wiki-unknown": ["wiki"],
        "problem-accounts-unchecked": ["wiki", "count", "error"],
        "problem-refresh-accounts-failed": ["wiki", "error"],
        "problem-refresh-global-accounts-failed": ["wiki", "error"],
        "problem-username-empty": ["text"],
        "problem-username-ip": ["name"],
        "problem-username-character": ["name", "character"],
        "problem-username-too-long": ["name", "limit"],
        "problem-repeated-field": ["field", "line"],
        "problem-account-invalid": ["user", "wiki"],
        "problem-page-too-long": ["limit"],
        "problem-line-too-long": ["line", "limit"],
        "problem-field-too-long": ["field", "limit"],
        "problem-list-too-long": ["lines", "reads"],
        "problem-too-many-headings": ["limit"],
        "problem-too-many-fields": ["limit"],
        "problem-too-many-events": ["limit"],
    },
    get_gender=_gender_unknown,
)
