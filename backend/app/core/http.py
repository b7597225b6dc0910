"""Reading request bodies with a size limit, before anything parses them."""

from __future__ import annotations

from fastapi import Request

from app.core.errors import PayloadTooLarge


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The raw body; 413 as soon as it is known to exceed ``max_bytes`` (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(f"The body is {int(declared):,} bytes; the limit is {max_bytes:,} bytes per call")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise PayloadTooLarge(f"The body exceeds the limit of {max_bytes:,} bytes per call")
    return bytes(body)
