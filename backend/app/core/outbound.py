"""Where Tempo may send HTTP requests of its own (webhook and Slack channels): the SSRF policy.

A channel's URL is chosen by whoever creates the channel, so without a policy Tempo would post
to (and report the answers of) its own network: Redis on 127.0.0.1:6379, a cloud metadata
service on 169.254.169.254, an admin panel on 10.0.0.5. The rules:

* **Scheme**: ``https``. Plain ``http`` only when ``TEMPO_OUTBOUND_ALLOW_HTTP`` is on, or the host
  as written is allow-listed (a listed host name, or an IP literal inside a listed CIDR).
* **No credentials** in the URL (``https://user:pw@host/``): they would be stored and listed
  with the channel; a receiver authenticates Tempo by the webhook signature.
* **Every resolved address public**: the host is resolved (all A/AAAA records) and each address
  must be globally routable: not private (RFC 1918, fc00::/7), loopback, link-local
  (169.254/16 with the cloud metadata services, fe80::/10), unspecified (0.0.0.0, ::),
  multicast, reserved, shared/CGNAT (100.64/10) or otherwise special-purpose; IPv6 forms that
  embed an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``, NAT64
  ``64:ff9b::/96``) are judged by the IPv4 address they reach. One refused address refuses
  the URL. An address inside a ``TEMPO_OUTBOUND_ALLOW`` CIDR, or any address of a host name
  listed there, is admitted (except the unspecified address, which means "this machine" and
  never names a receiver: list 127.0.0.1 instead).
* **Pinned connection** (no DNS rebinding): the request connects to the addresses that were
  checked, never to a second lookup's answer. :class:`PinnedBackend` is an httpcore network
  backend that replaces the host name by the checked addresses at the TCP connect only, so the
  ``Host`` header, TLS SNI and certificate verification still use the host name. Environment
  proxies (``HTTPS_PROXY``) are not used for these requests: a proxy would do its own lookup.
* **Redirects are not followed**: a receiver has no reason to redirect a POST, and every hop
  would need the same checks; a 3xx is a failed delivery (``HTTP 302: redirects are not
  followed``).
* **Answers are not echoed** from receivers reached through the allow-list: their failures are
  reported by status code only, so the allow-list (meant for one internal receiver) cannot be
  used to read other services on the same network through the deliveries list. A public
  receiver's 4xx/5xx body is kept as an excerpt (at most 200 printable characters, control
  characters removed, read from at most the first 4 KiB) because it explains the refusal
  (Slack's ``invalid_token``, ``channel_is_archived``) and holds nothing from inside.

The check runs when a channel is created (a 422 on ``target`` saying why) and again right
before every send (DNS and the allow-list may have changed): a refused send fails with the
reason and no request is made.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import httpcore
import httpx

from app.core.config import get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

RESOLVE_SECONDS = 5.0
EXCERPT_CHARS = 200
EXCERPT_READ_BYTES = 4096
HINT = "Tempo does not send to private networks unless TEMPO_OUTBOUND_ALLOW lists it"

# Metadata services of the big clouds (AWS/GCP/Azure/OpenStack, AWS ECS task metadata, AWS
# IPv6 IMDS, Alibaba Cloud): named in the reason because reaching them is the usual goal.
_METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"))
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class OutboundRefused(ValueError):
    """A URL Tempo will not send to; ``str()`` is the reason, for people."""


@dataclass(frozen=True)
class Target:
    """A checked URL: the addresses to connect to, and whether the allow-list admitted it."""

    url: httpx.URL
    host: str  # as httpcore connects to it: ASCII (IDNA), IPv6 without brackets
    addresses: tuple[IPAddress, ...]
    allow_listed: bool  # the host or an address was admitted by TEMPO_OUTBOUND_ALLOW


# --- the address classifier -------------------------------------------------------------------


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address reaches: IPv4-mapped, 6to4 or NAT64 (well-known prefix)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` is not a public one ("a loopback address"), or None when it is public."""
    inner = embedded_ipv4(address)
    if inner is not None:
        why = refusal(inner)
        return f"{why} in IPv6 form" if why else None
    if address in _METADATA:
        return "a cloud metadata address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if any(address in net for net in _PRIVATE if net.version == address.version):
        return "a private address"
    if address in _SHARED:
        return "a shared (CGNAT) address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a special-purpose (non-public) address"
    return None


# --- the allow-list ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowList:
    networks: tuple[IPNetwork, ...]
    names: frozenset[str]

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """CIDRs (a bare address is a /32 or /128) and exact host names (case and trailing dot ignored)."""
        networks: list[IPNetwork] = []
        names: set[str] = set()
        for entry in entries:
            text = entry.strip()
            if not text:
                continue
            try:
                networks.append(ipaddress.ip_network(text.replace("[", "").replace("]", ""), strict=False))
            except ValueError:
                names.add(_norm_host(text))
        return cls(tuple(networks), frozenset(names))

    def admits_address(self, address: IPAddress) -> bool:
        if address.is_unspecified:
            return False
        candidates: list[IPAddress] = [address]
        inner = embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
        return any(a in net for a in candidates for net in self.networks if net.version == a.version)

    def admits_host(self, host: str) -> bool:
        """The host as written is listed: by name, or as an IP literal inside a listed CIDR."""
        literal = _ip_literal(host)
        if literal is not None:
            return self.admits_address(literal)
        return _norm_host(host) in self.names


