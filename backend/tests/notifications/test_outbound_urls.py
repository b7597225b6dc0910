"""The outbound policy (SSRF): channel URLs pointing into Tempo's own network are refused when
the channel is made (422 on ``target``, saying why) and again at every send (no request made);
what is allow-listed is reached through a connection pinned to the checked address; receivers'
answers are not echoed beyond a short sanitised excerpt from public receivers."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpcore
import pytest

from app.core import outbound
from app.core.config import get_settings
from app.core.enums import Role
from app.notifications import service
from tests.factories import bearer
from tests.notifications.receivers import Receiver

HINT = "Tempo does not send to private networks unless TEMPO_OUTBOUND_ALLOW lists it"
CHANNELS = "/api/v1/notifications/channels"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
async def admin(session):
    return await bearer(session, Role.admin)


@pytest.fixture
def settings(outbound_defaults):
    return get_settings()


@pytest.fixture
async def fake_dns(monkeypatch):
    """Names of our own (under .invalid, which real DNS never answers) resolving to chosen
    addresses, through the event loop's resolver like any other name; others resolve as usual."""
    names: dict[str, list[str]] = {}
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, bytes):
            host = host.decode()
        if host in names:
            if not names[host]:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    (a, port, 0, 0) if ":" in a else (a, port),
                )
                for a in names[host]
            ]
        return await real(host, port, *args, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
    return names


async def create(client, admin, target: str, kind: str = "webhook"):
    return await client.post(CHANNELS, json={"name": "x", "kind": kind, "target": target}, headers=admin)


def target_error(r) -> str:
    """The one field error, which must be on body.target; its message."""
    assert r.status_code == 422, r.text
    problem = r.json()
    [error] = problem["errors"]
    assert error["loc"] == ["body", "target"]
    assert problem["detail"] == f"body.target: {error['msg']}"
    return error["msg"]


# --- the address classifier -------------------------------------------------------------------

CLASSIFIED = [
    # public
    ("8.8.8.8", None),
    ("1.1.1.1", None),
    ("2606:4700:4700::1111", None),
    ("::ffff:8.8.8.8", None),  # IPv4-mapped, public
    ("2002:808:808::1", None),  # 6to4 of 8.8.8.8
    ("64:ff9b::808:808", None),  # NAT64 of 8.8.8.8
    # loopback
    ("127.0.0.1", "a loopback address"),
    ("127.255.0.1", "a loopback address"),
    ("::1", "a loopback address"),
    # unspecified
    ("0.0.0.0", "an unspecified address"),  # noqa: S104 - an address to classify, not a bind
    ("::", "an unspecified address"),
    # cloud metadata (link-local and otherwise)
    ("169.254.169.254", "a cloud metadata address"),
    ("169.254.170.2", "a cloud metadata address"),
    ("fd00:ec2::254", "a cloud metadata address"),
    ("100.100.100.200", "a cloud metadata address"),
    # link-local
    ("169.254.1.1", "a link-local address"),
    ("fe80::1", "a link-local address"),
    ("fe80::1%eth0", "a link-local address"),
    # private
    ("10.0.0.5", "a private address"),
    ("172.16.3.4", "a private address"),
    ("172.31.255.255", "a private address"),
    ("192.168.1.1", "a private address"),
    ("fc00::1", "a private address"),
    ("fd12:3456::1", "a private address"),
    # shared address space (carrier-grade NAT)
    ("100.64.0.1", "a shared (CGNAT) address"),
    ("100.127.255.254", "a shared (CGNAT) address"),
    # multicast
    ("224.0.0.1", "a multicast address"),
    ("ff02::1", "a multicast address"),
    # reserved
    ("240.0.0.1", "a reserved address"),
    ("255.255.255.255", "a reserved address"),
    ("::127.0.0.1", "a reserved address"),  # deprecated IPv4-compatible form
    # other special-purpose ranges
    ("192.0.2.1", "a special-purpose (non-public) address"),  # documentation
    ("198.18.0.1", "a special-purpose (non-public) address"),  # benchmarking
    ("2001:db8::1", "a special-purpose (non-public) address"),  # documentation
    # IPv6 forms of refused IPv4 addresses
    ("::ffff:127.0.0.1", "a loopback address in IPv6 form"),
    ("::ffff:169.254.169.254", "a cloud metadata address in IPv6 form"),
    ("::ffff:10.0.0.1", "a private address in IPv6 form"),
    ("::ffff:0.0.0.0", "an unspecified address in IPv6 form"),
    ("2002:7f00:1::", "a loopback address in IPv6 form"),  # 6to4
    ("2002:a9fe:a9fe::", "a cloud metadata address in IPv6 form"),  # 6to4
    ("64:ff9b::a9fe:a9fe", "a cloud metadata address in IPv6 form"),  # NAT64
    ("64:ff9b::a00:5", "a private address in IPv6 form"),  # NAT64
]


@pytest.mark.parametrize(("address", "reason"), CLASSIFIED)
def test_address_classifier(address, reason):
    assert outbound.refusal(ipaddress.ip_address(address)) == reason


ALLOW = outbound.AllowList.parse(
    ["10.0.0.0/8", " hooks.internal. ", "127.0.0.1", "[fd00::]/8", "0.0.0.0/0", "", "bad/99"]
)


@pytest.mark.parametrize(
    ("address", "admitted"),
    [
        ("10.1.2.3", True),
        ("::ffff:10.1.2.3", True),  # the IPv4 address it reaches is listed
        ("127.0.0.1", True),
        ("127.0.0.2", True),  # 0.0.0.0/0 lists every IPv4 address...
        ("0.0.0.0", False),  # noqa: S104 - ...but never the unspecified one
        ("fd12::1", True),
        ("::1", False),
    ],
)
def test_allow_list_addresses(address, admitted):
    assert ALLOW.admits_address(ipaddress.ip_address(address)) is admitted


def test_allow_list_hosts():
    assert ALLOW.names == frozenset({"hooks.internal", "bad/99"})
    assert ALLOW.admits_host("HOOKS.internal.") and ALLOW.admits_host("10.9.9.9")
    assert not ALLOW.admits_host("other.internal") and not ALLOW.admits_host("sub.hooks.internal")


# --- refused when the channel is made -----------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("http://127.0.0.1:6379/", f"target is 127.0.0.1, a loopback address; {HINT}"),
        ("http://localhost/", f"target resolves to 127.0.0.1, a loopback address; {HINT}"),
        ("http://127.1/", f"target resolves to 127.0.0.1, a loopback address; {HINT}"),
        ("http://2130706433/", f"target resolves to 127.0.0.1, a loopback address; {HINT}"),
        ("http://0x7f000001/", f"target resolves to 127.0.0.1, a loopback address; {HINT}"),
        (
            "http://169.254.169.254/latest/meta-data/",
            f"target is 169.254.169.254, a cloud metadata address; {HINT}",
        ),
        ("http://[::1]/", f"target is ::1, a loopback address; {HINT}"),
        ("http://[::ffff:127.0.0.1]/", f"target is ::ffff:127.0.0.1, a loopback address in IPv6 form; {HINT}"),
        ("http://10.0.0.5/", f"target is 10.0.0.5, a private address; {HINT}"),
        ("http://0.0.0.0:8000/", f"target is 0.0.0.0, an unspecified address; {HINT}"),
        ("http://100.64.0.1/", f"target is 100.64.0.1, a shared (CGNAT) address; {HINT}"),
    ],
)
async def test_private_targets_are_refused(client, admin, settings, monkeypatch, target, message):
    monkeypatch.setattr(settings, "outbound_allow_http", True)  # so the address is what refuses them
    for kind in ("webhook", "slack"):
        assert target_error(await create(client, admin, target, kind)) == message
    assert (await client.get(CHANNELS, headers=admin)).json() == []


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            "https://user:pw@example.com/",
            "target must not contain credentials (user:password@); receivers verify Tempo by the webhook signature",
        ),
        (
            "http://example.com",
            "target must use https; plain http is allowed only when TEMPO_OUTBOUND_ALLOW_HTTP is set "
            "or TEMPO_OUTBOUND_ALLOW lists the host",
        ),
        (
            "http://127.0.0.1:6379/",
            "target must use https; plain http is allowed only when TEMPO_OUTBOUND_ALLOW_HTTP is set "
            "or TEMPO_OUTBOUND_ALLOW lists the host",
        ),
        ("https://127.0.0.1/", f"target is 127.0.0.1, a loopback address; {HINT}"),
        ("https://localhost/", f"target resolves to 127.0.0.1, a loopback address; {HINT}"),
        ("ftp://example.com/", "target must be an http(s) URL for webhook and slack channels"),
        ("https:///hook", "target URL has no host"),
    ],
)
async def test_malformed_targets_are_refused(client, admin, settings, target, message):
    assert target_error(await create(client, admin, target)) == message


