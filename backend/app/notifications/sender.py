"""Sending one delivery: webhooks (JSON, HMAC-signed), Slack-compatible webhooks, SMTP email."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx

from app.core.config import get_settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` HMAC of ``timestamp.body``: receivers recompute it and check the timestamp is recent."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def slack_text(event_type: str, payload: dict[str, Any]) -> str:
    return str(payload.get("text") or f"Tempo: {event_type}")


async def post_json(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False) as client:
            response = await client.post(url, content=body, headers={"Content-Type": "application/json", **headers})
    except httpx.HTTPError as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= response.status_code < 300:
        return Outcome(True, response.status_code)
    return Outcome(False, response.status_code, f"HTTP {response.status_code}: {response.text[:300]}")


async def webhook(url: str, secret: str | None, delivery_id: str, event_type: str, payload: dict[str, Any]) -> Outcome:
    body = json.dumps(
        {"id": delivery_id, "type": event_type, "data": payload}, separators=(",", ":"), default=str
    ).encode()
    timestamp = str(int(time.time()))
    headers = {"X-Tempo-Event": event_type, "X-Tempo-Delivery": delivery_id, "X-Tempo-Timestamp": timestamp}
    if secret:
        headers["X-Tempo-Signature"] = signature(secret, timestamp, body)
    return await post_json(url, body, headers)


async def slack(url: str, event_type: str, payload: dict[str, Any]) -> Outcome:
    body = json.dumps({"text": slack_text(event_type, payload)}).encode()
    return await post_json(url, body, {})


def _send_mail(to: str, subject: str, text: str) -> None:
    settings = get_settings()
    if not settings.smtp_host:
        raise RuntimeError("no SMTP relay configured (TEMPO_SMTP_HOST)")
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)


async def email(to: str, event_type: str, payload: dict[str, Any]) -> Outcome:
    subject = str(payload.get("subject") or f"Tempo: {event_type}")
    try:
        await asyncio.to_thread(_send_mail, to, subject, str(payload.get("text") or ""))
    except (OSError, smtplib.SMTPException, RuntimeError) as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(True)