def allow_list() -> AllowList:
    return AllowList.parse(get_settings().outbound_allow)


def _norm_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _describe(address: IPAddress) -> str:
    """For messages: without a zone id, and IPv4-mapped addresses in their dotted form."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address).split("%", 1)[0]


# --- the checks -------------------------------------------------------------------------------


def check_url(url: str) -> httpx.URL:
    """The checks that need no DNS: a valid http(s) URL with a host, no credentials, and https
    unless plain http is allowed (``TEMPO_OUTBOUND_ALLOW_HTTP`` or an allow-listed host).

    The URL is parsed by httpx, the parser that sends the request, so what is checked is what
    is connected to.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise OutboundRefused(f"target is not a valid URL ({exc})") from None
    if parsed.scheme not in ("http", "https"):
        raise OutboundRefused("target must be an http(s) URL for webhook and slack channels")
    if not parsed.raw_host:
        raise OutboundRefused("target URL has no host")
    if parsed.userinfo:
        raise OutboundRefused(
            "target must not contain credentials (user:password@); receivers verify Tempo by the webhook signature"
        )
    if (
        parsed.scheme == "http"
        and not get_settings().outbound_allow_http
        and not allow_list().admits_host(_host(parsed))
    ):
        raise OutboundRefused(
            "target must use https; plain http is allowed only when TEMPO_OUTBOUND_ALLOW_HTTP is set "
            "or TEMPO_OUTBOUND_ALLOW lists the host"
        )
    return parsed


def _host(url: httpx.URL) -> str:
    return url.raw_host.decode("ascii")


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself), in resolver order."""
    literal = _ip_literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP), RESOLVE_SECONDS
        )
    except (TimeoutError, OSError, UnicodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise OutboundRefused(f"target host {host} does not resolve ({detail})") from None
    out: list[IPAddress] = []
    for family, *_, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(sockaddr[0])
        if address not in out:
            out.append(address)
    if not out:
        raise OutboundRefused(f"target host {host} does not resolve (no addresses)")
    return out


async def check(url: str) -> Target:
    """All the checks, with DNS: raises :class:`OutboundRefused` saying why, or returns the
    target with the addresses a request must connect to."""
    parsed = check_url(url)
    host = _host(parsed)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    allowed = allow_list()
    addresses = await resolve(host, port)
    host_listed = _ip_literal(host) is None and allowed.admits_host(host)
    used_list = host_listed
    for address in addresses:
        why = refusal(address)
        if why is None:
            continue
        if address.is_unspecified or not (host_listed or allowed.admits_address(address)):
            shown = "is" if _ip_literal(host) is not None else "resolves to"
            raise OutboundRefused(f"target {shown} {_describe(address)}, {why}; {HINT}")
        used_list = True
    return Target(parsed, host, tuple(addresses), used_list)


# --- the pinned connection --------------------------------------------------------------------


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the checked addresses of one host (in order, the first that answers), never
    to another host or a fresh lookup; TLS still runs against the host name (httpcore passes the
    origin's host as SNI and for certificate checks, not the address connected to)."""

    def __init__(self, host: str, addresses: Sequence[IPAddress], inner: httpcore.AsyncNetworkBackend | None = None):
        self.host = host
        self.addresses = tuple(addresses)
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if host != self.host:
            raise httpcore.ConnectError(f"refusing to connect to {host}: not the checked host")
        error: Exception = httpcore.ConnectError(f"no checked address for {host}")
        for address in self.addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's backend interface
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not outbound targets")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a connection pool that uses :class:`PinnedBackend` (httpx has no
    public option for a network backend, so the pool it builds is replaced by an equivalent one)."""

    def __init__(self, target: Target, ssl_context: ssl.SSLContext | None = None) -> None:
        super().__init__(retries=0)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(),
            max_connections=1,
            max_keepalive_connections=0,
            network_backend=PinnedBackend(target.host, target.addresses),
        )


def client(target: Target, timeout: httpx.Timeout) -> httpx.AsyncClient:
    """A client for requests to ``target`` only: pinned, no redirects, no environment proxies
    (an explicit transport turns them off)."""
    return httpx.AsyncClient(transport=PinnedTransport(target), timeout=timeout, follow_redirects=False)


def excerpt(body: bytes, limit: int = EXCERPT_CHARS) -> str:
    """A receiver's answer made safe to show: decoded leniently, control and other unprintable
    characters dropped, runs of whitespace folded to one space, at most ``limit`` characters."""
    text = body.decode("utf-8", errors="replace")
    kept = "".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in text)
    folded = " ".join(kept.split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"