async def test_a_name_is_refused_if_any_address_is_private(client, admin, settings, fake_dns):
    fake_dns["mixed.tempo-test.invalid"] = ["8.8.8.8", "10.1.1.1"]
    fake_dns["gone.tempo-test.invalid"] = []
    fake_dns["ok.tempo-test.invalid"] = ["8.8.8.8", "2606:4700:4700::1111"]
    msg = target_error(await create(client, admin, "https://mixed.tempo-test.invalid/hook"))
    assert msg == f"target resolves to 10.1.1.1, a private address; {HINT}"
    msg = target_error(await create(client, admin, "https://gone.tempo-test.invalid/hook"))
    assert msg == "target host gone.tempo-test.invalid does not resolve (Name or service not known)"
    r = await create(client, admin, "https://ok.tempo-test.invalid/hook")
    assert r.status_code == 201, r.text


async def test_the_allow_list_admits_listed_networks_only(client, admin, settings, monkeypatch):
    monkeypatch.setattr(settings, "outbound_allow", ["10.0.0.0/8"])
    assert (await create(client, admin, "http://10.0.0.5/hook")).status_code == 201  # listed: http too
    assert target_error(await create(client, admin, "https://127.0.0.1/")).startswith("target is 127.0.0.1, a loopback")
    assert target_error(await create(client, admin, "http://192.168.0.1/")).startswith("target must use https")


