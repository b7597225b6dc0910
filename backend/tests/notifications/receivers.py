"""A real HTTP server on 127.0.0.1 for delivery tests: it records every request and answers
as scripted (a fixed status, body and headers, or a queue of status codes to go through)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
