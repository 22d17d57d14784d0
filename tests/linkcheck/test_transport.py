"""The link checker's h11 transport against raw servers on 127.0.0.1 that send exact bytes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from citeguide.linkcheck.transport import MAX_HEADER_BYTES, H11Transport, error_kind

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _request_head(reader: asyncio.StreamReader) -> bytes:
    return await reader.readuntil(b"\r\n\r\n")


async def _serve(handler: Handler, fn: Callable[[str], Awaitable[None]]) -> list[int]:
    """Run `handler` as a server and `fn(base_url)`; returns connections accepted."""
    accepted: list[int] = []

    async def counted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(1)
        try:
            await handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(counted, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        await fn(f"http://127.0.0.1:{port}")
    return accepted


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=H11Transport(connect_timeout=2.0), timeout=5.0)


def test_keep_alive_reuses_one_connection_and_reads_chunked_bodies() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await _request_head(reader)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                b"\r\n5\r\nHello\r\n6\r\n world\r\n0\r\n\r\n"
            )
            await writer.drain()

    async def run(base: str) -> None:
        async with _client() as client:
            for _ in range(5):
                response = await client.get(base + "/page")
                assert response.status_code == 200
                assert response.text == "Hello world"

    assert len(asyncio.run(_serve(handler, run))) == 1


def test_a_kept_alive_connection_closed_by_the_server_is_replaced() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request_head(reader)
        # Promises keep-alive, then closes: the next request must go on a new connection.
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()

    async def run(base: str) -> None:
        async with _client() as client:
            for _ in range(3):
                response = await client.get(base + "/")
                assert response.text == "ok"
                await asyncio.sleep(0.05)  # the close reaches the client

    assert len(asyncio.run(_serve(handler, run))) == 3


def test_head_and_connection_close_and_1xx() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await _request_head(reader)
        if head.startswith(b"HEAD"):
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
        else:
            writer.write(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 Not Found\r\n\r\ngone")
        await writer.drain()

    async def run(base: str) -> None:
        async with _client() as client:
            head = await client.head(base + "/")
            assert head.status_code == 200
            assert head.content == b""  # HEAD has no body whatever Content-Length says
            got = await client.get(base + "/")
            assert got.status_code == 404
            assert got.content == b"gone"  # read until the server closed (HTTP/1.0)

    asyncio.run(_serve(handler, run))


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (b"NOT HTTP AT ALL\r\n\r\n", "malformed"),
        (b"HTTP/1.1 200 OK\r\nX: " + b"a" * (3 * MAX_HEADER_BYTES) + b"\r\n\r\n", "malformed"),
        (b"", "malformed"),  # closed without an answer
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n", "malformed"),
    ],
)
def test_hostile_answers_are_errors_not_crashes(answer: bytes, kind: str) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request_head(reader)
        writer.write(answer)
        await writer.drain()

    async def run(base: str) -> None:
        async with _client() as client:
            with pytest.raises(httpx.HTTPError) as caught:
                await client.get(base + "/")
            assert error_kind(caught.value) == kind

    asyncio.run(_serve(handler, run))


def test_a_refused_connection_keeps_its_cause() -> None:
    async def run() -> None:
        async with _client() as client:
            server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            server.close()
            await server.wait_closed()
            with pytest.raises(ConnectionRefusedError) as refused:
                await client.get(f"http://127.0.0.1:{port}/")
            assert error_kind(refused.value) == "refused"

    asyncio.run(run())


def test_a_server_that_never_answers_times_out() -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request_head(reader)
        await asyncio.sleep(5)

    async def run(base: str) -> None:
        async with _client() as client:
            with pytest.raises(TimeoutError) as caught:
                async with asyncio.timeout(0.3):  # as the checker bounds every request
                    await client.get(base + "/")
            assert error_kind(caught.value) == "timeout"

    asyncio.run(_serve(handler, run))
