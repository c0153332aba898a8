"""The engine's parts, built once from configuration: wiki registry, API clients, store.

The web app, the CLI, the jobs and the bot all build one of these, so each wiki gets one client
per identity (anonymous, the tool's bot; one HTTP session each, requests to a host in series) per
process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from requests_oauthlib import OAuth1

from tool import ROOT, messages
from tool.config import DEFAULTS
from tool.store import Store
from tool.wiki.api import ApiClient, LoginFailed
from tool.wiki.oauth import OAuthConsumer, consumer_from_config
from tool.wiki.registry import Registry
from tool.wiki.siteinfo import SiteInfo, fetch_siteinfo
from tool.wiki.users import has_centralauth

# A person's edit is retried a little (a lagging replica, a lost answer), then they are told.
USER_WIKI_RETRIES = 2
USER_WIKI_MAX_WAIT = 10.0


class BotLoginFailed(Exception):
    """The configured bot account was refused: a configuration error, never a quiet anonymous sync."""


class Runtime:
    def __init__(self, config: Mapping[str, Any]) -> None:
        _check_bot_config(config)  # before anything starts: never half-configured
        _check_oauth_config(config)
        self.config = config
        self.registry = Registry.from_config(config)
        # One client per (identity, wiki): "anonymous" or "bot".
        self._clients: dict[tuple[str, str], ApiClient] = {}
        # Per-run caches: what a wiki says about itself does not change while a process runs, so
        # a nightly run over 1,000 events asks each wiki once (rights ride along with the client).
        self._siteinfo: dict[str, SiteInfo] = {}
        self._centralauth: dict[str, bool] = {}

    def client(self, dbname: str) -> ApiClient:
        """An anonymous client (reading pages, checking accounts)."""
        key = ("anonymous", dbname)
        if key not in self._clients:
            self._clients[key] = self._new_client(dbname)
        return self._clients[key]

    def bot_client(self, dbname: str) -> ApiClient:
        """A client logged in as the tool's bot (higher API limits where the account has them).

        The bot is the account of BOT_USERNAME and BOT_PASSWORD, else the farm's bot on the farm; with
        neither configured the sync runs anonymously. A refused login raises BotLoginFailed.
        """
        if self.bot_account is None:
            return self.client(dbname)
        key = ("bot", dbname)
        if key not in self._clients:
            client = self._new_client(dbname)
            username, password = self.bot_account
            cookies = (
                Path(self.config.get("INSTANCE_PATH") or ROOT / "instance") / "cookies" / f"{dbname}.lwp"
            )
            try:
                client.login(username, password, cookie_file=cookies)
            except LoginFailed as e:
                raise BotLoginFailed(
                    messages.text("cli-bot-login-failed", wiki=dbname, account=username, reason=e.reason)
                ) from e
            self._clients[key] = client
        return self._clients[key]

    def user_client(self, dbname: str, access_token: Mapping[str, str]) -> ApiClient:
        """A client acting as the logged-in person who holds ``access_token`` (OAuth 1.0a).

        Made for each request, never kept: it is that person's. Requests go to the wiki's API, or
        where the consumer says (the farm's gateway). A person is waiting, so it gives up sooner
        than the background clients (USER_WIKI_RETRIES, at most USER_WIKI_MAX_WAIT seconds a wait).
        """
        consumer = self.oauth_consumer
        if consumer is None:
            raise ValueError("no OAuth consumer is configured: nobody is logged in")
        auth = OAuth1(consumer.key, consumer.secret, access_token["key"], access_token["secret"])
        return ApiClient(
            consumer.apis.get(dbname) or self.registry.info(dbname).api,
            contact=self.config["CONTACT"],
            timeout=float(self.config.get("WIKI_TIMEOUT", DEFAULTS["WIKI_TIMEOUT"])),
            backoff=float(self.config.get("WIKI_BACKOFF", DEFAULTS["WIKI_BACKOFF"])),
            max_retries=USER_WIKI_RETRIES,
            max_wait=USER_WIKI_MAX_WAIT,
            auth=auth,
        )

    def siteinfo(self, dbname: str) -> SiteInfo:
        """The wiki's namespaces, case and interwikis (what the parser needs), asked once per run."""
        if dbname not in self._siteinfo:
            self._siteinfo[dbname] = fetch_siteinfo(self.client(dbname))
        return self._siteinfo[dbname]

    def has_centralauth(self, dbname: str) -> bool:
        """Whether the wiki has global accounts (CentralAuth), asked once per run."""
        if dbname not in self._centralauth:
            self._centralauth[dbname] = has_centralauth(self.client(dbname))
        return self._centralauth[dbname]

    @cached_property
    def bot_account(self) -> tuple[str, str] | None:
        """(user name, bot password) of the tool's bot: configured, else the farm's; None: anonymous."""
        if self.config.get("BOT_USERNAME"):
            return str(self.config["BOT_USERNAME"]), str(self.config["BOT_PASSWORD"])
        if not self.config.get("FARM"):
            return None
        status = json.loads(Path(self.config["FARM"]).read_text())
        if "credentials" not in status:
            return None  # a scripted farm of the tests, without accounts
        bot = json.loads(Path(status["credentials"]).read_text())["bot"]
        return str(bot["botpassword_user"]), str(bot["botpassword"])

    @cached_property
    def oauth_consumer(self) -> OAuthConsumer | None:
        """Who the tool is to the wiki when a user logs in: the configured OAuth consumer, else the
        farm's gateway's; None when neither (then nobody can log in)."""
        return consumer_from_config(self.config)

    def _new_client(self, dbname: str) -> ApiClient:
        return ApiClient(
            self.registry.info(dbname).api,
            contact=self.config["CONTACT"],
            timeout=float(self.config.get("WIKI_TIMEOUT", DEFAULTS["WIKI_TIMEOUT"])),
            backoff=float(self.config.get("WIKI_BACKOFF", DEFAULTS["WIKI_BACKOFF"])),
        )

    @cached_property
    def store(self) -> Store:
        """The store (no connection yet: StoreUnavailable only for a URL it cannot use).

        Its first statement checks the schema (SchemaBehind when missing or behind); only
        ``python -m tool db upgrade`` changes it.
        """
        return Store(self.config["DATABASE_URL"])

    def requests_made(self) -> int:
        return sum(client.requests_made for client in self._clients.values())


def _check_bot_config(config: Mapping[str, Any]) -> None:
    """BOT_USERNAME and BOT_PASSWORD come together, or not at all (then the sync is anonymous)."""
    username, password = config.get("BOT_USERNAME"), config.get("BOT_PASSWORD")
    if bool(username) != bool(password):
        given, missing = ("BOT_USERNAME", "BOT_PASSWORD") if username else ("BOT_PASSWORD", "BOT_USERNAME")
        raise ValueError(messages.text("cli-bot-credentials-incomplete", given=given, missing=missing))


def _check_oauth_config(config: Mapping[str, Any]) -> None:
    """OAUTH_CONSUMER_KEY and OAUTH_CONSUMER_SECRET come together, or not at all (then no login)."""
    key, secret = config.get("OAUTH_CONSUMER_KEY"), config.get("OAUTH_CONSUMER_SECRET")
    if bool(key) != bool(secret):
        given, missing = (
            ("OAUTH_CONSUMER_KEY", "OAUTH_CONSUMER_SECRET")
            if key
            else ("OAUTH_CONSUMER_SECRET", "OAUTH_CONSUMER_KEY")
        )
        raise ValueError(messages.text("config-oauth-incomplete", given=given, missing=missing))
