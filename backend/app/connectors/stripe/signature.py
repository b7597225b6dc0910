"""Stripe's webhook signature: ``Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]``, parsed
strictly (bounded, printable ASCII, digits that are ASCII digits) and checked in constant time
within the tolerance (see the package docstring)."""

from __future__ import annotations

import hashlib
import hmac
import re
import time

from app.core.errors import ProblemError

# Stripe-Signature header bounds: Stripe sends t, one v1 per active signing secret (two
# while a secret is rolled) and, in test mode, a v0; these leave room and stop there.
MAX_SIGNATURE_HEADER = 2048
MAX_SIGNATURE_PARTS = 16
MAX_SIGNATURES = 8
_HEADER_PART = re.compile(r"([a-z][a-z0-9]{0,15})=([!-~]{1,256})", re.ASCII)
_TIMESTAMP = re.compile(r"[0-9]{1,10}", re.ASCII)
_HEX_SIGNATURE = re.compile(r"[0-9a-f]{1,64}", re.ASCII)


class InvalidSignature(ProblemError):
    status = 400
    title = "Invalid Stripe signature"


def sign(payload: bytes, secret: str, timestamp: int) -> str:
    """The ``v1`` signature Stripe computes for ``payload`` sent at ``timestamp``."""
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def _parse_signature_header(header: str) -> tuple[str, list[str]]:
    """The timestamp and ``v1`` signatures of a ``Stripe-Signature`` header, read strictly.

    Every comma-separated part must be ``key=value`` in printable ASCII (surrounding blanks
    allowed); ``t`` appears once, as 1 to 10 ASCII digits (a 10-digit Unix time reaches
    the year 2286); ``v1`` values are lowercase hex of at most 64 digits (HMAC-SHA256), at
    most ``MAX_SIGNATURES`` of them; other schemes (Stripe's ``v0``) are ignored. The
    header is at most ``MAX_SIGNATURE_HEADER`` characters. Anything else is refused.
    """

    def malformed(why: str) -> InvalidSignature:
        return InvalidSignature(
            f"Unable to extract the timestamp and v1 signatures from the Stripe-Signature header: {why}"
        )

    if len(header) > MAX_SIGNATURE_HEADER:
        raise malformed(f"longer than {MAX_SIGNATURE_HEADER} characters")
    parts = header.split(",")
    if len(parts) > MAX_SIGNATURE_PARTS:
        raise malformed(f"more than {MAX_SIGNATURE_PARTS} parts")
    timestamps: list[str] = []
    signatures: list[str] = []
    for part in parts:
        match = _HEADER_PART.fullmatch(part.strip(" \t"))
        if match is None:
            raise malformed("each comma-separated part must be key=value in printable ASCII")
        key, value = match.groups()
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            signatures.append(value)
    if len(timestamps) != 1 or _TIMESTAMP.fullmatch(timestamps[0]) is None:
        raise malformed("it needs one t=<unix time> of 1 to 10 digits")
    if not signatures or len(signatures) > MAX_SIGNATURES:
        raise malformed(f"it needs 1 to {MAX_SIGNATURES} v1 signatures")
    if any(_HEX_SIGNATURE.fullmatch(v) is None for v in signatures):
        raise malformed("a v1 signature is lowercase hex of at most 64 digits")
    return timestamps[0], signatures


def verify_signature(payload: bytes, header: str | None, secret: str, tolerance: int, now: float | None = None) -> None:
    """Raise ``InvalidSignature`` unless ``header`` signs ``payload`` with ``secret`` within ``tolerance`` seconds."""
    if not header:
        raise InvalidSignature("The Stripe-Signature header is missing")
    timestamp, signatures = _parse_signature_header(header)
    expected = sign(payload, secret, int(timestamp)).encode()
    if not any(hmac.compare_digest(expected, s.encode("ascii")) for s in signatures):
        raise InvalidSignature("No valid signature for the payload")
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise InvalidSignature("Timestamp outside the tolerance zone")
