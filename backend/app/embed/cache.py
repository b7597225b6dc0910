"""What the tile route reuses inside one API process, so a host page shown to many readers does
not cost a token check and a tile query per request.

- **Verified tokens**: a token's signature and claims, checked once; its expiry is compared on
  every use, so a cached token still expires to the second.
- **Standing**: whether its key is in service, its configuration active and the token not
  revoked, for ``TEMPO_EMBED_CACHE_SECONDS``.
- **Tiles**: each answer's body (a tile's JSON, its HTML for a theme and a set of origins, its
  SVG for a theme) for the same time.

Revoking a token, pausing or revoking a configuration, or rotating keys in this process clears
the standing cache at once; in other processes the change shows within the cache time. With
``TEMPO_EMBED_CACHE_SECONDS=0`` nothing but verified signatures is kept.
"""

from __future__ import annotations

from typing import Any

from cachetools import LRUCache, TTLCache

from app.core.config import get_settings

MAX_ENTRIES = 20_000


class _Timed:
    """A TTL cache whose time to live is the setting at the time of the first use after a
    clear (tests and operators may change it)."""

    def __init__(self) -> None:
        self._cache: TTLCache[Any, Any] | None = None

    def _store(self) -> TTLCache[Any, Any] | None:
        seconds = get_settings().embed_cache_seconds
        if seconds <= 0:
            return None
        if self._cache is None or self._cache.ttl != seconds:
            self._cache = TTLCache(maxsize=MAX_ENTRIES, ttl=seconds)
        return self._cache

    def get(self, key: Any) -> Any | None:
        store = self._store()
        return None if store is None else store.get(key)

    def put(self, key: Any, value: Any) -> None:
        store = self._store()
        if store is not None:
            store[key] = value

    def clear(self) -> None:
        self._cache = None


# token -> (kid, claims): what a signature check proved never changes, only whether it expired
verified: LRUCache[str, Any] = LRUCache(maxsize=MAX_ENTRIES)
# (kid, configuration id, jti) -> None (in good standing) or the refusal's detail
standing = _Timed()
# (kind, account id, format, theme, origins, refresh notice) -> the answer's body
bodies = _Timed()


def forget_standing() -> None:
    """After a revocation, a pause or a key rotation: check every token again."""
    standing.clear()


def forget_all() -> None:
    verified.clear()
    standing.clear()
    bodies.clear()
