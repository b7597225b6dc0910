"""Notification tests post to real receivers on 127.0.0.1, which the outbound policy
(app.core.outbound) refuses by default: ``allow_loopback`` lists it, as an operator would
list an internal receiver with TEMPO_OUTBOUND_ALLOW and TEMPO_OUTBOUND_ALLOW_HTTP."""

from __future__ import annotations

import pytest

from app.core.config import get_settings


@pytest.fixture
def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "outbound_allow", ["127.0.0.1/32"])
    monkeypatch.setattr(settings, "outbound_allow_http", True)


@pytest.fixture
def outbound_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped policy (https only, nothing allow-listed), whatever the environment says."""
    settings = get_settings()
    monkeypatch.setattr(settings, "outbound_allow", [])
    monkeypatch.setattr(settings, "outbound_allow_http", False)
