"""Local receivers for the end-to-end run (scripts/e2e.sh): an SMTP server (aiosmtpd) and a
Slack-compatible HTTP receiver that record what Tempo sends them. What they got is served as
JSON at GET http://127.0.0.1:HTTP_PORT/received, so a Playwright spec can read it:

    {"emails": [{"rcpt_tos", "mail_from", "subject", "content_type", "text", "html",
                 "parts": [{"content_type", "content_id", "filename", "size"}]}],
     "posts": [{"path", "content_type", "body", "json"}]}

Run with the project's virtualenv (aiosmtpd is a dev dependency):

    .venv/bin/python scripts/e2e_receivers.py --smtp-port 8766 --http-port 8767

It stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

LOCK = threading.Lock()
RECEIVED: dict[str, list[dict[str, Any]]] = {"emails": [], "posts": []}


def summary(raw: bytes, envelope: Any) -> dict[str, Any]:
    """A received email as the spec reads it: headers, its text and HTML, and every part."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        parts.append(
            {
                "content_type": part.get_content_type(),
                "content_id": part.get("Content-ID"),
                "filename": part.get_filename(),
                "size": len(payload),
            }
        )
    return {
        "mail_from": envelope.mail_from,
        "rcpt_tos": list(envelope.rcpt_tos),
        "subject": str(message["Subject"] or ""),
        "content_type": message.get_content_type(),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "parts": parts,
    }


class Inbox:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with LOCK:
            RECEIVED["emails"].append(summary(envelope.original_content or envelope.content, envelope))
        return "250 OK"


class Handler(BaseHTTPRequestHandler):
    def _answer(self, code: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        text = body.decode("utf-8", errors="replace")
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        with LOCK:
            RECEIVED["posts"].append(
                {"path": self.path, "content_type": self.headers.get("Content-Type"), "body": text, "json": parsed}
            )
        self._answer(200, b"ok")

    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/received":
            self._answer(404, b"not found")
            return
        with LOCK:
            body = json.dumps(RECEIVED).encode()
        self._answer(200, body, "application/json")

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    args = parser.parse_args()

    smtp = Controller(Inbox(), hostname="127.0.0.1", port=args.smtp_port)
    smtp.start()
    http = ThreadingHTTPServer(("127.0.0.1", args.http_port), Handler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    print(f"receivers: SMTP on 127.0.0.1:{args.smtp_port}, HTTP on 127.0.0.1:{args.http_port}", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    http.shutdown()
    http.server_close()
    smtp.stop()


if __name__ == "__main__":
    main()
