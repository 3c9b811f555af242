"""Item lookup over HTTP: Kodeks against nginx serving the same JSON as a static file, same run.

    python bench/http_lookup.py [--duration 10] [--workers 2]

Installs Debian's ``wrk`` and ``nginx-light`` when missing (root). Loads the real KLE 2015 XML
into a temporary SQLite file, starts ``kodeks serve`` and an nginx on loopback ports, then runs
``wrk -t2 -c32 --latency`` against ``/api/v1/classifications/kle/items/27.24.00`` on each, one
after the other. Targets: Kodeks ≥ 25% of nginx's requests/s, p99 < 10 ms.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import REPO, data

from kodeks.bootstrap import build
from kodeks.config import Settings
from kodeks.services import importing

PATH = "/api/v1/classifications/kle/items/27.24.00"


def ensure_tools() -> None:
    missing = [
        p
        for p, exe in (("wrk", "wrk"), ("nginx-light", "nginx"))
        if not shutil.which(exe) and not Path(f"/usr/sbin/{exe}").exists()
    ]
    if missing:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return bytes(r.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def wrk(url: str, duration: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", url], check=True, capture_output=True, text=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        assert m, out
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "non2xx": float(errors.group(1)) if errors else 0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    ensure_tools()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/kle.sqlite"
        kodeks = build(Settings(database_url=db))
        kle = data("kle/kle_emneplan_2015-08-01.xml")
        importing.import_data(kodeks.uow, kodeks.formats, kle.read_bytes(), kle.name)
        kodeks.engine.dispose()
        port, nport = free_port(), free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kodeks.cli.main",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
                "--db",
                db,
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        nginx = None
        try:
            body = wait(f"http://127.0.0.1:{port}{PATH}")
            static = Path(tmp) / "static" / PATH.lstrip("/")
            static.parent.mkdir(parents=True)
            static.write_bytes(body)
            conf = Path(tmp) / "nginx.conf"
            conf.write_text(f"""worker_processes {args.workers}; daemon off; pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log; events {{ worker_connections 1024; }}
http {{ access_log off; default_type application/json;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp};
  scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{nport}; root {tmp}/static; }} }}
""")
            nginx = subprocess.Popen(
                ["/usr/sbin/nginx", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            assert wait(f"http://127.0.0.1:{nport}{PATH}") == body
            wrk(f"http://127.0.0.1:{port}{PATH}", 2)  # warm up
            k = wrk(f"http://127.0.0.1:{port}{PATH}", args.duration)
            n = wrk(f"http://127.0.0.1:{nport}{PATH}", args.duration)
        finally:
            server.send_signal(signal.SIGINT)
            if nginx:
                nginx.terminate()
            server.wait(10)
    print(f"item lookup, wrk -c32, {args.workers} workers each, {len(body)} bytes")
    print(
        f"kodeks: {k['rps']:.0f} req/s, p50 {k['p50']:.2f} ms, p99 {k['p99']:.2f} ms, "
        f"non-2xx {k['non2xx']:.0f}"
    )
    print(f"nginx : {n['rps']:.0f} req/s, p50 {n['p50']:.2f} ms, p99 {n['p99']:.2f} ms")
    print(
        f"ratio : {k['rps'] / n['rps']:.1%} of nginx (target ≥ 25%), p99 {k['p99']:.2f} ms (target < 10 ms)"
    )


if __name__ == "__main__":
    main()
