"""Logging, configured once per process: structured lines (JSON, or a console rendering at a
terminal) through the standard library, so every logger in the app and its libraries
(uvicorn, arq, SQLAlchemy) writes the same shape.

Each line carries what is known about the work it belongs to: ``request_id`` (set by the
request middleware), ``job_id`` and ``job`` (set when the worker starts a job), and
``account_id`` where the caller names it (``log.info("...", extra={"account_id": ...})``).
Values under names that hold credentials (passwords, tokens, keys, secrets, signatures,
hashes) are replaced before a line is written, wherever they appear in it; and text that
looks like a credential (password hashes, Tempo tokens and keys, Stripe signing secrets,
bearer tokens, SHA-256 digests, passwords in URLs) is masked in every message and
traceback, whatever name it came under.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from app.core.config import get_settings

REDACTED = "[redacted]"
_SECRET_WORDS = ("password", "secret", "token", "authorization", "api_key", "apikey", "signature", "cookie", "hash")
_configured = False


def _is_secret(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS) or lowered in ("key", "write_key")


def _redact_value(value: Any) -> Any:
    if isinstance(value, MutableMapping):
        return {k: REDACTED if _is_secret(str(k)) else _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


def redact(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Never write a credential: secret-named fields (nested ones too) lose their value."""
    for key in list(event):
        if key != "event" and _is_secret(key):
            event[key] = REDACTED
        elif isinstance(event[key], MutableMapping | list | tuple):
            event[key] = _redact_value(event[key])
    return event


# Credentials by their shape, for text that reached a message or a traceback anyway.
_SECRET_TEXT = re.compile(
    r"\$argon2(?:id|i|d)\$[A-Za-z0-9+/=$,.-]+"  # password hashes
    r"|\btps_[A-Za-z0-9_-]{16,}"  # session tokens
    r"|\btk_[a-z0-9]{8}_[A-Za-z0-9_-]{16,}"  # API keys
    r"|\bwhsec_[A-Za-z0-9_+/=-]{8,}"  # webhook signing secrets
    r"|((?i:\bbearer\s+))[A-Za-z0-9._~+/=-]{8,}"  # Authorization values
    r"|\b[0-9a-f]{64}\b"  # SHA-256 digests (key and token hashes, signatures)
)
_URL_PASSWORD = re.compile(r"(?<=://)([^/\s:@]*):[^/\s@]+@")


def _scrub_text(text: str) -> str:
    masked = _SECRET_TEXT.sub(lambda m: (m.group(1) or "") + REDACTED, text)
    return _URL_PASSWORD.sub(rf"\1:{REDACTED}@", masked)


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return _scrub_text(value)
    if isinstance(value, MutableMapping):
        return {k: _scrub_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


def scrub(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Mask credential-shaped text in every value, the rendered traceback included."""
    for key, value in event.items():
        event[key] = _scrub_value(value)
    return event


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a line is logged (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def _shared() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact,
    ]


def configure_logging(force: bool = False) -> None:
    """Route every stdlib logger through one structured handler on stderr (idempotent)."""
    global _configured
    if _configured and not force:
        return
    settings = get_settings()
    as_json = settings.log_format == "json" or (settings.log_format == "auto" and not sys.stderr.isatty())
    renderer: Processor = (
        structlog.processors.JSONRenderer(default=str) if as_json else structlog.dev.ConsoleRenderer(colors=False)
    )
    handler = _Stderr()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_shared(),
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                scrub,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_tempo", False)]:
        root.removeHandler(old)
    handler._tempo = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # uvicorn's own access lines repeat what the request log says, without the request id
    logging.getLogger("uvicorn.access").disabled = True
    # chatty at INFO about their own start-up (plugins loaded, initdb output)
    for name in ("alembic.runtime.plugins", "pgserver"):
        logging.getLogger(name).setLevel(logging.WARNING)
    structlog.configure(
        processors=[*_shared(), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    _configured = True


@contextmanager
def bound(**values: Any) -> Iterator[None]:
    """Attach ``values`` (request_id, job_id, account_id...) to every line logged inside."""
    tokens = structlog.contextvars.bind_contextvars(**values)
    try:
        yield
    finally:
        structlog.contextvars.reset_contextvars(**tokens)


def bind(**values: Any) -> None:
    """Attach ``values`` to the rest of the current task's lines (a job's, a request's)."""
    structlog.contextvars.bind_contextvars(**values)
