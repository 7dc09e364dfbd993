"""API keys: who is calling the sandbox, and with which kind of key.

Stripe takes the key by HTTP basic auth (``curl -u sk_test_…:``, the key as user name)
or as a bearer token (``Authorization: Bearer sk_test_…``, what the SDKs send). paykit
follows it, and adds one rule of its own: it is a test-mode sandbox, so live keys are
always refused (a learner who pastes one should find out here, not in production).

=====================  ====================================================================
key                    what it may do
=====================  ====================================================================
``sk_test_…``          everything (a secret key)
``pk_test_…``          what Stripe.js does: retrieve and confirm a PaymentIntent with its
                       ``client_secret``, create a PaymentMethod; the test helper for the
                       customer's side of ``next_action``. Anything else: 401, as
                       Stripe answers it. Stripe.js sends it as ``key=pk_…`` in the
                       body or query: ``routes.handle`` reads it there too.
``sk_live_…`` etc.     refused: 401
``rk_test_…``          restricted keys are not modelled: 401
none, malformed        401, Stripe's ``AuthenticationError`` JSON
=====================  ====================================================================

By default any well-formed test key works, as with stripe-mock, so the docs' commands
run unchanged (their example key is ``sk_test_Hrs6SAopgFPF0bZXSN3f6ELN``). ``Keys``
narrows that to a fixed set, to see what a wrong key does.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from paykit.errors import AuthenticationError
from paykit.sensitive import mask_key

__all__ = ["ApiKey", "KeyKind", "Keys", "key_for_log"]

#: The two kinds of key paykit accepts.
KeyKind = Literal["secret", "publishable"]

_KEY = re.compile(r"(sk|pk|rk)_(test|live)_[A-Za-z0-9_]{1,247}")
_KINDS: dict[str, KeyKind] = {"sk": "secret", "pk": "publishable"}
_NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY') or basic auth "
    "(curl -u sk_test_...:). paykit accepts any sk_test_ key."
)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """The key of one request, once accepted."""

    value: str
    kind: KeyKind

    @property
    def masked(self) -> str:
        return mask_key(self.value)

    def __repr__(self) -> str:
        """Masked: a repr lands in tracebacks, logs and notebook outputs."""
        return f"ApiKey(value={self.masked!r}, kind={self.kind!r})"


@dataclass(frozen=True, slots=True)
class Keys:
    """Which keys the sandbox accepts; ``None`` means any well-formed test key of the kind."""

    secret: frozenset[str] | None = None
    publishable: frozenset[str] | None = None

    @classmethod
    def only(cls, keys: Iterable[str]) -> Keys:
        """Exactly these keys (``sk_test_…`` and ``pk_test_…`` mixed)."""
        keys = list(keys)
        for key in keys:
            match = _KEY.fullmatch(key)
            if match is None or match[2] != "test" or match[1] not in _KINDS:
                raise ValueError(f"not a test secret or publishable key: {mask_key(key)}")
        return cls(secret=frozenset(k for k in keys if k.startswith("sk_")),
                   publishable=frozenset(k for k in keys if k.startswith("pk_")))

    def authenticate(self, headers: Mapping[str, str]) -> ApiKey:
        """The caller's key from the ``authorization`` header (lower-case names), or 401."""
        key = _key_from(headers.get("authorization"))
        match = _KEY.fullmatch(key)
        if match is None:
            raise AuthenticationError(f"Invalid API Key provided: {mask_key(key)}")
        prefix, mode = match[1], match[2]
        if mode == "live":
            raise AuthenticationError(
                f"paykit is a test-mode sandbox and refuses live keys ({mask_key(key)}). "
                "Never paste a live key into a sandbox or a notebook; use a sk_test_ key."
            )
        if prefix == "rk":
            raise AuthenticationError(
                f"Restricted keys ({mask_key(key)}) are not modelled by paykit; use a "
                "sk_test_ key."
            )
        kind = _KINDS[prefix]
        allowed = self.secret if kind == "secret" else self.publishable
        if allowed is not None and key not in allowed:
            raise AuthenticationError(f"Invalid API Key provided: {mask_key(key)}")
        return ApiKey(key, kind)


def _key_from(header: str | None) -> str:
    """The key of a Basic or Bearer ``Authorization`` header."""
    if header is None or not header.strip():
        raise AuthenticationError(_NO_KEY)
    scheme, _, credentials = header.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        key = credentials
    elif scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise AuthenticationError(
                "Invalid authorization header: basic auth must be base64 of "
                "'sk_test_...:' (curl -u sk_test_...:)."
            ) from None
        key = decoded.partition(":")[0]
    else:
        raise AuthenticationError(
            "Invalid authorization header: use 'Bearer sk_test_...' or basic auth "
            "(curl -u sk_test_...:)."
        )
    if not key:
        raise AuthenticationError(_NO_KEY)
    return key


def key_for_log(header: str | None) -> str:
    """The masked key of an ``Authorization`` header, for a log line; ``-`` if none."""
    try:
        return mask_key(_key_from(header))
    except AuthenticationError:
        return "-"
