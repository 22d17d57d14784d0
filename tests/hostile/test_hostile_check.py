"""Hostile inputs to `citeguide check`, round 2 (issue 25): offline detection content cannot
trigger, the per-host limit through redirects, secrets pinned to one origin, odd content
codings, a trickling archive, and a state file edited by a stranger. Real servers on
127.0.0.x (hostile_servers.py, linkserver.py), never the internet: "the network is
unreachable" is simulated with probe hosts the test controls and a resolver it replaces.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from hostile_servers import reply, serve

from citeguide.cli import main
from citeguide.linkcheck.checker import Checker, CheckOptions, CheckResult, HostRule
from citeguide.linkcheck.collect import Target
from citeguide.linkcheck.state import STATE_FILE
from citeguide.linkcheck.transport import H11Transport
from conftest import write_site
from linkserver import LinkServer, running

FRONT = "---\ntitle: T\nsummary: S.\npublished: 2026-05-01\n---\n\n"


def _guide(*urls: str) -> str:
    cites = (f"Fact {i} [cite: {u} · 2026-03-10 · high].\n\n" for i, u in enumerate(urls))
    return FRONT + "".join(cites)


def _closed_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _site(root: Path, urls: list[str], config: str = "") -> Path:
    toml = '[linkcheck]\nretries = 0\narchive_endpoint = ""\n' + config
    return write_site(root, {"content/guides/g.md": _guide(*urls), "citeguide.toml": toml})


def _state(root: Path) -> dict[str, dict[str, object]]:
    links: dict[str, dict[str, object]] = json.loads((root / STATE_FILE).read_text())["links"]
    return links


@pytest.fixture
def server() -> Iterator[LinkServer]:
    with running() as srv:
        yield srv


# 1. Offline: exit 4 in seconds, nothing recorded, JSON anyway; content cannot trigger it.
@pytest.mark.parametrize("probe", ["refused", "no-such-name"])
def test_an_unreachable_network_exits_4_in_seconds_and_records_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], probe: str
) -> None:
    # The probe hosts stand for the internet: one refuses, or its name resolves nowhere
    # (`.invalid` never resolves, online or offline).
    target = (
        f"http://127.0.0.1:{_closed_port()}/" if probe == "refused" else "https://probe.invalid/"
    )
    urls = [f"https://gone-{i}.example/page" for i in range(30)]
    root = _site(tmp_path / "s", urls, f'probe = ["{target}"]\n')
    start = time.monotonic()
    assert main(["check", "--root", str(root), "--format", "json"]) == 4
    took = time.monotonic() - start
    out, err = capsys.readouterr()
    assert "network unreachable: no probe host answered" in err
    assert "nothing recorded" in err
    assert not (root / STATE_FILE).exists()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["url"] for r in rows] == sorted(urls)
    assert {(r["status"], r["error"]) for r in rows} == {("unchecked", "network-unreachable")}
    assert took < 10, f"{took:.1f} s to say the network is unreachable"


def test_refused_citations_cannot_hide_a_real_404(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Red team: two refused loopback citations made "most hosts failed at the network
    # level" true, and the run discarded the real 404 found beside them.
    refused = [f"http://127.0.0.2:{_closed_port('127.0.0.2')}/a",
               f"http://127.0.0.3:{_closed_port('127.0.0.3')}/b"]  # fmt: skip
    root = _site(tmp_path / "s", [*refused, server.url("/404")], "dead_after = 3\n")
    assert main(["check", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert "network unreachable" not in err
    state = _state(root)
    assert state[server.url("/404")]["status"] == "failing"
    assert state[server.url("/404")]["dead_checks"] == 1
    assert {state[u]["error"] for u in refused} == {"refused"}
    # the progress line says what went wrong, not only how often
    assert "checked 3/3 URLs: 2 error (refused 2), 1 gone (404 1)" in err


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Names → the getaddrinfo error they fail with; every other name resolves as usual."""
    failing: dict[str, int] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else host
        if name in failing:
            raise socket.gaierror(failing[name], "simulated")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return failing


