"""The engine's parts, built once from configuration: wiki registry, API clients, store.

The web app, the CLI, the jobs and the bot all build one of these, so each wiki gets one client
(one HTTP session, requests in series) per process.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from tool import ROOT
from tool.store import Store
from tool.wiki.api import ApiClient
from tool.wiki.registry import Registry


class Runtime:
    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.registry = Registry.from_config(config)
        self._clients: dict[str, ApiClient] = {}

    def client(self, dbname: str) -> ApiClient:
        if dbname not in self._clients:
            self._clients[dbname] = ApiClient(self.registry.info(dbname).api, contact=self.config["CONTACT"])
        return self._clients[dbname]

    def bot_client(self, dbname: str) -> ApiClient:
        """A client logged in as the farm's bot, when running on the farm (higher API limits)."""
        client = self.client(dbname)
        credentials = self.farm_credentials()
        if credentials and client.high_limits is None:
            bot = credentials["bot"]
            instance = Path(self.config.get("INSTANCE_PATH") or ROOT / "instance")
            cookies = instance / "cookies" / f"{dbname}.lwp"
            client.login(bot["botpassword_user"], bot["botpassword"], cookie_file=cookies)
        return client

    def farm_credentials(self) -> dict[str, Any] | None:
        if not self.config.get("FARM"):
            return None
        status = json.loads(Path(self.config["FARM"]).read_text())
        data: dict[str, Any] = json.loads(Path(status["credentials"]).read_text())
        return data

    @cached_property
    def store(self) -> Store:
        """The store (no connection yet: StoreUnavailable only for a URL it cannot use).

        Its first statement checks the schema (SchemaBehind when missing or behind); only
        ``python -m tool db upgrade`` changes it.
        """
        return Store(self.config["DATABASE_URL"])

    def requests_made(self) -> int:
        return sum(client.requests_made for client in self._clients.values())
