"""`citeguide serve`: build into memory, serve on 127.0.0.1, rebuild on change, live reload.

The site is kept in memory (nothing is written to `site/`), drafts included and search
indexing skipped so a save shows up at once. Open pages listen on a server-sent-events
stream and reload after each rebuild. When an edit breaks the build, the last good site
keeps being served with an overlay listing the problems, until the next good build.

Drafts are private, and any web page the developer opens can make the browser ask
127.0.0.1: a request must name this server in its Host header (`127.0.0.1`, `localhost`
or `[::1]` with the port), so a page on a rebound DNS name (`evil.example` → 127.0.0.1)
gets 403, never a draft. A connection that idles, or has not sent its whole request head
within `IDLE_SECONDS`, is closed, so half-sent requests cannot hold threads for ever.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import queue
import socket
import threading
import time
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, unquote, urlsplit

from jinja2 import TemplateError
from watchfiles import DefaultFilter, watch

from citeguide.config_file import CONFIG_FILE
from citeguide.diagnostics import ConfigError, Diagnostic, Diagnostics
from citeguide.engine.assemble import Assembly, Memory
from citeguide.engine.checks import template_problem
from citeguide.engine.incremental import Site
from citeguide.linkcheck.state import STATE_FILE
from citeguide.safeio import UnsafeFile, real_folders

EVENTS = "/__citeguide/events"
_RELOAD_SCRIPT = (
    "<script>(()=>{const s=new EventSource('" + EVENTS + "');"
    "s.addEventListener('reload',()=>location.reload());"
    "s.addEventListener('problems',()=>location.reload());})();</script>"
)
_NOT_FOUND = b"<h1>Not found</h1>"
IDLE_SECONDS = 10.0
"""Longest silence on a connection, and longest time to send one request head."""

_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json",
    ".md": "text/markdown; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml", ".svg": "image/svg+xml", ".png": "image/png",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
    ".avif": "image/avif", ".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8",
}  # fmt: skip


class LiveSite:
    """The last good site, the current problems, and the pages listening for changes."""

    def __init__(self, root: Path, log: TextIO) -> None:
        self.root, self.log = root, log
        # The engine `build` uses, kept in memory: drafts included, pages kept as bytes.
        self.site = Site(root, drafts=True)
        self.assembly = Assembly(Memory())
        self.files: dict[str, bytes] = {}
        self.problems: list[Diagnostic] = []
        self._lock = threading.Lock()
        self._listeners: list[queue.Queue[tuple[str, str]]] = []

    def update(self, changed: set[Path] | None = None) -> tuple[bool, Diagnostics, int]:
        """Refresh the Site after `changed` (None: look at everything); on success the
        new files replace the served ones. Returns (ok, problems, files changed)."""
        try:
            self.site.refresh(changed)
            diags = self.site.diagnostics()
            if diags.has_errors():
                return False, diags, 0
            files = self.assembly.assemble(self.site).files
        except ConfigError as exc:
            return False, Diagnostics(list(exc.diagnostics)), 0
        except TemplateError as exc:
            problems = [*self.site.input_problems(), template_problem(self.root, exc)]
            return False, Diagnostics(problems), 0
        before = self.files
        changed_files = sum(before.get(k) != v for k, v in files.items())
        changed_files += len(set(before) - set(files))
        with self._lock:
            self.files = files
        return True, diags, changed_files

    def rebuild(self, changed: set[Path] | None = None) -> bool:
        started = time.perf_counter()
        ok, diags, changed_files = self.update(changed)
        elapsed = (time.perf_counter() - started) * 1000
        with self._lock:
            self.problems = diags.errors
        if diags.items:
            print(diags.render(), file=self.log)
        if ok:
            summary = f"rebuilt in {elapsed:.0f} ms ({changed_files} files changed)"
            print(summary, file=self.log, flush=True)
            self.publish("reload", str(elapsed))
        else:
            summary = f"build failed in {elapsed:.0f} ms: serving the last good site"
            print(summary, file=self.log, flush=True)
            self.publish("problems", json.dumps([d.format() for d in self.problems]))
        return ok

    @property
    def base_path(self) -> str:
        """The path the site is published under (`/` or `/guides/`, from `base_url`):
        served there too, so the 404 page's links from that path reach its assets."""
        return urlsplit(self.site.config.base_url).path or "/"

    def page(self, path: str) -> tuple[int, bytes, str]:
        """Status, body and content type for a request path (302: body is the location)."""
        base = self.base_path
        wanted = unquote(urlsplit(path).path)
        # `/` or `/guides` lead to the site's folder `/guides/`.
        if not wanted.startswith(base) and base.startswith(wanted.rstrip("/") + "/"):
            return 302, quote(base, safe="/%").encode(), _TYPES[".txt"]
        rel = wanted[len(base) :] if wanted.startswith(base) else None
        with self._lock:
            files, problems = self.files, list(self.problems)
        if rel is None:  # outside the folder the site is published in
            return 404, _inject(files.get("404.html", _NOT_FOUND), problems), _TYPES[".html"]
        for name in (rel, f"{rel}index.html", f"{rel}/index.html"):
            if name in files or (name == "" and "index.html" in files):
                name = name or "index.html"
                body = files[name]
                kind = _TYPES.get(Path(name).suffix, "application/octet-stream")
                if name.endswith(".html"):
                    body = _inject(body, problems)
                return 200, body, kind
        return 404, _inject(files.get("404.html", _NOT_FOUND), problems), _TYPES[".html"]

    def subscribe(self) -> queue.Queue[tuple[str, str]]:
        listener: queue.Queue[tuple[str, str]] = queue.Queue()
        with self._lock:
            self._listeners.append(listener)
        return listener

    def unsubscribe(self, listener: queue.Queue[tuple[str, str]]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def publish(self, event: str, data: str) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener.put((event, data))


def _inject(body: bytes, problems: list[Diagnostic]) -> bytes:
    """Add the live-reload script and, while the build is broken, the problem overlay."""
    extra = _RELOAD_SCRIPT
    if problems:
        items = "".join(f"<li><code>{escape(d.format())}</code></li>" for d in problems)
        extra = (
            '<div id="citeguide-overlay" role="alert" style="position:fixed;inset:auto 0 0 0;'
            "max-height:50vh;overflow:auto;z-index:1000;background:#3b0d0d;color:#fff;"
            'padding:1rem 1.5rem;font:14px/1.5 ui-monospace,monospace">'
            f"<strong>Build failed: showing the last good version.</strong><ul>{items}</ul>"
            "</div>" + extra
        )
    marker = b"</body>"
    if marker in body:
        return body.replace(marker, extra.encode() + marker, 1)
    return body + extra.encode()


class HeadDeadlines:
    """Closes connections whose request head has not arrived in time (one thread for all:
    a socket timeout alone lets a client that trickles a byte every few seconds stay)."""

    def __init__(self, seconds: float, stop: threading.Event) -> None:
        self.seconds, self._stop = seconds, stop
        self._lock = threading.Lock()
        self._pending: dict[socket.socket, float] = {}
        self._expired: set[socket.socket] = set()
        threading.Thread(target=self._run, daemon=True).start()

    def watch(self, connection: socket.socket) -> None:
        with self._lock:
            self._pending[connection] = time.monotonic() + self.seconds

    def release(self, connection: socket.socket) -> bool:
        """Stop watching; False when the connection was closed for being too slow."""
        with self._lock:
            self._pending.pop(connection, None)
            if connection in self._expired:
                self._expired.discard(connection)
                return False
            return True

    def _run(self) -> None:
        while not self._stop.wait(min(0.5, self.seconds / 4)):
            now = time.monotonic()
            with self._lock:
                late = [c for c, deadline in self._pending.items() if deadline <= now]
                for connection in late:
                    del self._pending[connection]
                    self._expired.add(connection)
            for connection in late:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)  # the handler's read ends at once


