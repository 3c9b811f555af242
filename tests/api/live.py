"""Start ``kodeks serve`` as a user runs it (a subprocess on a free loopback port) and wait for it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

SERVE = (sys.executable, "-m", "kodeks.cli.main", "serve")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(
    folder: Path, *args: str, env: dict[str, str] | None = None, output: int | None = subprocess.DEVNULL
) -> tuple[int, subprocess.Popen[bytes]]:
    """``kodeks serve --port P ARGS`` in ``folder``, without the caller's KODEKS_ settings (``env``
    adds some); returns once the port answers, or fails with what the server printed."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KODEKS_")}
    process = subprocess.Popen(
        [*SERVE, "--port", str(port), *args],
        cwd=folder,
        env={**clean, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT if output == subprocess.PIPE else subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return port, process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                said = process.communicate()[0] if output == subprocess.PIPE else b""
                raise AssertionError(f"kodeks serve did not start: {said.decode(errors='replace')}") from None
            time.sleep(0.1)
