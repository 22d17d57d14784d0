"""A real HTTP server on loopback for the link checker's tests and benchmark.

Each route reproduces one kind of site behaviour; the server counts requests and the
requests in flight, per host, so politeness can be asserted from the server's side.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HTML = "text/html; charset=utf-8"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], delay: float) -> None:
        super().__init__(address, _Handler)
        self.delay = delay
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.methods: list[tuple[str, str, str]] = []
        self.log: list[tuple[float, str]] = []
        """(time.monotonic() at arrival, path with its query) of every request."""
        self.in_flight = 0
        self.max_in_flight = 0


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_GET(self) -> None:
        self._serve("GET")

    def _send(self, code: int, body: bytes = b"", ctype: str = HTML, **headers: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self, method: str) -> None:
        srv = self.server
        parts = urlsplit(self.path)
        path = parts.path
        with srv.lock:
            srv.hits[path] += 1
            count = srv.hits[path]
            srv.methods.append((method, path, self.headers.get("User-Agent", "")))
            srv.log.append((time.monotonic(), self.path))
            srv.in_flight += 1
            srv.max_in_flight = max(srv.max_in_flight, srv.in_flight)
        try:
            if srv.delay:
                time.sleep(srv.delay)
            self._route(method, path, count, parse_qs(parts.query))
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with srv.lock:
                srv.in_flight -= 1

    def _route(self, method: str, path: str, count: int, query: dict[str, list[str]]) -> None:
        page = b"<html><head><title>A real page</title></head><body><h1>Hello</h1></body></html>"
        if path in ("/ok", "/") or path.startswith("/page"):
            self._send(200, page)
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", "application/pdf")
        elif path == "/404":
            self._send(404, b"<title>Not Found</title>")
        elif path == "/410":
            self._send(410, b"gone")
        elif path == "/301":
            self._send(301, Location="/ok")
        elif path == "/308":
            self._send(308, Location="/ok")
        elif path == "/bad-location":
            self._send(301, Location="http://[oops/")
        elif path == "/302":
            self._send(302, Location="/ok")
        elif path == "/loop-a":
            self._send(302, Location="/loop-b")
        elif path == "/loop-b":
            self._send(302, Location="/loop-a")
        elif path == "/slow":
            time.sleep(2)
            self._send(200, page)
        elif path == "/429-then-ok":
            if count <= 1:
                self._send(429, b"slow down", Retry_After="1")
            else:
                self._send(200, page)
        elif path == "/429-always":
            self._send(429, b"slow down", Retry_After="1")
        elif path == "/503-then-ok":
            # HEAD and the GET fallback both fail; the retry succeeds
            self._send(503, b"busy") if count <= 2 else self._send(200, page)
        elif path == "/bot":
            if "Mozilla" in self.headers.get("User-Agent", ""):
                self._send(200, page)
            else:
                self._send(403, b"<title>Forbidden</title>")
        elif path == "/cloudflare":
            body = b"<html><title>Just a moment...</title></html>"
            self._send(403, body, cf_mitigated="challenge")
        elif path == "/999":
            self._send(999, b"request denied")
        elif path == "/no-head":
            if method == "HEAD":
                self._send(405, Allow="GET")
            else:
                self._send(200, page)
        elif path == "/soft-404":
            self._send(200, b"<html><title>Page not found | Example</title><body>Sorry</body>")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
            if method == "GET":
                chunk = b"<p>" + b"x" * 65533
                for _ in range(800):
                    self.wfile.write(chunk)
        elif path == "/wayback/available":
            url = query.get("url", [""])[0]
            stamp = query.get("timestamp", [""])[0]
            if "page-old" in url:
                stamp = "20200101"  # only a copy from years before the citation
            closest = {
                "available": True,
                "status": "200",
                "timestamp": stamp + "120000",
                "url": f"http://archive.example/web/{stamp}120000/{url}",
            }
            none = any(k in url for k in ("page-fresh", "page-evil", "page-refused"))
            snapshots = {} if none else {"closest": closest}
            body = json.dumps({"url": url, "archived_snapshots": snapshots}).encode()
            self._send(200, body, "application/json")
        elif path.startswith("/save/"):
            # A Wayback-style save endpoint: the snapshot is named in Location.
            cited = path.removeprefix("/save/")
            if "page-refused" in cited:
                self._send(429, b"too many saves", Retry_After="60")
            elif "page-busy" in cited:
                self._send(503, b"try again later")
            elif "page-evil" in cited:
                self._send(302, Location="javascript:alert(1)//web/20261127093000/x")
            else:
                self._send(302, Location=f"/web/20261127093000/{cited}")
        else:
            self._send(404, b"<title>Not Found</title>")


class LinkServer:
    """A running server: its base URL and what it has seen."""

    def __init__(self, host: str = "127.0.0.1", delay: float = 0.0) -> None:
        self.httpd = _Server((host, 0), delay)
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self.httpd.lock:
            return self.httpd.hits[path]

    def log(self) -> list[tuple[float, str]]:
        """(arrival time, path with query) of every request so far, in order."""
        with self.httpd.lock:
            return list(self.httpd.log)

    @property
    def max_in_flight(self) -> int:
        return self.httpd.max_in_flight

    @property
    def methods(self) -> list[tuple[str, str, str]]:
        return list(self.httpd.methods)

    def start(self) -> LinkServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def running(host: str = "127.0.0.1", delay: float = 0.0) -> Iterator[LinkServer]:
    server = LinkServer(host, delay).start()
    try:
        yield server
    finally:
        server.stop()
