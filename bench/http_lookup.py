"""Item lookup over HTTP: Kodeks against nginx serving the same JSON as static files, same run.

    python bench/http_lookup.py [--duration 10] [--workers 2] [--modes item,children,descendants,export]
                                [--urls 20000] [--exports 40] [--rounds 3] [--baseline] [--db URL]
                                [--before GIT-REV]

Installs Debian's ``wrk`` and ``nginx-light`` when missing (root). Loads the real KLE 2015 XML
into a temporary SQLite file (or ``--db`` URL), starts ``kodeks serve`` and an nginx on loopback
ports, then runs ``wrk -t2 -c32 --latency`` on each, one after the other.

Modes: ``item`` (what real clients do): ``--urls`` distinct ``items/{code}?at={date}`` URLs drawn from the
real KLE 2015 history (a fact, and a date inside its period, so every answer is a 200); each wrk
thread walks its own half of the list, so no URL is asked twice in a run (``--baseline``: then the
same server without read models). ``children`` and ``descendants``: the same for codes that have
children. ``export``: the full JSON export at ``--exports`` distinct dates, sent with
``Cache-Control: no-cache`` so each is computed. nginx serves the very same answers as files;
``--rounds`` interleaved runs of each (Kodeks, nginx, Kodeks, ...), the median shown with every
round's ratio. ``--before REV``: the same server from an earlier revision of the code (``git
archive`` of it on ``PYTHONPATH``), interleaved in the same rounds. Targets (items): Kodeks ≥ 25%
of nginx's requests/s, p99 < 10 ms.
"""

from __future__ import annotations

import argparse
import contextlib
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
from typing import IO
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


def wait(url: str, timeout: float = 120) -> bytes:
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


