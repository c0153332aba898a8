"""The farm accounts the consent page offers, and their logged-in sessions on the farm's wikis.

A real wiki knows who authorized a token because that person is logged in there. The farm has no
OAuth extension, so the gateway logs in to each wiki as the picked account itself, with the
password the farm made for it (credentials.json), and sends the consumer's API requests in that
session.
"""

from __future__ import annotations

import json
import threading
from functools import cached_property
from pathlib import Path
from typing import Any

import requests

from devwiki.farm import login_passwords
from devwiki.generator import PROFILES, generate

USER_AGENT = "devwiki-oauth-gateway/1 (the local wiki farm of Event Outcomes)"


class LoginRefused(Exception):
    """The farm wiki refused the account's password (a farm built with other credentials?)."""


class FarmAccounts:
    def __init__(self, status: dict[str, Any]) -> None:
        self.status = status
        self._sessions: dict[tuple[str, str], requests.Session] = {}
        self._lock = threading.Lock()

    @cached_property
    def passwords(self) -> dict[str, str]:
        """Account name → password: the organizers, the first participants, then Admin and the bot.

        Generating the history names the accounts (a second for the demo); done on first use.
        """
        creds = json.loads(Path(self.status["credentials"]).read_text())
        users = generate(PROFILES[self.status["profile"]]).users
        found = login_passwords(users, creds)
        found[creds["admin"]["username"]] = creds["admin"]["password"]
        found[creds["bot"]["username"]] = creds["bot"]["password"]
        return found

    def session(self, dbname: str, account: str, fresh: bool = False) -> requests.Session:
        """A session logged in as ``account`` on ``dbname`` (made on first use, or anew when ``fresh``)."""
        key = (dbname, account)
        with self._lock:
            if fresh or key not in self._sessions:
                self._sessions[key] = self._log_in(self.status["wikis"][dbname]["api"], account)
            return self._sessions[key]

    def _log_in(self, api: str, account: str) -> requests.Session:
        # clientlogin, not action=login: the accounts have main passwords, not bot passwords.
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        tokens = session.get(
            api, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"}, timeout=30
        ).json()
        result = session.post(
            api,
            data={
                "action": "clientlogin",
                "username": account,
                "password": self.passwords[account],
                "logintoken": tokens["query"]["tokens"]["logintoken"],
                "loginreturnurl": api,
                "format": "json",
            },
            timeout=30,
        ).json()
        status = result.get("clientlogin", {}).get("status")
        if status != "PASS":
            raise LoginRefused(f"{api} refused {account}: {json.dumps(result)[:300]}")
        return session
