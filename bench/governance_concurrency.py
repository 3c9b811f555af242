"""Concurrent writers on one classification: throughput, and proof of zero lost updates.

Run:  python bench/governance_concurrency.py [--writers 8] [--edits 500] [--codes 20] [--publications 10]
      [--pub-codes 4]
      PostgreSQL: KODEKS_BENCH_POSTGRES_URL, else KODEKS_TEST_POSTGRES_URL, else ``scripts/pg start``.

Part 1, draft edits (the figure asked for): WRITERS threads each make EDITS edits to one shared draft change
set of one classification, through the service layer (``drafts.draft_item`` → ``drafts.put_item`` with the
ETag just read), each edit its own transaction; codes are drawn at random from CODES, so writers collide.
A stale write must raise ``Conflict`` (409); there are no retries. Afterwards the run is audited:
every accepted edit is the revision it was stored as (its title is there, once), revisions of each code
are 1..n without gaps, each accepted edit's "before" tag is the previous revision's "after" tag (no two
accepted edits were based on the same version), and every rejected edit got a 409.
Baseline: one writer making the same number of edits per writer, same backend, same run.

Part 2, publications: WRITERS threads each publish PUBLICATIONS small change sets (open, edit one code,
submit, approve by a second user, publish), codes drawn from PUB_CODES; a publication over a
code that changed since the draft read it must get 409. Each accepted one must be one registration
and its title the code's content from its effective date.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from kodeks.bootstrap import Kodeks, build
from kodeks.config import Settings
from kodeks.domain.classification import Classification
from kodeks.domain.governance.identity import Organisation, OrgKind, User, system_actor
from kodeks.domain.governance.roles import ResourceKind, Role
from kodeks.domain.item import Item
from kodeks.errors import Conflict
from kodeks.services.governance import changesets, classifications, drafts, identity, publishing, roles
from kodeks.services.governance.context import Governance
from kodeks.services.governance.drafts import cs_etag
from kodeks.storage.governance import open_governance

REPO = Path(__file__).resolve().parents[1]
EFFECTIVE = date(2026, 1, 1)


@dataclass
class Outcome:
    accepted: list[tuple[int, int, str, float]] = field(default_factory=list)  # writer, n, code, seconds
    rejected: list[tuple[int, int, str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0

    @property
    def attempts(self) -> int:
        return len(self.accepted) + len(self.rejected) + len(self.errors)


def setup(url: str, codes: int, writers: int) -> tuple[Kodeks, Governance, int]:
    kodeks = build(Settings(database_url=url, environment="test"))
    gov = open_governance(kodeks.engine, kodeks.settings)
    admin = system_actor("bench")
    identity.create_organisation(gov, admin, Organisation("751", "Aarhus Kommune", OrgKind.MUNICIPALITY))
    for n in range(writers):
        identity.create_user(gov, admin, User(f"editor-{n}", "751", f"Editor {n}"))
        roles.assign(gov, admin, f"editor-{n}", Role.EDITOR, ResourceKind.ORGANISATION, "751")
    identity.create_user(gov, admin, User("reviewer", "751", "Reviewer"))
    roles.assign(gov, admin, "reviewer", Role.REVIEWER, ResourceKind.ORGANISATION, "751")
    classifications.create(gov, admin, Classification("plan", {"da": "Plan"}), owner="751")
    author = identity.local_actor(gov, "editor-0")
    base = changesets.open_change_set(
        gov, author, "plan", title="base", label="base", effective=date(2020, 1, 1)
    )
    assert base.id is not None
    for n in range(codes):
        drafts.put_item(
            gov, author, base.id, f"{n:02d}", Item(f"{n:02d}", {"da": f"Emne {n}"}, level=1), None
        )
    reviewer = identity.local_actor(gov, "reviewer")
    done = changesets.submit(gov, author, base.id, cs_etag(changesets.get(gov, author, base.id)[0]))
    done = changesets.approve(gov, reviewer, base.id, cs_etag(done))
    publishing.publish(gov, reviewer, base.id, cs_etag(done), "base")
    draft = changesets.open_change_set(
        gov, author, "plan", title="shared draft", label="2026.1", effective=EFFECTIVE
    )
    assert draft.id is not None
    return kodeks, gov, draft.id


def run_writers(
    writers: int, per_writer: int, job: Callable[[int, int, random.Random], tuple[bool, str]]
) -> Outcome:
    outcome = Outcome()
    lock = threading.Lock()
    barrier = threading.Barrier(writers)

    def writer(w: int) -> None:
        rng = random.Random(1000 + w)
        barrier.wait()
        for n in range(per_writer):
            start = time.perf_counter()
            try:
                ok, code = job(w, n, rng)
                row = (w, n, code, time.perf_counter() - start)
                with lock:
                    (outcome.accepted if ok else outcome.rejected).append(row)
            except Exception as exc:  # an error other than 409 breaks the guarantee: report it
                with lock:
                    outcome.errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome.wall = time.perf_counter() - start
    return outcome


def draft_edits(gov: Governance, draft_id: int, writers: int, edits: int, codes: int) -> Outcome:
    actors = [identity.local_actor(gov, f"editor-{w}") for w in range(writers)]

    def edit(w: int, n: int, rng: random.Random) -> tuple[bool, str]:
        code = f"{rng.randrange(codes):02d}"
        read = drafts.draft_item(gov, actors[w], draft_id, code)
        try:
            drafts.put_item(
                gov, actors[w], draft_id, code, Item(code, {"da": f"w{w}-{n}"}, level=1), read.etag
            )
        except Conflict:
            return False, code
        return True, code

    return run_writers(writers, edits, edit)


def audit_draft(gov: Governance, draft_id: int, outcome: Outcome) -> list[str]:
    """Problems found; an empty list means no update was lost."""
    problems = [f"non-409 failure: {e}" for e in outcome.errors[:5]]
    with gov.uow() as uow:
        history = uow.governance.entry_history(draft_id)
        trail = [
            a
            for a in uow.governance.audit("plan", limit=10**7)
            if a.action == "draft.upsert" and a.change_set_id == draft_id
        ]
    titles = [e.item.title() for e in history if e.item is not None]
    if len(titles) != len(set(titles)):
        problems.append("a title was stored twice")
    stored = set(titles)
    missing = [f"w{w}-{n}" for w, n, _c, _s in outcome.accepted if f"w{w}-{n}" not in stored]
    if missing:
        problems.append(f"{len(missing)} accepted edits are not in the history, e.g. {missing[:3]}")
    ghosts = stored - {f"w{w}-{n}" for w, n, _c, _s in outcome.accepted}
    if ghosts:
        problems.append(f"{len(ghosts)} stored edits were reported as rejected")
    by_code: dict[str, list[int]] = {}
    for e in history:
        by_code.setdefault(e.code, []).append(e.revision)
    for code, revisions in by_code.items():
        if revisions != list(range(1, len(revisions) + 1)):
            problems.append(f"{code}: revisions {revisions[:5]}... are not 1..n")
    chains: dict[str, list[Any]] = {}
    for a in trail:
        chains.setdefault(a.code or "", []).append(a)
    for code, entries in chains.items():
        for before, after in itertools.pairwise(entries):
            if after.details["before"] != before.details["after"]:
                problems.append(f"{code}: an accepted edit was based on a superseded version")
                break
    if len(history) != len(outcome.accepted):
        problems.append(f"{len(history)} revisions stored for {len(outcome.accepted)} accepted edits")
    return problems


def publications(gov: Governance, writers: int, each: int, codes: int) -> Outcome:
    actors = [identity.local_actor(gov, f"editor-{w}") for w in range(writers)]
    reviewer = identity.local_actor(gov, "reviewer")

    def publish(w: int, n: int, rng: random.Random) -> tuple[bool, str]:
        code = f"{rng.randrange(codes):02d}"
        cs = changesets.open_change_set(
            gov, actors[w], "plan", title=f"p{w}-{n}", label=f"p{w}-{n}", effective=EFFECTIVE
        )
        assert cs.id is not None
        try:  # a publication of the code can land under the draft's edit, or under the approved change set
            read = drafts.draft_item(gov, actors[w], cs.id, code)
            drafts.put_item(gov, actors[w], cs.id, code, Item(code, {"da": f"p{w}-{n}"}, level=1), read.etag)
            done = changesets.submit(gov, actors[w], cs.id, cs_etag(changesets.get(gov, actors[w], cs.id)[0]))
            done = changesets.approve(gov, reviewer, cs.id, cs_etag(done))
            publishing.publish(gov, reviewer, cs.id, cs_etag(done), "bench")
        except Conflict:
            return False, code
        return True, code

    return run_writers(writers, each, publish)


def audit_publications(kodeks: Kodeks, gov: Governance, outcome: Outcome, before: int) -> list[str]:
    problems = [f"non-409 failure: {e}" for e in outcome.errors[:5]]
    with kodeks.engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM registration WHERE action = 'publish'")).scalar_one()
    if count - before != len(outcome.accepted):
        problems.append(f"{count - before} registrations for {len(outcome.accepted)} accepted publications")
    with gov.uow() as uow:
        for w, n, code, _s in outcome.accepted:
            titles = {r.item.title() for r in uow.item_records("plan", code)}
            if f"p{w}-{n}" not in titles:
                problems.append(f"publication p{w}-{n} of {code} is not in the item's history")
    return problems


def postgres_url() -> str | None:
    url = os.environ.get("KODEKS_BENCH_POSTGRES_URL") or os.environ.get("KODEKS_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        return (
            subprocess.run(
                [str(REPO / "scripts" / "pg"), "start"], check=True, capture_output=True, text=True
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"PostgreSQL not available ({exc}); SQLite only", file=sys.stderr)
        return None


def with_schema(url: str) -> tuple[str, Callable[[], None]]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", drop


def line(label: str, o: Outcome, what: str) -> str:
    lat = sorted(s for *_x, s in o.accepted + o.rejected)
    p50 = statistics.median(lat) * 1000 if lat else 0.0
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] * 1000 if lat else 0.0
    return (
        f"{label:<34} {o.attempts:>6} {len(o.accepted):>8} {len(o.rejected):>6} {len(o.errors):>4} "
        f"{o.wall:>7.2f} {len(o.accepted) / o.wall:>9.1f} {o.attempts / o.wall:>9.1f} {p50:>7.1f} {p95:>7.1f}"
        f"  {what}"
    )


def bench(
    name: str, fresh: Callable[[], tuple[str, Callable[[], None]]], args: argparse.Namespace
) -> dict[str, float]:
    print(f"\n== {name} ==")
    print(
        f"{'run':<34} {'tries':>6} {'accepted':>8} {'409':>6} {'err':>4} {'wall s':>7} {'acc/s':>9} "
        f"{'tries/s':>9} {'p50 ms':>7} {'p95 ms':>7}  audit"
    )
    figures: dict[str, float] = {}
    for writers in (1, args.writers):
        url, cleanup = fresh()
        kodeks, gov, draft = setup(url, args.codes, args.writers)
        outcome = draft_edits(gov, draft, writers, args.edits, args.codes)
        problems = audit_draft(gov, draft, outcome)
        verdict = "0 lost updates" if not problems else "; ".join(problems[:3])
        print(line(f"draft edits {writers}x{args.edits}", outcome, verdict))
        figures[f"edits-{writers}"] = len(outcome.accepted) / outcome.wall
        figures[f"tries-{writers}"] = outcome.attempts / outcome.wall
        figures[f"problems-{writers}"] = len(problems)
        if writers == args.writers and args.publications:
            with kodeks.engine.connect() as conn:
                before = conn.execute(
                    text("SELECT count(*) FROM registration WHERE action = 'publish'")
                ).scalar_one()
            pubs = publications(gov, args.writers, args.publications, args.pub_codes)
            problems = audit_publications(kodeks, gov, pubs, before)
            verdict = "every accepted one published once" if not problems else "; ".join(problems[:3])
            print(line(f"publications {args.writers}x{args.publications}", pubs, verdict))
            figures["publications"] = len(pubs.accepted) / pubs.wall
            figures["problems-pub"] = len(problems)
        kodeks.engine.dispose()
        cleanup()
    print(
        f"ratio {args.writers} writers / 1 writer (accepted edits/s): "
        f"{figures[f'edits-{args.writers}'] / figures['edits-1']:.2f}x; "
        f"(attempts/s): {figures[f'tries-{args.writers}'] / figures['tries-1']:.2f}x"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--edits", type=int, default=500)
    parser.add_argument("--codes", type=int, default=20)
    parser.add_argument("--publications", type=int, default=10)
    parser.add_argument("--pub-codes", type=int, default=4, help="codes the publications draw from")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = iter(range(100))

        def sqlite_file() -> tuple[str, Callable[[], None]]:
            return f"sqlite:///{Path(tmp) / f'bench-{next(files)}.sqlite'}", lambda: None

        results["SQLite (file, WAL)"] = bench("SQLite (file, WAL)", sqlite_file, args)
    pg = None if args.no_postgres else postgres_url()
    if pg:
        results["PostgreSQL"] = bench("PostgreSQL", lambda: with_schema(pg), args)
    if len(results) == 2:
        sq, pq = results["SQLite (file, WAL)"], results["PostgreSQL"]
        print(
            f"\nPostgreSQL / SQLite, {args.writers} writers: accepted edits/s "
            f"{pq[f'edits-{args.writers}'] / sq[f'edits-{args.writers}']:.2f}x; publications/s "
            f"{pq.get('publications', 0) / max(sq.get('publications', 1), 1e-9):.2f}x"
        )
    failed = any(v for r in results.values() for k, v in r.items() if k.startswith("problems"))
    print(
        "\nRESULT:",
        "FAILED — updates lost or non-409 errors" if failed else "0 lost updates on every backend",
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
