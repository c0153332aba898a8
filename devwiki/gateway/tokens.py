"""The gateway's consumer, its request and access tokens and the nonces it has seen.

oauthlib does the protocol (parameters, signatures, timestamps); this module is the storage its
RequestValidator asks about. Tokens live in the gateway's memory: a restarted farm forgets them,
and the tool's users log in again, as after a revoked grant on a real wiki.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oauthlib.common import Request
from oauthlib.oauth1 import RequestValidator

#: MediaWiki answers a plain callback "oob": the consumer's registered callback is used.
OUT_OF_BAND = "oob"
#: MediaWiki's keys and secrets are 32 and 40 hex digits; oauthlib's default bounds (20–30) refuse them.
_LENGTHS = (16, 64)
_DUMMY = "dummy" * 4  # oauthlib checks a dummy as it would a real key: same length bounds


@dataclass(frozen=True)
class Consumer:
    """The one registered consumer (the tool), as Special:OAuthConsumerRegistration would hold it."""

    key: str
    secret: str
    callback: str

    @classmethod
    def read(cls, path: Path) -> Consumer:
        data = json.loads(path.read_text())
        return cls(key=data["key"], secret=data["secret"], callback=data["callback"])


def register_consumer(path: Path, callback: str) -> Consumer:
    """The consumer of ``path``, made on first use (owner-only: it holds the secret); the callback updated."""
    if path.exists():
        consumer = Consumer.read(path)
        consumer = Consumer(consumer.key, consumer.secret, callback)
    else:
        consumer = Consumer(key=secrets.token_hex(16), secret=secrets.token_hex(20), callback=callback)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"key": consumer.key, "secret": consumer.secret, "callback": consumer.callback}, f)
    return consumer


@dataclass
class PendingToken:
    """A request token between initiate and token: who asked, where to return, who allowed it."""

    secret: str
    client_key: str
    callback: str
    verifier: str | None = None
    account: str | None = None


@dataclass(frozen=True)
class Grant:
    """An access token: the consumer may act as ``account``."""

    secret: str
    client_key: str
    account: str


class TokenStore:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[str, PendingToken] = {}
        self.grants: dict[str, Grant] = {}
        self._nonces: dict[tuple[str, ...], float] = {}

    def fresh_nonce(self, key: tuple[str, ...], lifetime: float) -> bool:
        """True the first time a (consumer, timestamp, nonce, token) is seen within the lifetime."""
        now = time.time()
        with self.lock:
            for seen in [k for k, when in self._nonces.items() if when < now - lifetime]:
                del self._nonces[seen]
            if key in self._nonces:
                return False
            self._nonces[key] = now
            return True

    def allow(self, token: str, account: str) -> bool:
        """The user picked ``account`` on the consent page for this request token."""
        with self.lock:
            pending = self.pending.get(token)
            if pending is None or pending.verifier is not None:
                return False
            pending.account = account
            return True

    def account_of(self, access_token: str) -> str:
        return self.grants[access_token].account


class Validator(RequestValidator):
    """What oauthlib asks of storage, answered from the consumer file and the TokenStore."""

    def __init__(self, consumer_file: Path, store: TokenStore) -> None:
        super().__init__()
        self.consumer_file = consumer_file
        self.store = store

    def consumer(self) -> Consumer:
        # Read on each request: `devwiki start` may point the callback at another port meanwhile.
        return Consumer.read(self.consumer_file)

    # Bounds and transport: plain HTTP on 127.0.0.1, MediaWiki's key lengths.
    enforce_ssl = False
    client_key_length = request_token_length = access_token_length = _LENGTHS
    nonce_length = verifier_length = _LENGTHS
    dummy_client = dummy_request_token = dummy_access_token = _DUMMY

    def validate_client_key(self, client_key: str, request: Request) -> bool:
        return hmac.compare_digest(client_key, self.consumer().key)

    def get_client_secret(self, client_key: str, request: Request) -> str:
        consumer = self.consumer()
        return consumer.secret if hmac.compare_digest(client_key, consumer.key) else _DUMMY

    def validate_timestamp_and_nonce(
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: Request,
        request_token: str | None = None,
        access_token: str | None = None,
    ) -> bool:
        key = (client_key, timestamp, nonce, request_token or "", access_token or "")
        return self.store.fresh_nonce(key, self.timestamp_lifetime)

    def validate_redirect_uri(self, client_key: str, redirect_uri: str, request: Request) -> bool:
        # Like a consumer registered without "callback is a prefix": oob, or the registered URL itself.
        return redirect_uri in (OUT_OF_BAND, self.consumer().callback)

    def validate_requested_realms(self, client_key: str, realms: list[str], request: Request) -> bool:
        return True

    def get_default_realms(self, client_key: str, request: Request) -> list[str]:
        return []

    def get_realms(self, token: str, request: Request) -> list[str]:
        return []

    def verify_realms(self, token: str, realms: list[str], request: Request) -> bool:
        return True

    def validate_realms(
        self, client_key: str, token: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        return True

    # Request tokens.
    def save_request_token(self, token: dict[str, str], request: Request) -> None:
        with self.store.lock:
            self.store.pending[token["oauth_token"]] = PendingToken(
                token["oauth_token_secret"], request.client_key, request.redirect_uri
            )

    def verify_request_token(self, token: str, request: Request) -> bool:
        pending = self.store.pending.get(token)
        return pending is not None and pending.verifier is None

    def get_redirect_uri(self, token: str, request: Request) -> str:
        pending = self.store.pending[token]
        return self.consumer().callback if pending.callback == OUT_OF_BAND else pending.callback

    def save_verifier(self, token: str, verifier: dict[str, str], request: Request) -> None:
        with self.store.lock:
            self.store.pending[token].verifier = verifier["oauth_verifier"]

    def validate_request_token(self, client_key: str, token: str, request: Request) -> bool:
        pending = self.store.pending.get(token)
        return pending is not None and pending.client_key == client_key and pending.account is not None

    def get_request_token_secret(self, client_key: str, token: str, request: Request) -> str:
        pending = self.store.pending.get(token)
        return pending.secret if pending is not None else _DUMMY

    def validate_verifier(self, client_key: str, token: str, verifier: str, request: Request) -> bool:
        pending = self.store.pending.get(token)
        return (
            pending is not None
            and pending.verifier is not None
            and hmac.compare_digest(verifier, pending.verifier)
        )

    def invalidate_request_token(self, client_key: str, request_token: str, request: Request) -> None:
        with self.store.lock:
            self.store.pending.pop(request_token, None)

    # Access tokens.
    def save_access_token(self, token: dict[str, str], request: Request) -> None:
        with self.store.lock:
            account = self.store.pending[request.resource_owner_key].account
            assert account is not None  # validate_request_token let only an allowed token through
            self.store.grants[token["oauth_token"]] = Grant(
                token["oauth_token_secret"], request.client_key, account
            )

    def validate_access_token(self, client_key: str, token: str, request: Request) -> bool:
        grant = self.store.grants.get(token)
        return grant is not None and grant.client_key == client_key

    def get_access_token_secret(self, client_key: str, token: str, request: Request) -> str:
        grant = self.store.grants.get(token)
        return grant.secret if grant is not None else _DUMMY
