"""Real receivers on 127.0.0.1 for delivery tests: an HTTP server that records every request
and answers as scripted (a fixed status, body and headers, or a queue of status codes to go
through), and an SMTP server (aiosmtpd) that keeps every message it is sent."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from app.core.config import get_settings


class Inbox:
    """What the SMTP server was sent: aiosmtpd envelopes (``rcpt_tos``, ``content``)."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"


@contextmanager
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on a free loopback port, with Tempo's SMTP settings pointing at it."""
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
    try:
        yield inbox
    finally:
        controller.stop()


class Receiver:
    """``codes`` (when set) are answered first, in order, with ``failure_body`` for failures;
    then every request gets ``status``, ``body`` and ``headers``."""

    def __init__(
        self,
        status: int = 200,
        body: bytes = b"ok",
        headers: dict[str, str] | None = None,
        failure_body: bytes = b"receiver says no",
    ) -> None:
        self.requests: list[dict] = []
        self.codes: list[int] = []
        self.status, self.body, self.headers = status, body, headers or {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if outer.codes:
                    code = outer.codes.pop(0)
                    answer, extra = (b"ok" if code < 300 else failure_body), {}
                else:
                    code, answer, extra = outer.status, outer.body, outer.headers
                self.send_response(code)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