async def test_email_channels_are_untouched(client, admin, settings):
    r = await create(client, admin, "cs-team@example.com", kind="email")
    assert r.status_code == 201, r.text
    assert target_error(await create(client, admin, "not-an-email", kind="email")) == (
        "not an email address (expected name@domain.tld)"
    )


# --- sending ------------------------------------------------------------------------------------


async def test_an_allow_listed_receiver_gets_the_delivery(client, session, admin, settings, monkeypatch, receiver):
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    monkeypatch.setattr(settings, "outbound_allow_http", True)
    assert (await create(client, admin, receiver.url)).status_code == 201
    [delivery] = await service.emit(session, "test.ping", {"text": "ping"})
    assert await service.deliver(delivery.id) == "delivered"
    [got] = receiver.requests
    assert got["path"] == "/hook" and got["headers"]["Host"] == f"127.0.0.1:{receiver.port}"


async def test_the_connection_is_pinned_to_the_checked_address(
    client, session, admin, settings, monkeypatch, receiver, fake_dns
):
    """The name is resolved once, by the check; the request connects to that address with the
    name kept in the Host header (httpx could not resolve this name itself). When the name
    later resolves elsewhere (DNS rebinding), the send is refused before any request."""
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    monkeypatch.setattr(settings, "outbound_allow_http", True)
    name = "hooks.tempo-test.invalid"
    fake_dns[name] = ["127.0.0.1"]
    url = f"http://{name}:{receiver.port}/hook"
    assert (await create(client, admin, url, kind="slack")).status_code == 201
    [first, second] = [(await service.emit(session, "test.ping", {"text": "ping"}))[0] for _ in range(2)]
    assert await service.deliver(first.id) == "delivered"
    [got] = receiver.requests
    assert got["headers"]["Host"] == f"{name}:{receiver.port}"

    fake_dns[name] = ["169.254.169.254"]
    assert await service.deliver(second.id) == "failed"
    await session.refresh(second)
    assert second.last_error == f"target resolves to 169.254.169.254, a cloud metadata address; {HINT}"
    assert second.last_status_code is None and len(receiver.requests) == 1


