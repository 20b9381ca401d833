"""Benchmarks (`make bench`): each figure is printed as a ratio against a baseline measured
in the same run on the same machine, and checked against a target.

    python -m tests.bench [--events 20000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from api.bootstrap import Container, all_projections, build
from application.context import SYSTEM, Caller
from application.settings import Settings
from domain.project import Project, ProjectDetails
from projections.project_ledger import ProjectLedger, ProjectLedgerReader
from projections.replay import Replayed


class Plain(Aggregate):
    """Baseline aggregate: one event, no audit, no rules."""

    @event("Created")
    def __init__(self, n: int) -> None:
        self.n = n

    @event("Bumped")
    def bump(self, n: int) -> None:
        self.n = n


def best_of(runs: int, fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(runs))


def _details(i: int) -> ProjectDetails:
    return ProjectDetails(name=f"项目{i}", investor="投资方", industry="汽车",
                          total_investment=Decimal("100.5"), county="liudong",
                          responsible_unit="liudong")


def _caller(c: Container, role: str, unit: str | None = None) -> Caller:
    return c.accounts.authenticate(c.accounts.add(SYSTEM, role, role, unit).token)


def bench_commands(c: Container, n: int) -> tuple[float, float]:
    """Project commands per second through the use cases vs raw single-event saves."""
    bureau = _caller(c, "bureau")

    def ours() -> float:
        t = time.perf_counter()
        for i in range(n):
            c.projects.register(bureau, _details(i), date(2025, 1, 2))
        return n / (time.perf_counter() - t)

    def raw() -> float:
        t = time.perf_counter()
        for i in range(n):
            c.ledger.save(Plain(n=i))
        return n / (time.perf_counter() - t)

    return best_of(3, ours), best_of(3, raw)


def fill(c: Container, projects: int, steps: int) -> None:
    bureau, unit = _caller(c, "bureau"), _caller(c, "unit", "liudong")
    for i in range(projects):
        pid = c.projects.register(bureau, _details(i), date(2025, 1, 2)).state.id
        for k in range(steps):
            c.projects.report_progress(unit, pid, "2025-Q1", f"进展{k}", Decimal(k),
                                       date(2025, 2, 1))


def _peak(fn: Callable[[], float]) -> float:
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 1e6


def bench_rebuild(c: Container) -> tuple[float, float, float, float]:
    """Rebuild events/s and peak memory vs reading + decoding the log alone."""
    head = c.ledger.head()

    def ours() -> float:
        t = time.perf_counter()
        c.follower.rebuild(ProjectLedger.name)
        return head / (time.perf_counter() - t)

    def raw() -> float:
        t = time.perf_counter()
        position = 0
        while True:
            batch = list(c.ledger.recorder.select_notifications(start=position + 1, limit=500))
            if not batch:
                break
            for n in batch:
                c.ledger.mapper.to_domain_event(n)
            position = batch[-1].id
        return head / (time.perf_counter() - t)

    return best_of(3, ours), best_of(3, raw), _peak(ours), _peak(raw)


def bench_snapshots(tmp: Path, versions: int) -> tuple[float, float]:
    """Loading a project with a long history: with snapshots vs without (ms per load)."""
    results = []
    for interval in (50, 0):
        c = build(Settings(database_url=f"sqlite:///{tmp}/snap{interval}.db",
                           snapshot_interval=interval))
        try:
            bureau = _caller(c, "bureau")
            pid = c.projects.register(bureau, _details(0), date(2025, 1, 2)).state.id
            for k in range(versions):
                c.projects.comment(bureau, pid, f"留言{k}", date(2025, 2, 1))

            def load(c: Container = c, pid: UUID = pid) -> float:
                t = time.perf_counter()
                for _ in range(20):
                    c.store.load(Project, pid)
                return (time.perf_counter() - t) / 20 * 1000

            results.append(best_of(3, load))
        finally:
            c.close()
    return results[0], results[1]


def bench_query(c: Container) -> tuple[float, float]:
    """A filtered ledger page (with totals) vs a bare primary-key lookup, ms."""
    def ours() -> float:
        t = time.perf_counter()
        for _ in range(50):
            ProjectLedgerReader(c.views).page({"stage": "negotiating", "q": "项目1"}, limit=50)
        return (time.perf_counter() - t) / 50 * 1000

    def raw() -> float:
        t = time.perf_counter()
        for _ in range(50):
            with c.views.read() as tx:
                tx.all("SELECT * FROM project_ledger ORDER BY seq DESC LIMIT 50")
        return (time.perf_counter() - t) / 50 * 1000

    return best_of(3, ours), best_of(3, raw)


def bench_as_of(c: Container) -> tuple[float, float, float, float, float, float]:
    """An as-of ledger page (as_of=now): the first (replaying every projection into memory)
    in events/s against reading + decoding the log, the next page (the replay kept; the
    moment's position still found by bisecting the log, some fifteen reads) in ms against a
    live page, and the replay's peak Python memory against reading + decoding."""
    admin = _caller(c, "admin")
    head = c.ledger.head()

    def page(given: list[tuple[str, str]]) -> str | None:
        with c.reading(given) as (side, rest):
            cursor: str | None = side.reads.ledger(admin, "projects", rest).page.next_cursor
            return cursor

    def first() -> float:
        c.past.clear()
        moment = [("as_of", datetime.now(UTC).isoformat())]
        t = time.perf_counter()
        page(moment)
        return head / (time.perf_counter() - t)

    def decode() -> float:
        t = time.perf_counter()
        position = 0
        while batch := list(c.ledger.recorder.select_notifications(start=position + 1,
                                                                   limit=2000)):
            for n in batch:
                c.ledger.mapper.to_domain_event(n)
            position = batch[-1].id
        return head / (time.perf_counter() - t)

    def timed(given: list[tuple[str, str]]) -> float:
        t = time.perf_counter()
        for _ in range(20):
            page(given)
        return (time.perf_counter() - t) / 20 * 1000

    replayed = Replayed(c.ledger, all_projections(), head)
    with replayed.read() as tx:
        size = tx.one("PRAGMA page_count")["page_count"] * tx.one("PRAGMA page_size")[
            "page_size"]
    replayed.close()
    print(f"as-of read models in memory (SQLite pages): {size / 1e6:.1f} MB for {head} events")
    moment = [("as_of", datetime.now(UTC).isoformat())]
    cursor = page(moment) or ""
    next_page = best_of(3, lambda: timed([*moment, ("cursor", cursor)]))
    live_page = best_of(3, lambda: timed([("cursor", cursor)]))
    return (best_of(3, first), best_of(3, decode), next_page, live_page,
            _peak(first), _peak(decode))


def report(rows: list[tuple[str, float, float, str, float, bool]]) -> bool:
    ok = True
    print(f"{'figure':<46}{'ours':>12}{'baseline':>12}{'ratio':>9}   target")
    for name, ours, base, unit, target, higher_is_better in rows:
        ratio = ours / base if base else float("inf")
        met = ratio >= target if higher_is_better else ratio <= target
        ok &= met
        sign = "≥" if higher_is_better else "≤"
        print(f"{name:<46}{ours:>10.1f}{unit:>2}{base:>10.1f}{unit:>2}{ratio:>9.2f}   "
              f"{sign} {target:<5} {'ok' if met else 'MISSED'}")
    return ok


def run(settings: Settings, label: str, events: int, tmp: Path) -> bool:
    print(f"\n== {label} ==")
    c = build(settings)
    try:
        ours_cmd, raw_cmd = bench_commands(c, 300)
        fill(c, projects=max(1, events // 20), steps=19)
        head = c.ledger.head()
        print(f"log holds {head} events")
        ours_rb, raw_rb, mem_rb, mem_raw = bench_rebuild(c)
        q_ours, q_raw = bench_query(c)
        as_of = bench_as_of(c)
    finally:
        c.close()
    rows = [
        ("commands/s (use case vs raw 1-event save)", ours_cmd, raw_cmd, "/s", 0.3, True),
        ("rebuild events/s (vs read+decode the log)", ours_rb, raw_rb, "/s", 0.3, True),
        ("rebuild peak memory MB (vs read+decode)", mem_rb, mem_raw, "MB", 3.0, False),
        ("ledger page+totals ms (vs bare 50-row scan)", q_ours, q_raw, "ms", 10.0, False),
        ("as-of 1st page events/s (replay vs read+decode)", as_of[0], as_of[1], "/s", 0.05,
         True),
        ("as-of next page ms (replay kept vs live page)", as_of[2], as_of[3], "ms", 10.0,
         False),
        ("as-of replay peak memory MB (vs read+decode)", as_of[4], as_of[5], "MB", 10.0, False),
    ]
    if label.startswith("SQLite"):
        snap, plain = bench_snapshots(tmp, 1000)
        rows.append(("load 1000-version project ms (snapshots vs none)", snap, plain, "ms",
                     0.25, False))
    return report(rows)


@contextmanager
def scratch_schema(url: str) -> Iterator[str]:
    """A schema of its own for the run, dropped afterwards."""
    import psycopg

    from application.persistence import Database

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    conninfo = Database.parse(url).conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{url}{'&' if '?' in url else '?'}schema={schema}"
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--postgres", default=os.environ.get("LEDGER_BENCH_POSTGRES_URL"),
                        help="also run on this PostgreSQL database (a scratch schema is used)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ok = run(Settings(database_url=f"sqlite:///{tmp}/bench.db"), "SQLite", args.events,
                 Path(tmp))
        if args.postgres:
            with scratch_schema(args.postgres) as url:
                ok &= run(Settings(database_url=url), "PostgreSQL", args.events, Path(tmp))
    print("\nall targets met" if ok else "\nsome targets MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
