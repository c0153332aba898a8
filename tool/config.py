"""Configuration: embedded defaults, then an optional config.yaml, then TOOL_* environment variables.

The tool must run with no configuration at all (SQLite in the instance folder, no Redis), as
QuickCategories and Lexeme Forms do; Toolforge then overlays a private config.yaml and envvars.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import toolforge

#: Every key the tool reads, with its default. config.yaml.example documents each one.
DEFAULTS: dict[str, Any] = {
    # Flask session signing key; None means "generate one and keep it in the instance folder".
    "SECRET_KEY": None,
    # Served over HTTPS (Toolforge): the session cookie is then sent over HTTPS only (Secure).
    "HTTPS": False,
    # SQLAlchemy URL of the store; None means a SQLite file in the instance folder.
    "DATABASE_URL": None,
    # Redis for the job queue, cache and bot lock; None means everything runs in-process.
    "REDIS_URL": None,
    # Prefix for every Redis key; on Toolforge's shared Redis it must be a secret.
    "REDIS_PREFIX": "event-outcomes",
    # Background refreshes (docs/jobs.md): the longest one may run (seconds) before it is stopped
    # as failed; how often a busy worker says it is alive; how long after its last sign of life its
    # job counts as abandoned (then run once more); how often a worker looks for abandoned jobs.
    "JOB_TIMEOUT": 3600,
    "WORKER_HEARTBEAT": 30,
    "JOB_ABANDONED_AFTER": 60,
    "WORKER_MAINTENANCE": 120,
    # How many refreshes one person may ask for (flask-limiter's notation: "5 per hour",
    # "10/day; 3/minute"), counted in Redis when configured, else in each web process.
    "REFRESH_LIMIT": "5 per hour",
    # Path to a devwiki farm.json (written by `python -m devwiki start`): use the local wiki farm.
    "FARM": None,
    # The wiki where event and cohort pages live (a dbname known to the wiki registry).
    "HOME_WIKI": "metawiki",
    # Contact for the User-Agent (Wikimedia User-Agent policy): a URL or an e-mail address.
    "CONTACT": "https://event-outcomes.toolforge.org/",
    # Seconds a wiki may take to answer (to connect, and between two reads of its answer) before
    # the request counts as failed and is retried; and the first wait before a retry when the wiki
    # did not say how long (Retry-After), doubled at each retry (DESIGN §7).
    "WIKI_TIMEOUT": 60.0,
    "WIKI_BACKOFF": 1.0,
    # On-wiki names, so other wikis can localize them (DESIGN §4).
    "EVENT_TEMPLATE": "Event outcomes",
    "PARTICIPANT_TEMPLATE": "Event participant",
    "COHORT_TEMPLATE": "Event outcomes cohort",
    "OUTCOMES_SUBPAGE": "Outcomes",
    # Days the data of a deleted event or cohort page (or one no longer using the template) is kept
    # after discovery marks it gone, in case the page comes back; it is hidden at once.
    "GONE_GRACE_DAYS": 30,
    # When the nightly refresh runs, "HH:MM" in UTC: pages say when outcomes are next refreshed.
    # jobs.yaml's schedule must say the same time (a test checks the two agree).
    "NIGHTLY_AT": "03:17",
    # The tool's own folder (SQLite store, session secret, the bot's wiki sessions); None: instance/.
    "INSTANCE_PATH": None,
    # The tool's bot: a bot password (Special:BotPasswords, user name "Account@label"), both or
    # neither. The sync logs in with it on every wiki, for the higher API limits; None and None:
    # the farm's bot on the farm, else the sync runs anonymously (normal limits).
    "BOT_USERNAME": None,
    "BOT_PASSWORD": None,
    # OAuth 1.0a consumer for login (Special:OAuthConsumerRegistration on Meta): both or neither;
    # neither with FARM set: the farm's OAuth gateway and its consumer.
    "OAUTH_MW_URI": "https://meta.wikimedia.org/w/index.php",
    "OAUTH_CONSUMER_KEY": None,
    "OAUTH_CONSUMER_SECRET": None,
}

#: Keys whose values arrive as strings from the environment but are not strings.
_PARSED_FROM_ENV: frozenset[str] = frozenset(
    {
        "HTTPS",
        "GONE_GRACE_DAYS",
        "WIKI_TIMEOUT",
        "WIKI_BACKOFF",
        "JOB_TIMEOUT",
        "WORKER_HEARTBEAT",
        "JOB_ABANDONED_AFTER",
        "WORKER_MAINTENANCE",
    }
)

#: config.yaml.example's SECRET_KEY: anyone can read it, so sessions signed with it can be forged.
PLACEHOLDER_SECRET = "change-me-to-a-long-random-string"


def load_config(
    instance_path: Path, environ: os._Environ[str] | dict[str, str] | None = None
) -> dict[str, Any]:
    """Return the effective configuration for an app whose instance folder is instance_path."""
    env = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    config.update(_read_yaml(Path(env.get("TOOL_CONFIG_FILE", "config.yaml"))))
    for key, value in env.items():
        if key.startswith("TOOL_") and key != "TOOL_CONFIG_FILE":
            name = key.removeprefix("TOOL_")
            config[name] = json.loads(value) if name in _PARSED_FROM_ENV else value
    # Where the tool keeps its own files (SQLite store, session secret, the bot's wiki sessions).
    if not config["INSTANCE_PATH"]:
        config["INSTANCE_PATH"] = str(instance_path)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'event-outcomes.sqlite'}"
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(instance_path)
    if config["SECRET_KEY"] == PLACEHOLDER_SECRET:
        raise ValueError(
            "SECRET_KEY is still the placeholder of config.yaml.example: set a long random string "
            "(e.g. python -c 'import secrets; print(secrets.token_hex(32))'), or remove the key "
            "to have one generated in the instance folder"
        )
    return config


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open() as f:
        # load_private_yaml refuses a world-readable file: secrets live here on Toolforge.
        data = toolforge.load_private_yaml(f)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of configuration keys, got {type(data).__name__}")
    return {str(k).upper(): v for k, v in data.items()}


def _instance_secret(instance_path: Path) -> str:
    """A per-installation session key, so an unconfigured tool still has stable, private sessions."""
    path = instance_path / "secret_key"
    instance_path.mkdir(parents=True, exist_ok=True)
    try:
        # Owner-only from the first byte: a write then chmod leaves a moment where the umask's
        # mode (often world-readable) applies. O_EXCL: two processes starting at once never
        # overwrite each other's key.
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(os.urandom(32).hex())
    return path.read_text().strip()
