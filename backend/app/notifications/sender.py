"""Sending one delivery: webhooks (JSON, HMAC-signed), Slack-compatible webhooks (text, or Block Kit
blocks with a text fallback), SMTP email (plain text, or HTML with inline images and a text
alternative)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import smtplib
import time
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx

from app.core import outbound
from app.core.config import get_settings

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
ERROR_CHARS = 200


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
    """POST to ``url`` if the outbound policy (app.core.outbound) allows it right now: the URL is
    checked and resolved again (DNS and the allow-list may have changed since the channel was
    made) and the request connects only to the checked addresses. A refused URL fails without a
    request; a redirect is not followed (a failure); a receiver's answer is shown only as a short
    sanitised excerpt of a public receiver's 4xx/5xx, never from an allow-listed (internal) one."""
    try:
        target = await outbound.check(url)
    except outbound.OutboundRefused as exc:
        return Outcome(False, None, str(exc))
    sent_headers = {"Content-Type": "application/json", "Accept-Encoding": "identity", **headers}
    try:
        async with (
            outbound.client(target, TIMEOUT) as client,
            client.stream("POST", target.url, content=body, headers=sent_headers) as response,
        ):
            status = response.status_code
            head = b""
            if status >= 400 and not target.allow_listed:
                head = await _head(response)
    except httpx.HTTPError as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:ERROR_CHARS])
    if 200 <= status < 300:
        return Outcome(True, status)
    if 300 <= status < 400:
        return Outcome(False, status, f"HTTP {status}: redirects are not followed")
    text = outbound.excerpt(head)
    return Outcome(False, status, f"HTTP {status}: {text}" if text else f"HTTP {status}")


async def _head(response: httpx.Response) -> bytes:
    """The first bytes of the answer, as sent (undecoded, so no decompression), never all of it."""
    out = b""
    async for chunk in response.aiter_raw():
        out += chunk
        if len(out) >= outbound.EXCERPT_READ_BYTES:
            break
    return out[: outbound.EXCERPT_READ_BYTES]


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
    """``{text}``, or ``{text, blocks}`` when the payload carries Block Kit blocks (the text is
    then the fallback notifications show)."""
    message: dict[str, Any] = {"text": slack_text(event_type, payload)}
    if payload.get("blocks"):
        message["blocks"] = payload["blocks"]
    return await post_json(url, json.dumps(message).encode(), {})


def message_of(to: str, payload: dict[str, Any], subject: str) -> EmailMessage:
    """Plain text; with ``html`` in the payload, multipart/alternative: the text, then the HTML
    with its ``images`` (base64 PNGs named by Content-ID) as related inline parts."""
    message = EmailMessage()
    message["From"] = get_settings().smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(str(payload.get("text") or ""))
    if payload.get("html"):
        message.add_alternative(str(payload["html"]), subtype="html")
        html_part = next(p for p in message.iter_parts() if p.get_content_type() == "text/html")
        for image in payload.get("images") or []:
            maintype, _, subtype = str(image.get("content_type", "image/png")).partition("/")
            html_part.add_related(
                base64.b64decode(image["data"]),
                maintype=maintype,
                subtype=subtype,
                cid=f"<{image['cid']}>",
                filename=image.get("filename"),
                disposition="inline",
            )
    return message


def _send_mail(to: str, subject: str, payload: dict[str, Any]) -> None:
    settings = get_settings()
    if not settings.smtp_host:
        raise RuntimeError("no SMTP relay configured (TEMPO_SMTP_HOST)")
    message = message_of(to, payload, subject)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)


async def email(to: str, event_type: str, payload: dict[str, Any]) -> Outcome:
    subject = str(payload.get("subject") or f"Tempo: {event_type}")
    try:
        await asyncio.to_thread(_send_mail, to, subject, payload)
    except (OSError, smtplib.SMTPException, RuntimeError, ValueError, KeyError) as exc:  # ValueError: a bad image
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(True)