async def test_pinned_backend_connects_to_nothing_else():
    backend = outbound.PinnedBackend("hooks.example.com", [ipaddress.ip_address("127.0.0.1")])
    with pytest.raises(httpcore.ConnectError, match="not the checked host"):
        await backend.connect_tcp("127.0.0.1", 80)
    with pytest.raises(httpcore.ConnectError):
        await backend.connect_unix_socket("/var/run/docker.sock")


async def test_allowed_when_made_refused_once_the_allow_list_is_removed(
    client, session, admin, settings, monkeypatch, receiver
):
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    monkeypatch.setattr(settings, "outbound_allow_http", True)
    assert (await create(client, admin, receiver.url)).status_code == 201
    [delivery] = await service.emit(session, "test.ping", {"text": "ping"})
    monkeypatch.setattr(settings, "outbound_allow", [])
    assert await service.deliver(delivery.id) == "failed"
    await session.refresh(delivery)
    assert delivery.last_error == f"target is 127.0.0.1, a loopback address; {HINT}"
    assert delivery.last_status_code is None
    assert receiver.requests == []


SECRET_PAGE = b"<html>internal admin: AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</html>"


async def test_an_allow_listed_receivers_answer_is_not_echoed(client, session, admin, settings, monkeypatch):
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    r = Receiver(status=500, body=SECRET_PAGE)
    try:
        assert (await create(client, admin, r.url)).status_code == 201
        [delivery] = await service.emit(session, "test.ping", {"text": "ping"})
        assert await service.deliver(delivery.id) == "failed"
    finally:
        r.close()
    listed = (await client.get("/api/v1/notifications/deliveries", headers=admin)).json()
    assert [(d["last_status_code"], d["last_error"]) for d in listed] == [(500, "HTTP 500")]
    assert b"SECRET" not in (await client.get("/api/v1/notifications/deliveries", headers=admin)).content


async def test_a_public_receivers_answer_is_a_short_clean_excerpt(client, session, admin, settings, monkeypatch):
    """Only a public receiver's failure body is shown: 200 printable characters at most, control
    characters dropped. (127.0.0.1 is made to count as public here to serve the answer.)"""
    monkeypatch.setattr(settings, "outbound_allow_http", True)
    monkeypatch.setattr(outbound, "refusal", lambda address: None)
    body = b"invalid_token\x1b[31m\r\nX-Injected: 1\x00\x07 " + b"y" * 5000
    r = Receiver(status=403, body=body)
    try:
        assert (await create(client, admin, r.url)).status_code == 201
        [delivery] = await service.emit(session, "test.ping", {"text": "ping"})
        assert await service.deliver(delivery.id) == "failed"
    finally:
        r.close()
    await session.refresh(delivery)
    expected = "invalid_token[31m X-Injected: 1 " + "y" * (200 - 1 - len("invalid_token[31m X-Injected: 1 ")) + "…"
    assert delivery.last_error == f"HTTP 403: {expected}"
    assert len(delivery.last_error) == len("HTTP 403: ") + 200


async def test_redirects_are_not_followed(client, session, admin, settings, monkeypatch):
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    r = Receiver(status=302, body=b"", headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    try:
        assert (await create(client, admin, r.url)).status_code == 201
        [delivery] = await service.emit(session, "test.ping", {"text": "ping"})
        assert await service.deliver(delivery.id) == "failed"
        assert len(r.requests) == 1
    finally:
        r.close()
    await session.refresh(delivery)
    assert (delivery.last_status_code, delivery.last_error) == (302, "HTTP 302: redirects are not followed")


def test_excerpt():
    assert outbound.excerpt(b"") == ""
    assert outbound.excerpt(b"  channel_is_archived\n") == "channel_is_archived"
    assert outbound.excerpt("caf\u00e9 \u202eevil\u200b".encode()) == "caf\u00e9 evil"  # format chars dropped
    assert outbound.excerpt(b"\xff\xfeok") == "\ufffd\ufffdok"
    assert outbound.excerpt(b"a" * 300) == "a" * 199 + "…"
