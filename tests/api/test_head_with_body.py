"""``server.HeadWithBody``: a response's head and body in one write, nothing held back for long."""

from __future__ import annotations

import asyncio

from kodeks.api.server import HeadWithBody
from tests.factories import run_apart

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return name


def test_the_head_goes_with_the_first_part_of_the_body_and_the_rest_as_written() -> None:
    async def respond() -> Transport:
        transport = Transport()
        out = HeadWithBody(transport)
        out.write(b"HTTP/1.1 100 Continue\r\n\r\n")  # at once: the client waits for it
        out.write(HEAD)
        out.write(b"{}")
        out.write(b"HTTP/1.1 200 looks like a head but is body")
        assert out.get_extra_info("peername") == "peername"  # the rest is the transport's
        return transport

    writes = run_apart(respond()).writes
    assert writes == [
        b"HTTP/1.1 100 Continue\r\n\r\n",
        HEAD + b"{}",
        b"HTTP/1.1 200 looks like a head but is body",
    ]


def test_a_head_without_a_body_yet_goes_when_the_loop_turns_or_the_connection_closes() -> None:
    async def stream() -> tuple[list[bytes], list[bytes], bool]:
        waiting, closing = Transport(), Transport()
        HeadWithBody(waiting).write(HEAD)
        held = HeadWithBody(closing)
        held.write(HEAD)
        held.close()
        await asyncio.sleep(0)
        return waiting.writes, closing.writes, closing.closed

    waiting, closing, closed = run_apart(stream())
    assert waiting == [HEAD] and closing == [HEAD] and closed
