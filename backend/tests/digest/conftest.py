"""Real receivers for the digest's deliveries: an SMTP server (aiosmtpd) on a free loopback
port, and the notification tests' HTTP receiver, which the outbound policy admits only once
127.0.0.1 is allow-listed (as an operator would with TEMPO_OUTBOUND_ALLOW)."""

from __future__ import annotations

import pytest

from app.core.config import get_settings
from tests.notifications.receivers import Receiver, smtp_server


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch):
    with smtp_server(monkeypatch) as inbox:
        yield inbox


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
