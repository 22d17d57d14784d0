"""The link checker's HTTP/1.1 transport: asyncio streams and h11, one small pool per origin.

httpx's default transport (httpcore over anyio) spends most of a link check's CPU on its
connection pool: for every request it scans the pool and asks each connection's socket
whether it is still readable (measured: 0.7 ms of CPU per request, 1,000 GETs on two
cores taking longer than linkinator's whole run). A checker needs much less: one request
at a time per connection, keep-alive, a capped body, no HTTP/2. This transport does that
with h11, the same HTTP/1.1 state machine httpcore uses, so parsing stays strict and
bounded, and it plugs into `httpx.AsyncClient` so requests, responses, redirects and
error classification stay httpx's.

Errors keep their causes for `error_kind`, below: DNS failures are `socket.gaierror`,
refusals `ConnectionRefusedError`, malformed answers `httpx.RemoteProtocolError`, and a
connect that takes too long `httpx.ConnectTimeout`.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator

import h11
import httpx

MAX_HEADER_BYTES = 64 * 1024
"""A response whose status line and headers exceed this is refused (h11 enforces it)."""
READ_CHUNK = 64 * 1024
IDLE_PER_ORIGIN = 16
"""Idle keep-alive connections kept per origin; more are closed."""

Origin = tuple[str, str, int]


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=MAX_HEADER_BYTES)

    def usable(self) -> bool:
        """Idle and still open: the server has not closed its end meanwhile."""
        return not (self.writer.is_closing() or self.reader.at_eof())

    def close(self) -> None:
        self.writer.close()

    async def next_event(self) -> h11.Event | type[h11.NEED_DATA] | type[h11.PAUSED]:
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(f"malformed response: {exc}") from exc
            if event is not h11.NEED_DATA:
                return event
            data = await self.reader.read(READ_CHUNK)
            if not data and self.h11.their_state is h11.SEND_RESPONSE:
                raise httpx.RemoteProtocolError("server disconnected without sending a response")
            self.h11.receive_data(data)


class _Body(httpx.AsyncByteStream):
    """The response body as it arrives; the connection goes back to the pool only when
    the whole message was read and both sides may go on."""

    def __init__(self, transport: H11Transport, origin: Origin, conn: _Connection) -> None:
        self.transport, self.origin, self.conn = transport, origin, conn
        self.complete = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self.complete:
            event = await self.conn.next_event()
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                self.complete = True

    async def aclose(self) -> None:
        conn = self.conn
        if self.complete and conn.h11.our_state is h11.DONE and conn.h11.their_state is h11.DONE:
            conn.h11.start_next_cycle()
            self.transport.release(self.origin, conn)
        else:
            conn.close()  # a body left unread is not worth draining: drop the connection


class H11Transport(httpx.AsyncBaseTransport):
    """HTTP/1.1 over asyncio streams with keep-alive pools per (scheme, host, port)."""

    def __init__(self, *, connect_timeout: float, ssl_context: ssl.SSLContext | None = None):
        self.connect_timeout = connect_timeout
        self._ssl_context = ssl_context
        self._idle: dict[Origin, list[_Connection]] = {}

    @property
    def ssl_context(self) -> ssl.SSLContext:
        """Made on the first https connection: loading the CA bundle costs 17–20 ms of CPU,
        once per run (not once per host), and nothing for a run with no https URL."""
        if self._ssl_context is None:
            self._ssl_context = httpx.create_ssl_context()
        return self._ssl_context

    def release(self, origin: Origin, conn: _Connection) -> None:
        idle = self._idle.setdefault(origin, [])
        if len(idle) < IDLE_PER_ORIGIN:
            idle.append(conn)
        else:
            conn.close()

    async def _connect(self, origin: Origin) -> _Connection:
        scheme, host, port = origin
        tls = self.ssl_context if scheme == "https" else None
        try:
            async with asyncio.timeout(self.connect_timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None, limit=READ_CHUNK
                )
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"connecting to {host}:{port} timed out") from exc
        return _Connection(reader, writer)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported scheme in {url}")
        origin: Origin = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        idle = self._idle.get(origin, [])
        while idle:
            conn = idle.pop()
            if conn.usable():
                try:
                    return await self._send(request, origin, conn)
                except (httpx.RemoteProtocolError, ConnectionError):
                    # The server closed a kept-alive connection as it was reused: the
                    # request never reached it, so it is sent again on a new one.
                    conn.close()
                    continue
            conn.close()
        return await self._send(request, origin, await self._connect(origin))

    async def _send(
        self, request: httpx.Request, origin: Origin, conn: _Connection
    ) -> httpx.Response:
        headers = [(k, v) for k, v in request.headers.raw]
        try:
            data = conn.h11.send(
                h11.Request(method=request.method, target=request.url.raw_path, headers=headers)
            )
            end = conn.h11.send(h11.EndOfMessage())
        except h11.LocalProtocolError as exc:
            conn.close()
            raise httpx.LocalProtocolError(f"request cannot be sent: {exc}") from exc
        conn.writer.write((data or b"") + (end or b""))
        try:
            await conn.writer.drain()
            while True:
                event = await conn.next_event()
                if isinstance(event, h11.Response):
                    break
                if isinstance(event, h11.ConnectionClosed):
                    raise httpx.RemoteProtocolError("server closed the connection")
                # InformationalResponse (1xx): wait for the real answer
        except BaseException:
            conn.close()
            raise
        return httpx.Response(
            status_code=event.status_code,
            headers=[(bytes(k), bytes(v)) for k, v in event.headers],
            stream=_Body(self, origin, conn),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": bytes(event.reason)},
        )

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for conn in idle:
                conn.close()
        self._idle.clear()


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


_NO_SUCH_NAME = {
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
}


def error_kind(exc: BaseException) -> str:
    """The error word for a failed request: `timeout`, `tls`, `dns`, `refused`, ..."""
    chain = _chain(exc)
    if any(isinstance(e, httpx.TimeoutException | TimeoutError) for e in chain):
        return "timeout"
    text = " ".join(repr(e) for e in chain).lower()
    if any(isinstance(e, ssl.SSLError) for e in chain) or "certificate" in text:
        return "tls"
    resolver = [e for e in chain if isinstance(e, socket.gaierror)]
    if resolver or "name or service not known" in text or "name resolution" in text:
        codes = {e.errno for e in resolver}
        # Only "no such name" is the DNS answering; "try again", a failed or missing
        # resolver, is the network path failing, as it does on a machine offline.
        if codes & _NO_SUCH_NAME or (not codes and "name or service not known" in text):
            return "dns"
        return "dns-temporary"
    # asyncio reports a host with several addresses as "Multiple exceptions: [Errno N] ..."
    if any(k in text for k in ("network is unreachable", "no route to host", "[errno 101]")):
        return "unreachable"
    if "[errno 113]" in text:
        return "unreachable"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return "refused"
    if "[errno 111]" in text:
        return "refused"
    if "all connection attempts failed" in text:
        # anyio hides the errno behind this message; for one address it means refused
        return "refused"
    if any(isinstance(e, httpx.UnsupportedProtocol | httpx.InvalidURL) for e in chain):
        return "malformed"
    if any(isinstance(e, httpx.RemoteProtocolError) for e in chain):
        return "malformed"
    return "network"
