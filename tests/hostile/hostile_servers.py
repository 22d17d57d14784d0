"""Small real HTTP servers on loopback addresses for the hostile-server tests.

Each server binds one 127.0.0.x address on a free port and answers every request with a
handler function given by the test; it records the headers it received.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # dozens of connections at once must not wait on the backlog

    def __init__(self, address: tuple[str, int], handle: Handler) -> None:
        super().__init__(address, _Dispatch)
        self.handle_request_with = handle
        self.received: list[dict[str, str]] = []
        self.lock = threading.Lock()


class _Dispatch(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.received.append({k.lower(): v for k, v in self.headers.items()})
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.server.handle_request_with(self)

    do_HEAD = do_GET


class Running:
    def __init__(self, server: _Server) -> None:
        self.server = server
        host, port = server.server_address[:2]
        self.base = f"http://{host}:{port}"

    @property
    def received(self) -> list[dict[str, str]]:
        return self.server.received


@contextmanager
def serve(handle: Handler, host: str = "127.0.0.1") -> Iterator[Running]:
    server = _Server((host, 0), handle)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Running(server)
    finally:
        server.shutdown()
        server.server_close()


def reply(request: BaseHTTPRequestHandler, code: int, body: bytes = b"", **headers: str) -> None:
    request.send_response(code)
    for name, value in headers.items():
        request.send_header(name.replace("_", "-"), value)
    if "Content-Length" not in {k.replace("_", "-") for k in headers}:
        request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if request.command != "HEAD" and body:
        request.wfile.write(body)
