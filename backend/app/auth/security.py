"""Credential primitives: argon2 passwords, opaque session tokens and API keys.

Tokens and keys are random (256 bits) and shown once; only their SHA-256 is stored,
which is enough for secrets of that entropy and keeps lookups O(1).
"""

from __future__ import annotations

import hashlib
import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
SESSION_PREFIX = "tps_"
DEVICE_PREFIX = "tpd_"
API_KEY_PREFIX = "tk_"
_ALPHABET = string.ascii_lowercase + string.digits
# A fixed hash to verify against when the user does not exist, so timing does not
# reveal which emails have accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_session_token() -> str:
    return SESSION_PREFIX + secrets.token_urlsafe(32)


def new_device_token() -> str:
    """What a browser keeps to be recognised as a device its user signed in from before."""
    return DEVICE_PREFIX + secrets.token_urlsafe(32)


def new_api_key() -> tuple[str, str]:
    """Return (full key, lookup prefix). The key looks like ``tk_ab12cd34_<secret>``."""
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}", prefix


def api_key_prefix(key: str) -> str | None:
    if not key.startswith(API_KEY_PREFIX):
        return None
    prefix, _, secret = key[len(API_KEY_PREFIX) :].partition("_")
    return prefix if len(prefix) == 8 and secret else None
