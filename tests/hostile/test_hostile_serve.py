"""Hostile web pages against `citeguide serve`: DNS rebinding and idle half-requests.
Real HTTP to the real preview server on 127.0.0.1 (the `serve` command as its own process,
and the same server class in this process where a test needs a short idle limit)."""

from __future__ import annotations

import io
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citeguide.commands.serve import DevServer
from conftest import guide_text, write_site

SECRET = "Unannounced merger with Initech"


def _draft() -> str:
    return (
        guide_text("Draft", "Not public yet.").replace(
            "tags: [local-models]", "tags: [local-models]\ndraft: true"
        )
        + f"\n{SECRET} closes next week.\n"
    )


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_site(tmp_path / "r", {"content/guides/secret-plan.md": _draft()})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """One `citeguide serve` process for the module (each test leaves it as it was)."""
    root = write_site(
        tmp_path_factory.mktemp("served"), {"content/guides/secret-plan.md": _draft()}
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "citeguide", "serve", "--port", "0", "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), line
        yield proc, int(line.split(":")[2].split("/")[0])
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get(port: int, host: str | None, path: str = "/secret-plan/") -> tuple[int, bytes]:
    """One raw HTTP/1.1 request with exactly this Host header (None: no Host at all)."""
    head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall((head + "Connection: close\r\n\r\n").encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data


@pytest.mark.parametrize(
    "host",
    [
        "rebind.attacker.example:{port}",
        "rebind.attacker.example",
        "127.0.0.1.attacker.example:{port}",
        "localhost:1{port}",
        "127.0.0.1",
        "",
        None,
    ],
)
def test_a_request_naming_another_host_gets_403_and_no_draft(
    served: tuple[subprocess.Popen[str], int], host: str | None
) -> None:
    _, port = served
    for path in ("/secret-plan/", "/secret-plan.md", "/__citeguide/events"):
        status, body = _get(port, None if host is None else host.format(port=port), path)
        assert status == 403
        assert SECRET.encode() not in body
        assert b"Host not allowed" in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_the_preview_answers_its_own_names(
    served: tuple[subprocess.Popen[str], int], host: str
) -> None:
    _, port = served
    status, body = _get(port, host.format(port=port).upper())
    assert status == 200
    assert SECRET.encode() in body
    assert httpx.get(f"http://127.0.0.1:{port}/secret-plan/", timeout=5).status_code == 200


def _threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no thread count")


def _closed_by_server(sock: socket.socket, deadline: float) -> bool:
    """True when the server ends the connection (after an error answer, or none) before
    `deadline`."""
    try:
        while True:
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            if sock.recv(65536) == b"":
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_idle_half_requests_are_dropped_and_their_threads_end(
    served: tuple[subprocess.Popen[str], int],
) -> None:
    proc, port = served
    before = _threads(proc.pid)
    socks = []
    for i in range(50):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2:  # half a request head; the other half sends nothing at all
            sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
        socks.append(sock)
    time.sleep(1)
    assert _threads(proc.pid) >= before + 40  # one thread per connection, held
    deadline = time.monotonic() + 20  # the idle limit is 10 s
    try:
        assert all(_closed_by_server(sock, deadline) for sock in socks)
    finally:
        for sock in socks:
            sock.close()
    while _threads(proc.pid) > before + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _threads(proc.pid) <= before + 2
    status, _ = _get(port, f"127.0.0.1:{port}")
    assert status == 200  # and the preview still answers


def test_a_request_head_trickled_a_byte_at_a_time_is_cut_off(root: Path) -> None:
    server = DevServer(root, 0, io.StringIO(), idle_seconds=1.0).start()
    try:
        port = server.httpd.server_address[1]
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        head = f"GET /secret-plan/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Pad: " + "a" * 200
        sent, start = 0, time.monotonic()
        stop = threading.Event()

        def trickle() -> None:
            nonlocal sent
            for byte in head.encode():
                if stop.is_set():
                    return
                try:
                    sock.send(bytes([byte]))
                except OSError:
                    return
                sent += 1
                time.sleep(0.05)  # well inside the idle limit each time

        writer = threading.Thread(target=trickle, daemon=True)
        writer.start()
        closed = _closed_by_server(sock, time.monotonic() + 6)
        elapsed = time.monotonic() - start
        stop.set()
        writer.join(5)
        sock.close()
        assert closed
        assert elapsed < 4  # the whole head has one deadline, not each byte
        assert sent < len(head)
    finally:
        server.stop()


def test_edits_behind_a_symlinked_guides_folder_reach_the_preview(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"shared/guides/demo.md": guide_text("First title")})
    (root / "content").mkdir()
    (root / "content" / "guides").symlink_to(Path("..") / "shared" / "guides")
    server = DevServer(root, 0, io.StringIO()).start()
    try:
        time.sleep(0.3)  # let the watcher settle
        assert "First title" in httpx.get(server.url + "demo/", timeout=5).text
        (root / "shared" / "guides" / "demo.md").write_text(guide_text("Second title"))
        deadline = time.monotonic() + 10
        page = ""
        while "Second title" not in page and time.monotonic() < deadline:
            time.sleep(0.1)
            page = httpx.get(server.url + "demo/", timeout=5).text
        assert "Second title" in page
    finally:
        server.stop()
