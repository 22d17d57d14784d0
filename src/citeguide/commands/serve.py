"""`citeguide serve`: build into memory, serve on 127.0.0.1, rebuild on change, live reload.

The site is kept in memory (nothing is written to `site/`), drafts included and search
indexing skipped so a save shows up at once. Open pages listen on a server-sent-events
stream and reload after each rebuild. When an edit breaks the build, the last good site
keeps being served with an overlay listing the problems, until the next good build.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import threading
import time
from collections.abc import Callable
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, unquote, urlsplit

from watchfiles import DefaultFilter, watch

from citeguide.config import CONFIG_FILE
from citeguide.diagnostics import ConfigError, Diagnostic, Diagnostics
from citeguide.engine.site import Site, template_problem
from citeguide.linkcheck.state import STATE_FILE

EVENTS = "/__citeguide/events"
_RELOAD_SCRIPT = (
    "<script>(()=>{const s=new EventSource('" + EVENTS + "');"
    "s.addEventListener('reload',()=>location.reload());"
    "s.addEventListener('problems',()=>location.reload());})();</script>"
)
_NOT_FOUND = b"<h1>Not found</h1>"
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
        self.site = Site(root, drafts=True, keep_files=True)
        self.files: dict[str, bytes] = {}
        self.problems: list[Diagnostic] = []
        self._lock = threading.Lock()
        self._listeners: list[queue.Queue[tuple[str, str]]] = []

    def update(self, changed: set[Path] | None = None) -> tuple[bool, Diagnostics, int]:
        """Refresh the Site after `changed` (None: look at everything); on success the
        new files replace the served ones. Returns (ok, problems, files changed)."""
        from jinja2 import TemplateError

        try:
            self.site.refresh(changed)
            diags = self.site.diagnostics()
            if diags.has_errors():
                return False, diags, 0
            files = self.site.files()
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
        config = self.site.config
        return (urlsplit(config.base_url).path or "/") if config is not None else "/"

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


def _handler(site: LiveSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

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
    """Only what the site is built from: content/, templates/, the config and state files."""
    base = DefaultFilter()
    top = root.resolve()

    def accept(change: object, path: str) -> bool:
        resolved = Path(path).resolve()
        try:
            rel = resolved.relative_to(top).as_posix()
        except ValueError:
            return False
        wanted = rel.startswith(("content/", "templates/")) or rel in (CONFIG_FILE, STATE_FILE)
        return wanted and base(change, path)  # type: ignore[arg-type]

    return accept


class DevServer:
    """The HTTP server and the watcher, as one start/stop unit (tests use it directly)."""

    def __init__(self, root: Path, port: int, log: TextIO) -> None:
        self.site = LiveSite(root, log)
        self.root = root
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.site))
        self.httpd.daemon_threads = True
        self._stop = threading.Event()
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