def wrk(
    url: str, duration: int, script: str | None = None, headers: list[str] | None = None
) -> dict[str, float]:
    extra = (["-s", script] if script else []) + (headers or [])
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


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of process ``pid`` and its children now running (uvicorn's or
    nginx's workers): a server's cost per request, which a loaded machine changes far less than
    its requests/s."""
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def wrk_cpu(pid: int, url: str, duration: int, script: str, headers: list[str]) -> dict[str, float]:
    """``wrk``, and the server's CPU µs per request during it."""
    before = cpu_seconds(pid)
    result = wrk(url, duration, script, headers)
    result["cpu_us"] = (cpu_seconds(pid) - before) / (result["rps"] * duration) * 1e6
    return result


def serve(port: int, workers: int, db: str, env: dict[str, str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    command = ["serve", "--port", str(port), "--workers", str(workers), "--db", db]
    return subprocess.Popen(
        [sys.executable, "-m", "kodeks.cli.main", *command],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=log,
        stderr=log,
    )


def distinct_paths(kodeks: Kodeks, count: int, tail: str = "", parents_only: bool = False) -> list[str]:
    """``count`` distinct item URLs at dates inside each fact's period, from the real history
    (``tail``: ``/children`` or ``/descendants``; ``parents_only``: facts of codes that have children)."""
    rng = random.Random(16)
    with kodeks.uow() as uow:
        facts = uow.facts_known_at("kle", datetime(2100, 1, 1))
    if parents_only:
        parents = {f.item.parent for f in facts}
        facts = [f for f in facts if f.code in parents]
    out: set[str] = set()
    while len(out) < count:
        f = rng.choice(facts)
        start = f.period.start or date(1988, 1, 1)
        end = min(f.period.end or date(2026, 12, 31), date(2026, 12, 31))
        if end <= start:
            continue
        day = start + timedelta(days=rng.randrange((end - start).days))
        out.add(f"/api/v1/classifications/kle/items/{quote(f.code)}{tail}?at={day.isoformat()}")
    return sorted(out, key=lambda _: rng.random())


def export_paths(count: int, fmt: str) -> list[str]:
    """``count`` full exports at distinct dates, 1995-2025."""
    rng = random.Random(16)
    days = sorted({date(1995, 1, 1) + timedelta(days=rng.randrange(365 * 30)) for _ in range(count * 2)})
    return [f"/api/v1/classifications/kle/export?format={fmt}&at={d.isoformat()}" for d in days[:count]]


def paths_for(kodeks: Kodeks, mode: str, count: int) -> list[str]:
    if mode == "export":
        return export_paths(count, "json")
    tail = "" if mode == "item" else f"/{mode}"
    return distinct_paths(kodeks, count, tail, parents_only=mode != "item")


NGINX = """worker_processes {workers}; daemon off; pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log; events {{ worker_connections 1024; }}
http {{ access_log off; default_type application/json;
  client_body_temp_path {tmp}; proxy_temp_path {tmp}; fastcgi_temp_path {tmp}; uwsgi_temp_path {tmp};
  scgi_temp_path {tmp};
  server {{ listen 127.0.0.1:{port}; root {tmp}/static;
    location / {{ set $q $args; if ($q = "") {{ set $q today; }} try_files $uri/$q.json =404; }} }} }}
"""


def static_file(tmp: str, path: str) -> Path:
    """Where nginx finds the answer to ``path``: ``static/<path>/<query>.json``."""
    route, _, query = path.partition("?")
    return Path(tmp) / "static" / route.lstrip("/") / f"{query or 'today'}.json"


def measure(args: argparse.Namespace, tmp: str, db: str, mode: str, paths: list[str]) -> dict[str, object]:
    """wrk against Kodeks (and, for items, the same server without read models), then nginx."""
    headers = ["-H", "Cache-Control: no-cache"] if mode == "export" else []  # computed, not cached
    port = free_port()
    log = open(Path(tmp) / f"serve-{mode}.log", "wb")  # noqa: SIM115
    server = serve(port, args.workers, db, {}, log)
    nginx = before = None
    results: dict[str, object] = {"mode": mode, "urls": len(paths)}
    try:
        wait(f"http://127.0.0.1:{port}{PATH}")
        sizes = []
        for path in paths:  # nginx serves exactly what Kodeks answers, one file per URL
            body = wait(f"http://127.0.0.1:{port}{path}")
            static = static_file(tmp, path)
            static.parent.mkdir(parents=True, exist_ok=True)
            static.write_bytes(body)
            sizes.append(len(body))
        results["bytes"] = sum(sizes) / len(sizes)
        listing = Path(tmp) / f"paths-{mode}.txt"
        listing.write_text("\n".join(paths) + "\n")
        script = Path(tmp) / f"paths-{mode}.lua"
        script.write_text(LUA % listing)
        nport = free_port()
        conf = Path(tmp) / f"nginx-{mode}.conf"
        conf.write_text(NGINX.format(workers=args.workers, tmp=tmp, port=nport))
        nginx = subprocess.Popen(
            ["/usr/sbin/nginx", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        assert wait(f"http://127.0.0.1:{nport}{paths[-1]}") == body
        lua = str(script)
        if args.before:
            bport = free_port()
            before = serve(bport, args.workers, db, {"PYTHONPATH": older_code(tmp, args.before)}, log)
            assert wait(f"http://127.0.0.1:{bport}{paths[-1]}") == body
        # Interleaved rounds (Kodeks, [before,] nginx, ...): a shared machine's load falls on all alike.
        rounds: dict[str, list[dict[str, float]]] = {"kodeks": [], "nginx": [], "before": []}
        for _ in range(args.rounds):
            rounds["kodeks"].append(
                wrk_cpu(server.pid, f"http://127.0.0.1:{port}{PATH}", args.duration, lua, headers)
            )
            if before is not None:
                rounds["before"].append(
                    wrk_cpu(before.pid, f"http://127.0.0.1:{bport}{PATH}", args.duration, lua, headers)
                )
            rounds["nginx"].append(
                wrk_cpu(nginx.pid, f"http://127.0.0.1:{nport}{PATH}", args.duration, lua, headers)
            )
        results["kodeks"], results["nginx"] = median(rounds["kodeks"]), median(rounds["nginx"])
        if before is not None:
            results["before"] = median(rounds["before"])
            results["before_ratios"] = [
                b["rps"] / n["rps"] for b, n in zip(rounds["before"], rounds["nginx"], strict=True)
            ]
        results["ratios"] = [
            k["rps"] / n["rps"] for k, n in zip(rounds["kodeks"], rounds["nginx"], strict=True)
        ]
        results["cpu_ratios"] = [
            n["cpu_us"] / k["cpu_us"] for k, n in zip(rounds["kodeks"], rounds["nginx"], strict=True)
        ]
        stop(server)
        if mode == "item" and args.baseline:
            # The same server reading the database for every request (no read model), same URLs.
            port = free_port()
            server = serve(port, args.workers, db, {"KODEKS_READ_MODEL_MAX_FACTS": "0"}, log)
            wait(f"http://127.0.0.1:{port}{PATH}")
            results["database"] = wrk(f"http://127.0.0.1:{port}{PATH}", args.duration, lua, headers)
    except Exception:
        print((Path(tmp) / f"serve-{mode}.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        stop(server)
        if before is not None:
            stop(before)
        if nginx:
            nginx.terminate()
            nginx.wait(10)
    return results


def older_code(tmp: str, rev: str) -> str:
    """The package as it was at ``rev`` (``git archive``), for ``PYTHONPATH``."""
    folder = Path(tmp) / f"before-{rev}"
    if not folder.exists():
        folder.mkdir()
        archive = subprocess.run(["git", "archive", rev, "src"], cwd=REPO, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return str(folder / "src")


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median requests/s (its own p50 and p99)."""
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def report(r: dict[str, object]) -> None:
    k, n = r["kodeks"], r["nginx"]
    assert isinstance(k, dict) and isinstance(n, dict)
    each = sorted(r["ratios"])  # type: ignore[call-overload]
    ratios = ", ".join(f"{x:.1%}" for x in r["ratios"])  # type: ignore[attr-defined]
    ratios += f" (median {each[len(each) // 2]:.1%})"
    print(f"{r['mode']}: {r['urls']:,} distinct URLs, {r['bytes']:,.0f} bytes on average; rounds: {ratios}")
    cpu = r.get("cpu_ratios")
    if cpu:
        each = sorted(cpu)  # type: ignore[arg-type]
        print(
            "  nginx's CPU a request / Kodeks' (same rounds): "
            + ", ".join(f"{x:.1%}" for x in cpu)  # type: ignore[attr-defined]
            + f" (median {each[len(each) // 2]:.1%})"
        )
    if "before_ratios" in r:
        each = sorted(r["before_ratios"])  # type: ignore[call-overload]
        before = ", ".join(f"{x:.1%}" for x in r["before_ratios"])  # type: ignore[attr-defined]
        print(f"  the earlier code, same rounds: {before} (median {each[len(each) // 2]:.1%})")
    rows = [
        ("kodeks", k),
        *((("kodeks, earlier code", r["before"]),) if "before" in r else ()),
        *((("kodeks without read model", r["database"]),) if "database" in r else ()),
        ("nginx", n),
    ]
    for name, m in rows:
        assert isinstance(m, dict)
        share = f" ({m['rps'] / n['rps']:.1%} of nginx)" if m is not n else ""
        print(
            f"  {name:<26} {m['rps']:>9,.0f} req/s  p50 {m['p50']:7.2f} ms  p99 {m['p99']:8.2f} ms  "
            f"non-2xx {m['non2xx']:.0f}  CPU {m.get('cpu_us', 0):,.0f} µs a request{share}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--modes", default="item", help="comma-separated: item, children, descendants, export"
    )
    parser.add_argument("--urls", type=int, default=20_000, help="distinct URLs per look-up mode")
    parser.add_argument("--exports", type=int, default=40, help="distinct dates of the export mode")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved wrk runs; the median is shown")
    parser.add_argument("--baseline", action="store_true", help="items: also without read models")
    parser.add_argument("--before", metavar="REV", help="also serve the code of this git revision")
    parser.add_argument("--db", help="a database URL (e.g. PostgreSQL); default a temporary SQLite file")
    args = parser.parse_args()
    ensure_tools()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{tmp}/kle.sqlite"
        kodeks = build(Settings(database_url=db))
        kle = data("kle/kle_emneplan_2015-08-01.xml")
        importing.import_data(kodeks.uow, kodeks.formats, kle.read_bytes(), kle.name)
        modes = args.modes.split(",")
        paths = {m: paths_for(kodeks, m, args.exports if m == "export" else args.urls) for m in modes}
        kodeks.engine.dispose()
        print(f"wrk -t2 -c32, {args.workers} workers each, {db.split(':')[0]}")
        for mode in modes:
            report(measure(args, tmp, db, mode, paths[mode]))


if __name__ == "__main__":
    main()
