"""A real HTTP receiver on 127.0.0.1 for webhook tests: records what it gets, answers as told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)  # statuses to answer in turn; then 200
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_for(self, count: int, seconds: float = 5.0) -> list[Received]:
        deadline = threading.Event()
        for _ in range(int(seconds * 50)):
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            deadline.wait(0.02)
        raise AssertionError(f"expected {count} webhook calls, got {len(self.received)}")


@contextmanager
def receiver() -> Iterator[Receiver]:
    box: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            r = box["r"]
            with r.lock:
                r.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                status = r.answers.pop(0) if r.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 1
    box["r"] = Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook?tenant=aarhus")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield box["r"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
