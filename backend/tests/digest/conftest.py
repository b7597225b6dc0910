"""Real receivers for the digest's deliveries: an SMTP server (aiosmtpd) on a free loopback
port, and the notification tests' HTTP receiver, which the outbound policy admits only once
127.0.0.1 is allow-listed (as an operator would with TEMPO_OUTBOUND_ALLOW)."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.core.config import get_settings
from tests.notifications.receivers import Receiver


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    monkeypatch.setattr(settings, "smtp_starttls", False)
    yield inbox
    controller.stop()


@pytest.fixture
def no_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "smtp_host", None)


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    monkeypatch.setattr(settings, "outbound_allow_http", True)
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def public_url(monkeypatch: pytest.MonkeyPatch) -> str:
    url = "https://tempo.example.com"
    monkeypatch.setattr(get_settings(), "public_url", url + "/")
    return url
