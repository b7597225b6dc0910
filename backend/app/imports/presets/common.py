"""Small readings shared by the presets' ``derive`` functions."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from app.core.types import domain

# Addresses at these domains say nothing about the customer's company.
FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
    }
)
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|m|s)[a-z]*", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d+):(\d{2})(?::(\d{2}))?$")


def company_domain(text: str) -> str | None:
    """The company domain of an address or domain cell (None for free-mail or nonsense)."""
    host = text.strip().rsplit("@", 1)[-1]
    if not host:
        return None
    try:
        found = domain(host)
    except ValueError:
        return None
    return None if found in FREE_MAIL else found


def seconds(text: str) -> float | None:
    """``"3600"`` (seconds), ``"1h 5m"``, ``"2d 3h"``, ``"00:05:12"`` -> seconds; None when unreadable."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    clock = _CLOCK.match(text)
    if clock:
        return int(clock[1]) * 3600 + int(clock[2]) * 60 + int(clock[3] or 0)
    parts = _DURATION_PART.findall(text)
    if not parts or _DURATION_PART.sub("", text).strip():
        return None
    unit = {"d": 86_400, "h": 3600, "m": 60, "s": 1}
    return sum(float(n) * unit[u.lower()] for n, u in parts)


def after(opened: Any, delay_seconds: float | None) -> str | None:
    """``opened`` (ISO, as normalised) plus a delay, in ISO; None when either is missing."""
    if delay_seconds is None or not isinstance(opened, str):
        return None
    try:
        return (datetime.fromisoformat(opened) + timedelta(seconds=delay_seconds)).isoformat()
    except ValueError:
        return None  # opened_at's own error is reported by validation


def unresolved_if_open(item: dict[str, Any]) -> None:
    """A reopened ticket keeps its last solve time in exports; while open it is not resolved."""
    if item.get("status") in ("open", "pending"):
        item.pop("resolved_at", None)
