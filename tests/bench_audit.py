"""Audit chain figures (README, Audit): what chaining costs a write, and what proofs and a
full verification cost over a large log.

    python -m tests.bench_audit [--leaves 100000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from api.bootstrap import Container, build
from application.audit_verify import ChainVerifier
from application.checkpoints import Signer, keygen, private_key
from application.context import SYSTEM
from application.ledger import Ledger
from application.merkle import MerkleLeaves, consistency_proof, inclusion_proof, root
from application.persistence import Database
from application.settings import Settings
from tests.bench import Plain, scratch_schema


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def writes_per_second(ledger: Ledger, n: int) -> float:
    return n / timed(lambda: [ledger.save(Plain(n=i)) for i in range(n)])


class PlainLedger(Ledger):
    """The library's own recorder, in tables of its own (`plainledger_events`)."""

    name = "PlainLedger"


def bench_writes(settings: Settings, n: int) -> tuple[float, float]:
    """Single-event saves per second with the chain, and with the library's own recorder."""
    database = Database.parse(settings.database_url)
    env = database.eventsourcing_env(settings)
    plain_env = {k: v for k, v in env.items() if k != "APPLICATION_RECORDER_TOPIC"}
    if database.kind == "sqlite":
        plain_env["SQLITE_DBNAME"] = f"{database.path}.plain"
    chained = Ledger(env={f"LEDGER_{k}": v for k, v in env.items()})
    plain = PlainLedger(env={f"PLAINLEDGER_{k}": v for k, v in plain_env.items()})
    try:  # alternated, so that a machine busy with something else weighs on both alike
        rounds = [(writes_per_second(chained, n), writes_per_second(plain, n))
                  for _ in range(5)]
    finally:
        chained.close()
        plain.close()
    return statistics.median(r[0] for r in rounds), statistics.median(r[1] for r in rounds)


def fill(c: Container, leaves: int) -> None:
    head = c.ledger.head()
    while head < leaves:
        c.ledger.save(*(Plain(n=i) for i in range(min(500, leaves - head))))
        head = c.ledger.head()


def bench_proofs(c: Container, leaves: int) -> None:
    audit = c.audit
    audit.use_key(Signer(private_key(keygen().private)))
    first = timed(audit.sign_head)
    print(f"first checkpoint (reads {leaves} links, builds the level cache): "
          f"{first * 1000:.0f} ms")
    print(f"next checkpoint: {timed(audit.sign_head) * 1000:.1f} ms")
    rng = random.Random(7)
    samples = [rng.randrange(leaves) for _ in range(200)]
    cached = [timed(partial(inclusion_proof, audit.levels, i, leaves)) for i in samples]
    sizes = [rng.randrange(1, leaves) for _ in range(200)]
    consistent = [timed(partial(consistency_proof, audit.levels, m, leaves)) for m in sizes]
    print(f"inclusion proof over {leaves} leaves (cached levels): median "
          f"{statistics.median(cached) * 1e6:.0f} µs, max {max(cached) * 1e6:.0f} µs, "
          f"{len(inclusion_proof(audit.levels, samples[0], leaves))} hashes")
    print(f"consistency proof to {leaves} leaves (cached levels): median "
          f"{statistics.median(consistent) * 1e6:.0f} µs, max {max(consistent) * 1e6:.0f} µs")
    served = [timed(partial(audit.inclusion, SYSTEM, i + 1, leaves)) for i in samples[:50]]
    print(f"inclusion proof through the service (two indexed reads, then the proof): median "
          f"{statistics.median(served) * 1000:.2f} ms")
    leaf_hashes = [audit.levels.subtree(i, i + 1) for i in range(leaves)]
    rehash = timed(lambda: root(MerkleLeaves(leaf_hashes), leaves))
    print(f"baseline, rehashing the whole tree for one root: {rehash * 1000:.0f} ms")


def bench_verify(c: Container, leaves: int) -> None:
    report = None

    def walk() -> None:
        nonlocal report
        report = ChainVerifier(c.ledger.recorder).verify()

    seconds = timed(walk)
    assert report is not None and report.intact
    print(f"audit verify over {leaves} events: {seconds:.1f} s ({leaves / seconds:,.0f} /s)")


def run(settings: Settings, label: str, leaves: int) -> None:
    print(f"\n== {label} ==")
    ours, base = bench_writes(settings, 300)
    print(f"single-event saves/s: chained {ours:,.0f}, library recorder {base:,.0f} "
          f"(ratio {ours / base:.2f})")
    c = build(settings)
    try:
        t = timed(lambda: fill(c, leaves))
        print(f"filled to {c.ledger.head()} events in {t:.0f} s (500 per transaction)")
        bench_proofs(c, c.audit.size())
        bench_verify(c, c.audit.size())
    finally:
        c.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leaves", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("LEDGER_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(Settings(database_url=f"sqlite:///{Path(tmp)}/audit.db"), "SQLite", args.leaves)
        if args.postgres:
            with scratch_schema(args.postgres) as url:
                run(Settings(database_url=url), "PostgreSQL", args.leaves)
    return 0


if __name__ == "__main__":
    sys.exit(main())