def allowed_hosts(port: int) -> frozenset[str]:
    """Host header values that name this server (a browser leaves out port 80)."""
    names = ("127.0.0.1", "localhost", "[::1]")
    return frozenset(f"{n}:{port}" for n in names) | (frozenset(names) if port == 80 else set())


def _handler(
    site: LiveSite, hosts: Callable[[], frozenset[str]], deadlines: HeadDeadlines
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = deadlines.seconds  # on the socket: an idle read or a stalled write ends it

        def log_message(self, format: str, *args: object) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            deadlines.watch(self.connection)

        def finish(self) -> None:
            deadlines.release(self.connection)  # also for a connection that sent nothing
            super().finish()

        def handle(self) -> None:
            with contextlib.suppress(OSError):  # the client left, or was cut off for idling
                super().handle()

        def parse_request(self) -> bool:
            parsed = super().parse_request()
            if not deadlines.release(self.connection):
                self.close_connection = True
                return False
            if parsed and (self.headers.get("Host") or "").lower() not in hosts():
                # DNS rebinding: a page on another name reached 127.0.0.1.
                names = " or ".join(sorted(hosts()))
                self.send_error(403, "Host not allowed", f"Open this preview as {names}.")
                return False
            return parsed

        def do_GET(self) -> None:
            if self.path.startswith(EVENTS):
                self._events()
                return
            status, body, kind = site.page(self.path)
            self.send_response(status)
            if status == 302:
                self.send_header("Location", body.decode())
                body = b"Found: " + body
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            listener = site.subscribe()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(b"retry: 500\n\n")
                self.wfile.flush()
                while True:
                    try:
                        event, data = listener.get(timeout=15)
                        self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
                    except queue.Empty:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                site.unsubscribe(listener)

    return Handler


def watch_filter(root: Path) -> Callable[[object, str], bool]:
    """Only what the site is built from: content/, templates/, the config and state files,
    and the folders that symlinks inside the root make part of them (a symlinked
    `content/guides` is watched where its files really are, as `build` reads them)."""
    base = DefaultFilter()
    top = root.resolve()
    files = {top / CONFIG_FILE, top / STATE_FILE}
    folders: set[Path] = set()
    mapped = 0.0

    def accept(change: object, path: str) -> bool:
        nonlocal folders, mapped
        resolved = Path(path).resolve()
        if not resolved.is_relative_to(top) or not base(change, path):  # type: ignore[arg-type]
            return False
        if (
            time.monotonic() - mapped > 1.0
        ):  # folders come and go: map them again, at most once a second
            folders, mapped = _watched_folders(root), time.monotonic()
        return resolved in files or any(parent in folders for parent in resolved.parents)

    return accept


def _watched_folders(root: Path) -> set[Path]:
    found: set[Path] = set()
    for name in ("content", "templates"):
        with contextlib.suppress(UnsafeFile, OSError):  # the build reports a link out
            found.update(Path(p) for p in real_folders(root, root / name))
    return found


class DevServer:
    """The HTTP server and the watcher, as one start/stop unit (tests use it directly)."""

    def __init__(
        self, root: Path, port: int, log: TextIO, idle_seconds: float = IDLE_SECONDS
    ) -> None:
        self.site = LiveSite(root, log)
        self.root = root
        self._stop = threading.Event()
        deadlines = HeadDeadlines(idle_seconds, self._stop)
        handler = _handler(self.site, lambda: self._hosts, deadlines)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self._hosts = allowed_hosts(self.httpd.server_address[1])
        self._threads = [
            threading.Thread(target=self.httpd.serve_forever, daemon=True),
            threading.Thread(target=self._watch, daemon=True),
        ]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{self.site.base_path}"

    def start(self) -> DevServer:
        self.site.rebuild()
        # From now on the server and watcher threads run: worker processes for a large
        # rebuild must not be forked from this multi-threaded process.
        methods = multiprocessing.get_all_start_methods()
        self.site.site.start_method = "forkserver" if "forkserver" in methods else "spawn"
        for thread in self._threads:
            thread.start()
        return self

    def _watch(self) -> None:
        changes_seen = watch(
            self.root,
            watch_filter=watch_filter(self.root),
            step=20,
            stop_event=self._stop,
            raise_interrupt=False,
        )
        for changes in changes_seen:
            try:
                self.site.rebuild({Path(path) for _, path in changes})
            except Exception as exc:  # keep watching: one bad rebuild must not end the preview
                print(f"citeguide serve: rebuild failed: {exc!r}", file=self.site.log, flush=True)

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