def test_nxdomain_counts_towards_dead(
    server: LinkServer, resolver: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The resolver answers "no such name" for every cited host: the hosts died. The probe
    # (a live server standing for the internet) shows the network is there, so these
    # are findings, not an offline run.
    names = ["dead-one.example", "dead-two.example"]
    for name in names:
        resolver[name] = socket.EAI_NONAME
    urls = [f"https://{name}/page" for name in names]
    config = f'probe = ["{server.base}"]\ndead_after = 1\ndead_spacing_hours = 0\n'
    root = _site(tmp_path / "s", urls, config)
    assert main(["check", "--root", str(root), "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {(r["status"], r["error"]) for r in rows} == {("dead", "dns")}
    assert {s["status"] for s in _state(root).values()} == {"dead"}


def test_no_resolver_for_any_name_is_offline_but_one_answer_is_not(
    server: LinkServer, resolver: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No probe: judged from the run alone, and only when nothing at all answered.
    for name in ("a.example", "b.example"):
        resolver[name] = socket.EAI_AGAIN
    urls = ["https://a.example/x", "https://b.example/y"]
    root = _site(tmp_path / "s", urls, "probe = []\n")
    assert main(["check", "--root", str(root)]) == 4
    assert "all 2 URLs failed before any server answered (dns-temporary)" in capsys.readouterr().err
    assert not (root / STATE_FILE).exists()
    root = _site(tmp_path / "t", [*urls, server.url("/404")], "probe = []\n")
    assert main(["check", "--root", str(root)]) == 0
    assert len(_state(root)) == 3


# 2. The per-host limit holds through redirects.
def test_per_host_limit_applies_to_the_host_a_redirect_leads_to() -> None:
    lock = threading.Lock()
    counts = {"now": 0, "max": 0, "hits": 0}

    def sink(request: BaseHTTPRequestHandler) -> None:
        with lock:
            counts["now"] += 1
            counts["hits"] += 1
            counts["max"] = max(counts["max"], counts["now"])
        time.sleep(0.3)
        with lock:
            counts["now"] -= 1
        reply(request, 200, b"ok", Content_Type="text/plain")

    with serve(sink, "127.0.0.1") as target:
        bouncers = [
            serve(lambda r: reply(r, 302, Location=f"{target.base}{r.path}"), f"127.0.0.{i}")
            for i in range(2, 7)
        ]
        running_bouncers = [b.__enter__() for b in bouncers]
        try:
            targets = [
                Target(url, url)
                for b in running_bouncers
                for url in (f"{b.base}/{b.base[-5:]}-{n}" for n in range(8))
            ]
            options = CheckOptions(user_agent="t", timeout=10, retries=0, per_host=8)
            results = asyncio.run(Checker(options).run(targets))
        finally:
            for b in bouncers:
                b.__exit__(None, None, None)
    assert [r.status for r in results] == ["ok"] * 40
    assert counts["hits"] == 40
    assert counts["max"] <= 8, f"{counts['max']} requests in flight at one host"


# 3. Secret headers go to the cited URL's exact origin only.
SECRET = {"Cookie": "session=s3cret", "Authorization": "Bearer t0ken"}


def _secret_check(url: str, host: str, transport: H11Transport | None = None) -> str:
    options = CheckOptions(user_agent="t", timeout=5, retries=0, hosts={host: HostRule(SECRET)})
    (result,) = asyncio.run(Checker(options, transport=transport).run([Target(url, url)]))
    return result.status


def test_secret_headers_do_not_follow_a_redirect_to_another_port() -> None:
    with serve(lambda r: reply(r, 200, b"ok", Content_Type="text/plain")) as other:

        def bounce(request: BaseHTTPRequestHandler) -> None:
            if request.path == "/start":
                reply(request, 302, Location="/same-origin")
            else:
                reply(request, 302, Location=f"{other.base}/other-port")

        with serve(bounce) as first:
            assert _secret_check(f"{first.base}/start", "127.0.0.1") == "ok"
    assert [h["cookie"] for h in first.received] == ["session=s3cret"] * 2  # same origin
    assert other.received, "the redirect was followed"
    assert all("cookie" not in h and "authorization" not in h for h in other.received)


class _TlsOrPlain(ThreadingHTTPServer):
    """One port that speaks TLS to a TLS client and plain HTTP to anyone else, so that
    `https://127.0.0.1:P/` can redirect to `http://127.0.0.1:P/`: same host and port,
    another scheme."""

    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Recording)
        self.tls = tls
        self.received: list[tuple[bool, dict[str, str]]] = []

    def get_request(self) -> tuple[socket.socket, object]:
        sock, address = super().get_request()
        if sock.recv(1, socket.MSG_PEEK) == b"\x16":  # a TLS handshake record
            sock = self.tls.wrap_socket(sock, server_side=True)
        return sock, address


class _Recording(BaseHTTPRequestHandler):
    server: _TlsOrPlain
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        tls = isinstance(self.connection, ssl.SSLSocket)
        self.server.received.append((tls, {k.lower(): v for k, v in self.headers.items()}))
        if tls:
            port = self.server.server_address[1]
            reply(self, 302, Location=f"http://127.0.0.1:{port}/downgraded")
        else:
            reply(self, 200, b"ok", Content_Type="text/plain")


def test_secret_headers_are_not_sent_in_clear_after_an_https_redirect_to_http() -> None:
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    server = _TlsOrPlain(server_tls)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        transport = H11Transport(connect_timeout=5, ssl_context=client_tls)
        assert _secret_check(f"https://127.0.0.1:{port}/", "127.0.0.1", transport) == "ok"
    finally:
        server.shutdown()
        server.server_close()
    (tls, over_tls), (plain, in_clear) = server.received
    assert tls
    assert not plain
    assert over_tls["cookie"] == "session=s3cret"
    assert "cookie" not in in_clear
    assert "authorization" not in in_clear


# 4. Content codings: raw deflate and stacked gzip are decoded; the rest is reported.
HTML = b"<html><head><title>Encoded page</title></head><body><h1>Hi</h1></body></html>"


def _check_encoded(coding: str, body: bytes) -> CheckResult:
    """Check one URL whose server answers `body` with `Content-Encoding: coding`."""

    def answer(request: BaseHTTPRequestHandler) -> None:
        reply(request, 200, body, Content_Type="text/html", Content_Encoding=coding)

    with serve(answer) as server:
        url = f"{server.base}/page"
        (result,) = asyncio.run(Checker(CheckOptions(user_agent="t")).run([Target(url, url)]))
    return result


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("deflate", _raw_deflate(HTML)),
        ("deflate", zlib.compress(HTML)),
        ("gzip, gzip", gzip.compress(gzip.compress(HTML))),
        ("gzip, deflate", _raw_deflate(gzip.compress(HTML))),
        ("identity, x-gzip", gzip.compress(HTML)),
    ],
    ids=["raw-deflate", "zlib-deflate", "gzip-gzip", "gzip-then-raw-deflate", "x-gzip"],
)
def test_deflate_and_stacked_codings_are_decoded(coding: str, body: bytes) -> None:
    result = _check_encoded(coding, body)
    assert result.status == "ok"
    assert result.outcome.body == HTML
    assert result.outcome.page is not None
    assert result.outcome.page.title == "Encoded page"


@pytest.mark.parametrize(
    ("coding", "body", "reason"),
    [
        ("br", b"\x1b\x00\x00", "'br' was not asked for"),
        ("gzip, gzip, gzip, gzip", gzip.compress(b"x"), "4 stacked content codings"),
        ("gzip", gzip.compress(HTML)[:10] + b"\xff" * 20, "corrupt gzip body"),
    ],
    ids=["brotli", "four-deep", "corrupt"],
)
def test_codings_that_cannot_be_read_are_reported(coding: str, body: bytes, reason: str) -> None:
    result = _check_encoded(coding, body)
    assert result.status == "error"
    assert result.outcome.error == "content-encoding"
    assert reason in result.outcome.detail


def test_a_bomb_inside_a_bomb_stops_at_the_cap() -> None:
    import tracemalloc

    inner = gzip.compress(b"<p>" + b"\0" * (100 * 1024 * 1024), compresslevel=9)
    body = gzip.compress(inner, compresslevel=9)

    def answer(request: BaseHTTPRequestHandler) -> None:
        reply(request, 200, body, Content_Type="text/html", Content_Encoding="gzip, gzip")

    with serve(answer) as server:
        url = f"{server.base}/bomb"
        tracemalloc.start()
        options = CheckOptions(user_agent="t", read_pages=True)
        (result,) = asyncio.run(Checker(options).run([Target(url, url)]))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert len(result.outcome.body) == options.max_bytes
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


# 5. A trickling save endpoint costs the archive budget once, not a minute per source.
def _trickle(request: BaseHTTPRequestHandler) -> None:
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.send_header("Content-Length", "100000")
    request.end_headers()
    for _ in range(300):
        request.wfile.write(b"x")
        request.wfile.flush()
        time.sleep(0.2)


def test_a_trickling_save_endpoint_is_bounded_by_the_archive_budget(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(_trickle, "127.0.0.2") as archive:
        urls = [server.url(f"/page-{i}") for i in range(4)]
        config = f'save_endpoint = "{archive.base}/save/"\nsave_interval = 0\narchive_budget = 2\n'
        root = _site(tmp_path / "s", urls, config)
        start = time.monotonic()
        assert main(["check", "--root", str(root), "--archive"]) == 0
        took = time.monotonic() - start
    err = capsys.readouterr().err
    assert took < 2 + 6, f"{took:.1f} s"
    assert "archive: out of time (archive_budget); 3 sources not asked for" in err
    assert {s["status"] for s in _state(root).values()} == {"ok"}  # the check is recorded


def test_a_trickling_availability_endpoint_is_bounded_by_the_archive_budget(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(_trickle, "127.0.0.2") as archive:
        urls = [server.url(f"/gone-{i}") for i in range(12)]  # 404s: archive lookups
        root = _site(tmp_path / "s", urls, "archive_budget = 2\n")
        toml = (
            (root / "citeguide.toml")
            .read_text()
            .replace('archive_endpoint = ""', f'archive_endpoint = "{archive.base}/available"')
        )
        (root / "citeguide.toml").write_text(toml)
        start = time.monotonic()
        assert main(["check", "--root", str(root)]) == 0
        took = time.monotonic() - start
    assert took < 2 + 6, f"{took:.1f} s"
    assert "archive: out of time (archive_budget); 12 lookups left" in capsys.readouterr().err


# 6. A state file edited by a stranger: positioned errors, clean titles and quotes.
def _state_file(root: Path, url: str, **fields: object) -> None:
    record = {"url": url, "status": "ok", "first_checked": "2026-01-01T00:00:00Z",
              "last_checked": "2026-01-01T00:00:00Z", **fields}  # fmt: skip
    text = json.dumps({"version": 1, "links": {url: record}}, indent=2)
    (root / STATE_FILE).write_text(text.replace('"HUGE"', "9" * 5000))


@pytest.mark.parametrize(
    ("fields", "message", "line"),
    [
        ({"last_checked": "2099-01-01T00:00:00Z"}, "'2099-01-01T00:00:00Z' is in the future", 8),
        ({"last_checked": "soon"}, "not a date and time", 8),
        ({"http_status": "HUGE"}, "a number of 5,000 digits (at most 18)", 9),
        ({"http_status": 99999}, "http_status: Input should be less than or equal to 999", 9),
        ({"dead_checks": -1}, "dead_checks: Input should be greater than or equal to 0", 9),
    ],
    ids=["future", "not-a-time", "5000-digits", "status-99999", "negative-count"],
)
def test_a_forged_state_file_is_a_positioned_error(
    server: LinkServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fields: dict[str, object],
    message: str,
    line: int,
) -> None:
    url = server.url("/ok")
    root = _site(tmp_path / "s", [url])
    _state_file(root, url, **fields)
    for command in (["check", "--format", "json"], ["build"]):
        assert main([*command, "--root", str(root)]) == 1
        out, err = capsys.readouterr()
        assert f"citeguide-links.json:{line}:" in err
        assert message in err
        assert "Traceback" not in err
        if command[0] == "check":  # JSON even then
            assert json.loads(out)["error"] == "link-state-unreadable"
    assert not (root / "site").exists()


def test_titles_and_quotes_from_the_state_file_are_one_clean_line(
    server: LinkServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.url("/ok")
    root = _site(tmp_path / "s", [url])
    title = "Fine\n\n[^9]: https://evil.example injected\x1b[2J\u202e"
    _state_file(root, url, http_status=200, title=title, quotes={"text=a\nb\x00": "found"})
    assert main(["build", "--root", str(root)]) == 0
    capsys.readouterr()
    twin = (root / "site/g.md").read_text(encoding="utf-8")
    (line,) = [line for line in twin.splitlines() if "evil.example" in line]
    assert line.startswith("- <http")  # the title stays on its source's line
    assert "Fine" in line
    assert "injected" in line
    assert not any(line.startswith("[^9]") for line in twin.splitlines())
    assert "\x1b" not in twin
    assert "\u202e" not in twin
    from citeguide.linkcheck.state import load_state

    record = load_state(root).links[url]
    assert record.title == "Fine [^9]: https://evil.example injected[2J"
    assert record.quotes == {"text=ab": "found"}


# 7. GitHub annotations: a file name cannot end the command or forge another one.
def test_github_annotations_escape_file_names_and_messages() -> None:
    from datetime import date

    from citeguide.linkcheck.report import github
    from citeguide.linkcheck.state import LinkRecord
    from citeguide.records import Use

    path = "content/guides/a,line=1::x\n::error file=forged.md::forged\r.md"
    target = Target("https://e.org/gone%", "https://e.org/gone%", [Use(path, 3, date(2026, 1, 1))])
    stamp = "2026-01-01T00:00:00Z"
    record = LinkRecord(
        url=target.url, status="dead", http_status=404, first_checked=stamp, last_checked=stamp
    )
    (line,) = github([(target, record)]).splitlines()
    assert line == (
        "::error file=content/guides/a%2Cline=1%3A%3Ax%0A%3A%3Aerror file=forged.md%3A%3Aforged"
        "%0D.md,line=3,title=link dead::https://e.org/gone%25: dead (404)"
    )
