"""Item lookup over HTTP: Kodeks against nginx serving the same JSON as static files, same run.

    python bench/http_lookup.py [--duration 10] [--workers 2] [--mode one|distinct] [--urls 20000]

Installs Debian's ``wrk`` and ``nginx-light`` when missing (root). Loads the real KLE 2015 XML
into a temporary SQLite file (or ``--db`` URL), starts ``kodeks serve`` and an nginx on loopback
ports, then runs ``wrk -t2 -c32 --latency`` on each, one after the other.

``--mode one``: one URL, ``/api/v1/classifications/kle/items/27.24.00``, requested over and over
(the response cache answers). ``--mode distinct`` (what real clients do): ``--urls`` distinct
``items/{code}?at={date}`` URLs drawn from the real KLE 2015 history (a fact, and a date inside its
period, so every answer is a 200); each wrk thread walks its own half of the list, so no URL is asked
twice in a run; nginx serves the very same answers as files. Targets: Kodeks ≥ 25% of nginx's
requests/s, p99 < 10 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from _common import REPO, data

from kodeks.bootstrap import Kodeks, build
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
    """The body at ``url`` once the server answers; ``no-cache`` keeps it out of Kodeks' response cache."""
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"Cache-Control": "no-cache"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=2) as r:
                return bytes(r.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local counter, index = 0, 0
setup = function(thread)
  thread:set("offset", counter * math.floor(#paths / 2))
  counter = counter + 1
end
request = function()
  index = index + 1
  return wrk.format("GET", paths[(offset + index - 1) %% #paths + 1])
end
"""


def wrk(url: str, duration: int, script: str | None = None) -> dict[str, float]:
    extra = ["-s", script] if script else []
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", *extra, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        assert m, out
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "non2xx": float(errors.group(1)) if errors else 0}


def serve(port: int, workers: int, db: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = ["serve", "--port", str(port), "--workers", str(workers), "--db", db]
    return subprocess.Popen(
        [sys.executable, "-m", "kodeks.cli.main", *command],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def distinct_paths(kodeks: Kodeks, count: int) -> list[str]:
    """``count`` distinct item URLs at dates inside each fact's period, from the real history."""
    rng = random.Random(16)
    with kodeks.uow() as uow:
        facts = uow.facts_known_at("kle", datetime(2100, 1, 1))
    out: set[str] = set()
    while len(out) < count:
        f = rng.choice(facts)
        start = f.period.start or date(1988, 1, 1)
        end = min(f.period.end or date(2026, 12, 31), date(2026, 12, 31))
        if end <= start:
            continue
        day = start + timedelta(days=rng.randrange((end - start).days))
        out.add(f"/api/v1/classifications/kle/items/{quote(f.code)}?at={day.isoformat()}")
    return sorted(out, key=lambda _: rng.random())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=("one", "distinct"), default="distinct")
    parser.add_argument("--urls", type=int, default=20_000)
    parser.add_argument("--db", help="a database URL (e.g. PostgreSQL); default a temporary SQLite file")
    args = parser.parse_args()
    ensure_tools()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{tmp}/kle.sqlite"
        kodeks = build(Settings(database_url=db))
        kle = data("kle/kle_emneplan_2015-08-01.xml")
        importing.import_data(kodeks.uow, kodeks.formats, kle.read_bytes(), kle.name)
        paths = distinct_paths(kodeks, args.urls) if args.mode == "distinct" else [PATH]
        kodeks.engine.dispose()
        port, nport = free_port(), free_port()
        server = serve(port, args.workers, db, {})
        nginx = None
        try:
            wait(f"http://127.0.0.1:{port}{PATH}")
            sizes = []
            for path in paths:  # nginx serves exactly what Kodeks answers, one file per URL
                body = wait(f"http://127.0.0.1:{port}{path}")
                route, _, query = path.partition("?at=")
                static = Path(tmp) / "static" / route.lstrip("/") / f"{query or 'today'}.json"
                static.parent.mkdir(parents=True, exist_ok=True)
                static.write_bytes(body)
                sizes.append(len(body))
            listing = Path(tmp) / "paths.txt"
            listing.write_text("\n".join(paths) + "\n")
            script = Path(tmp) / "paths.lua"
            script.write_text(LUA % listing)
            conf = Path(tmp) / "nginx.conf"
            conf.write_text(f"""worker_processes {args.workers}; daemon off; pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log; events {{ worker_connections 1024; }}
http {{ access_log off; default_type application/json;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp};
  scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{nport}; root {tmp}/static;
    location / {{ set $at $arg_at; if ($at = "") {{ set $at today; }} try_files $uri/$at.json =404; }} }} }}
""")
            nginx = subprocess.Popen(
                ["/usr/sbin/nginx", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            assert wait(f"http://127.0.0.1:{nport}{paths[-1]}") == body
            lua = str(script) if args.mode == "distinct" else None
            k = wrk(f"http://127.0.0.1:{port}{PATH}", args.duration, lua)
            n = wrk(f"http://127.0.0.1:{nport}{PATH}", args.duration, lua)
            server.send_signal(signal.SIGINT)
            server.wait(10)
            # The same server reading the database for every request (no read model), same URLs.
            server = serve(port, args.workers, db, {"KODEKS_READ_MODEL_MAX_FACTS": "0"})
            wait(f"http://127.0.0.1:{port}{PATH}")
            d = wrk(f"http://127.0.0.1:{port}{PATH}", args.duration, lua)
        finally:
            server.send_signal(signal.SIGINT)
            if nginx:
                nginx.terminate()
            server.wait(10)
    what = f"{len(paths):,} distinct code×date URLs" if args.mode == "distinct" else "one repeated URL"
    mean = sum(sizes) / len(sizes)
    print(f"item lookup, {what}, wrk -t2 -c32, {args.workers} workers each, {mean:.0f} bytes on average")
    print(
        f"kodeks: {k['rps']:.0f} req/s, p50 {k['p50']:.2f} ms, p99 {k['p99']:.2f} ms, "
        f"non-2xx {k['non2xx']:.0f}"
    )
    print(
        f"kodeks without read model: {d['rps']:.0f} req/s, p50 {d['p50']:.2f} ms, p99 {d['p99']:.2f} ms "
        f"({d['rps'] / n['rps']:.1%} of nginx)"
    )
    print(f"nginx : {n['rps']:.0f} req/s, p50 {n['p50']:.2f} ms, p99 {n['p99']:.2f} ms")
    print(
        f"ratio : {k['rps'] / n['rps']:.1%} of nginx (target ≥ 25%), p99 {k['p99']:.2f} ms (target < 10 ms)"
    )


if __name__ == "__main__":
    main()
