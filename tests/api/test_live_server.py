"""``kodeks serve`` as a user runs it, over a real socket: raw UTF-8 in a query string, oversized and
malformed request heads (answered by the HTTP server itself, in the one JSON error shape), the access
log of ``--access-log``, and refused authentications logged at the default settings."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api import live

SECRET = "kodeks_" + "F" * 43  # a forged token: it must never appear in a log


@dataclass
class Served:
    port: int
    process: subprocess.Popen[bytes]

    def raw(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                s.sendall(request)  # the server may answer and close before reading everything
            data = b""
            try:
                while chunk := s.recv(65536):
                    data += chunk
            except ConnectionResetError:
                pass
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        return int(lines[0].split()[1]), headers, body


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder: Path = tmp_path_factory.mktemp("serve")
    db = f"sqlite:///{folder / 'k.sqlite'}"
    port, process = live.start(folder, "--access-log", "--db", db, output=subprocess.PIPE)
    yield Served(port, process)
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def _error(body: bytes) -> dict[str, object]:
    parsed = json.loads(body)
    assert set(parsed) == {"error"} and set(parsed["error"]) == {"code", "message", "details"}
    error: dict[str, object] = parsed["error"]
    return error


def test_raw_utf8_in_a_query_string_is_accepted_and_decoded(served: Served) -> None:
    status, _, body = served.raw(
        "GET /api/v1/search?q=hjemmehjælp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    )
    assert status == 200, body
    assert json.loads(body)["query"] == "hjemmehjælp"


def test_oversized_headers_are_431_in_the_error_shape(served: Served) -> None:
    for size in (70 * 1024, 2 * 1024 * 1024):
        junk = b"X-Junk: " + b"a" * size + b"\r\n"
        status, headers, body = served.raw(
            b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + junk + b"\r\n"
        )
        assert status == 431, body
        assert headers["content-type"] == "application/json"
        assert _error(body)["code"] == "headers_too_large"


def test_a_malformed_request_is_400_in_the_error_shape(served: Served) -> None:
    status, headers, body = served.raw(b"GET / HTTP/1.1\r\nHo st: x\r\n\r\n")
    assert status == 400, body
    assert headers["content-type"] == "application/json"
    assert _error(body)["code"] == "invalid_request"


def test_responses_on_one_kept_alive_connection_arrive_whole(served: Served) -> None:
    """Each response's head goes out with its body (``server.HeadWithBody``): two requests on one
    connection, each answered whole."""
    ask = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as s:
        for _ in range(2):
            s.sendall(ask)
            data = b""
            while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _length(data):
                data += s.recv(65536)
            assert data.startswith(b"HTTP/1.1 200 ") and json.loads(data.partition(b"\r\n\r\n")[2])


def _length(data: bytes) -> int:
    head = data.partition(b"\r\n\r\n")[0].decode("latin-1").lower()
    return int(head.split("content-length: ")[1].split("\r\n")[0])


def test_access_log_and_refused_authentications_are_written(served: Served) -> None:
    status, _, _ = served.raw(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 200
    forged = f"POST /api/v1/organisations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {SECRET}\r\n"
    status, _, body = served.raw((forged + "Content-Length: 0\r\nConnection: close\r\n\r\n").encode())
    assert status == 401, body
    served.process.terminate()
    output = served.process.communicate(timeout=30)[0].decode()
    assert '"GET /health HTTP/1.1" 200' in output
    assert '"POST /api/v1/organisations HTTP/1.1" 401' in output
    assert "authentication refused: the token is not valid (unknown credential, sha256" in output
    assert SECRET not in output and "F" * 20 not in output
