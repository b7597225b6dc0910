"""Reading request bodies with a size limit, before anything parses them.

Bodies may arrive compressed (``Content-Encoding: gzip`` or ``deflate``, as Segment's and
RudderStack's libraries send them): they are decoded as they stream in, and the limit
applies to the compressed bytes on the wire and to the decoded body alike, so a small
"zip bomb" is refused after ``max_bytes`` of output, never inflated into memory. The
decoded body is then refused (400) when it nests JSON deeper than ``json_max_depth``
(``core.limits``): a parser would recurse into it until the interpreter gives up.
"""

from __future__ import annotations

import zlib

from fastapi import Request

from app.core.errors import BadPayload, PayloadTooLarge, ProblemError
from app.core.limits import check_json_depth, declared_too_large, streamed_too_large

ENCODINGS = ("gzip", "x-gzip", "deflate", "identity")


class UnsupportedEncoding(ProblemError):
    status = 415
    title = "Unsupported media type"


class _Inflater:
    """Streams one encoded body through zlib, refusing more than ``limit`` bytes of output."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        # gzip: wbits 16+15; deflate per RFC 9110 is zlib-wrapped, but some clients send it
        # raw: auto-detected from the first bytes.
        self.wbits = 31 if encoding in ("gzip", "x-gzip") else 15
        self.inflater: zlib._Decompress | None = None
        self.out = bytearray()

    def feed(self, chunk: bytes) -> None:
        if self.inflater is None:
            if not chunk:
                return
            if self.wbits == 15 and not _zlib_header(chunk):
                self.wbits = -15  # raw deflate: no zlib header
            self.inflater = zlib.decompressobj(self.wbits)
        if self.inflater.eof:
            if chunk.strip():
                raise BadPayload(f"The body has data after the end of its {self.encoding} stream")
            return
        try:
            self.out += self.inflater.decompress(chunk, self.limit + 1 - len(self.out))
        except zlib.error as exc:
            raise BadPayload(f"The body is not valid {self.encoding} data (Content-Encoding: {self.encoding})") from exc
        if len(self.out) > self.limit or self.inflater.unconsumed_tail:
            raise PayloadTooLarge(f"The body decompresses to more than the limit of {self.limit:,} bytes per call")

    def done(self) -> bytes:
        if self.inflater is None:
            return b""
        if not self.inflater.eof:
            raise BadPayload(f"The {self.encoding} body is truncated")
        return bytes(self.out)


def _zlib_header(head: bytes) -> bool:
    """RFC 1950: CM = 8 (deflate) and the first two bytes a multiple of 31."""
    return len(head) < 2 or ((head[0] & 0x0F) == 8 and ((head[0] << 8) | head[1]) % 31 == 0)


def _encoding(request: Request) -> str:
    codings = [c.strip().lower() for c in request.headers.get("content-encoding", "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return "identity"
    if len(codings) > 1 or codings[0] not in ENCODINGS:
        raise UnsupportedEncoding(
            f"Content-Encoding '{', '.join(codings)}' is not supported; send gzip, deflate or an uncompressed body"
        )
    return codings[0]


async def read_body(request: Request, max_bytes: int, max_depth: int | None = None) -> bytes:
    """The decoded body; 413 as soon as it is known to exceed ``max_bytes`` (declared, streamed or
    decoded), 400 when it nests JSON deeper than ``max_depth`` (default: ``json_max_depth``)."""
    encoding = _encoding(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise PayloadTooLarge(declared_too_large(int(declared), max_bytes))
    inflater = _Inflater(encoding, max_bytes) if encoding != "identity" else None
    body = bytearray()
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > max_bytes:
            raise PayloadTooLarge(streamed_too_large(max_bytes))
        if inflater is None:
            body += chunk
        else:
            inflater.feed(chunk)
    decoded = inflater.done() if inflater is not None else bytes(body)
    check_json_depth(decoded, max_depth)
    return decoded
