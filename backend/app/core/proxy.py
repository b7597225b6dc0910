"""Who the client is and which scheme it used, believing proxies in ``trusted_proxies`` only.

uvicorn runs with ``proxy_headers=False`` (``tempo serve``, ``tempo up``), so ``scope["client"]``
is always the socket peer and ``scope["scheme"]`` what that connection spoke. This module is the
one place that reads ``X-Forwarded-For`` / ``X-Forwarded-Proto``, and only when the socket peer
is a trusted proxy (``TEMPO_TRUSTED_PROXIES``, CIDRs; none by default): otherwise anyone could
choose the address their sign-in attempts are counted against, or claim https.

Behind trusted proxies the client is the rightmost ``X-Forwarded-For`` address that is not itself
a trusted proxy: each proxy appends the address it saw, so everything to the right of that entry
was written by proxies we trust and everything to its left by the client (worthless).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from functools import lru_cache

from starlette.requests import HTTPConnection
from starlette.types import Scope

from app.core.config import get_settings

log = logging.getLogger(__name__)

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[_Network, ...]:
    networks: list[_Network] = []
    for cidr in cidrs:
        try:
            networks.append(ipaddress.ip_network(cidr.strip(), strict=False))
        except ValueError:
            # Trusting less than configured is the safe side of a typo; say so once.
            log.warning("ignoring trusted_proxies entry %r: not an address or CIDR", cidr)
    return tuple(networks)


def _parse(value: str) -> _Address | None:
    """An address as proxies write it: bare, ``[v6]:port`` or ``v4:port``; None if it is not one."""
    value = value.strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: _Address | None, networks: Iterable[_Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def _scope(scope_or_request: HTTPConnection | Scope) -> Scope:
    return scope_or_request.scope if isinstance(scope_or_request, HTTPConnection) else scope_or_request


def _header_values(scope: Scope, name: bytes) -> list[str]:
    """Every comma-separated entry of every ``name`` header, in order."""
    return [
        part.strip()
        for key, value in scope.get("headers") or ()
        if key.lower() == name
        for part in value.decode("latin-1").split(",")
        if part.strip()
    ]


def _trusted_peer(scope: Scope) -> tuple[str | None, tuple[_Network, ...] | None]:
    """(socket peer host, trusted networks if the peer is one of them, else None)."""
    client = scope.get("client")
    peer = client[0] if client else None
    cidrs = get_settings().trusted_proxies
    if not cidrs or not peer:
        return peer, None
    networks = _networks(tuple(cidrs))
    return peer, networks if _is_trusted(_parse(peer), networks) else None


def client_ip(scope_or_request: HTTPConnection | Scope) -> str | None:
    """The client's address: the socket peer, or behind a trusted proxy the rightmost
    ``X-Forwarded-For`` entry that is not a trusted proxy. None when the server knows no peer."""
    scope = _scope(scope_or_request)
    peer, networks = _trusted_peer(scope)
    if networks is None:
        return peer
    nearest = str(_parse(peer or "") or peer)
    for entry in reversed(_header_values(scope, b"x-forwarded-for")):
        address = _parse(entry)
        if address is None:
            # Not an address, so not written by a proxy we trust: the client is the last hop we
            # can vouch for (the proxy that handed this entry on).
            return nearest
        nearest = str(address)
        if not _is_trusted(address, networks):
            return nearest
    # No header, or every hop a trusted proxy (a health check from inside): the leftmost one.
    return nearest


def forwarded_proto(scope_or_request: HTTPConnection | Scope) -> str:
    """``http`` or ``https`` as the client spoke it: the connection's scheme, or what a trusted
    proxy (the socket peer) says in ``X-Forwarded-Proto`` (its rightmost entry: the one it wrote)."""
    scope = _scope(scope_or_request)
    scheme = "https" if scope.get("scheme") in ("https", "wss") else "http"
    _, networks = _trusted_peer(scope)
    if networks is None:
        return scheme
    said = _header_values(scope, b"x-forwarded-proto")
    proto = said[-1].lower() if said else ""
    return proto if proto in ("http", "https") else scheme
