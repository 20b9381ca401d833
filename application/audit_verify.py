"""Verifying the audit chain: walk every stored event beside its chain link, in order, and
report the first link that no longer holds — then check the log against signed checkpoints.

Needs no data key: the chain is over the stored bytes. What each finding means:

- changed: an event's stored fields (state bytes, topic, item, version) differ from what was
  chained when it was written;
- deleted: a chain link names an event that is no longer in the store;
- inserted: a stored event has no chain link (it was written around the ledger);
- reordered: the event at a position is one the chain recorded at another position;
- chain: the chain table itself was altered (a link's hash does not follow from the one
  before, or links are missing);
- truncated / checkpoint / signature: the log does not extend a signed checkpoint — it is
  shorter, or its head or Merkle root at that size differ (the log was rewritten), or the
  checkpoint's signature does not verify.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from application.audit_chain import BATCH, GENESIS, ChainEntry, ChainLink, ChainStart
from application.checkpoints import Checkpoint
from application.merkle import EMPTY_ROOT, Levels, root

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Finding:
    """The first broken link: where, which item and event, and what no longer matches."""

    kind: str
    detail: str
    position: int | None = None
    leaf_index: int | None = None
    item: str | None = None
    event_type: str | None = None


@dataclass
class Report:
    entries: int = 0
    head: ChainLink | None = None
    start: ChainStart | None = None
    confirmed: list[str] = field(default_factory=list)  # checkpoints the log extends
    finding: Finding | None = None

    @property
    def intact(self) -> bool:
        return self.finding is None


def event_type(topic: str) -> str:
    """`domain.project:Project.Signed` → `Project.Signed`."""
    return topic.rpartition(":")[2] or topic


def _about(link: ChainLink | None, kind: str, detail: str,
           entry: ChainEntry | None = None) -> Finding:
    e = entry or (link.entry if link else None)
    return Finding(kind, detail, e.position if e else None,
                   link.leaf_index if link else None,
                   str(e.originator_id) if e else None, event_type(e.topic) if e else None)


def _differences(chained: ChainEntry, stored: ChainEntry) -> str:
    found = []
    if chained.state_hash != stored.state_hash:
        found.append(f"its stored state bytes (SHA-256 {stored.state_hash.hex()[:16]}…, "
                     f"chained {chained.state_hash.hex()[:16]}…)")
    if chained.topic != stored.topic:
        found.append(f"its topic ({stored.topic!r}, chained {chained.topic!r})")
    if chained.originator_id != stored.originator_id:
        found.append(f"its item ({stored.originator_id}, chained {chained.originator_id})")
    if chained.originator_version != stored.originator_version:
        found.append(f"its version ({stored.originator_version}, chained "
                     f"{chained.originator_version})")
    return "; ".join(found)


class ChainVerifier:
    """Verifies one store's chain through its recorder (application/chained_recorders.py)."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        self.chain = recorder.chain
        self.levels = Levels()

    def _transaction(self) -> Any:
        return self.recorder.datastore.transaction(commit=False)

    def _events(self) -> Iterator[ChainEntry]:
        after = 0
        while True:
            batch = self.recorder.select_notifications(start=after + 1, limit=BATCH)
            for n in batch:
                yield ChainEntry.of(n.id, n.originator_id, n.originator_version, n.topic,
                                    n.state)
            if len(batch) < BATCH:
                return
            after = batch[-1].id

    def verify(self, checkpoints: Sequence[Checkpoint] = (),
               key: Ed25519PublicKey | None = None, progress: Progress | None = None
               ) -> Report:
        with self._transaction() as c:
            last = self.chain.last_link(c)
            report = Report(start=self.chain.chain_start(c))
        total = last.leaf_index + 1 if last else 0
        report.finding = self._walk(report, total, progress)
        if progress and report.finding:
            progress(report.entries, total)
        if report.finding is None:
            for checkpoint in sorted(checkpoints, key=lambda cp: cp.tree_size):
                report.finding = self._against(checkpoint, report, key)
                if report.finding:
                    break
                report.confirmed.append(f"{checkpoint.tree_size} entries, head "
                                        f"{checkpoint.head_hash[:16]}…, signed "
                                        f"{checkpoint.recorded_at} by key {checkpoint.key_id}")
        return report

    def _walk(self, report: Report, total: int, progress: Progress | None) -> Finding | None:
        links = self.chain.iter_links(self._transaction)
        events = self._events()
        link, stored = next(links, None), next(events, None)
        previous, index = GENESIS, 0
        while link is not None or stored is not None:
            if link is not None:
                broken = self._chain_problem(link, index, previous)
                if broken:
                    return broken
            if link is not None and (stored is None or link.entry.position < stored.position):
                return _about(link, "deleted", (
                    f"chain entry #{link.leaf_index} records item {link.entry.originator_id} "
                    f"version {link.entry.originator_version} at position "
                    f"{link.entry.position}; no event is stored there any more"))
            if link is None or (stored is not None and stored.position < link.entry.position):
                assert stored is not None
                return _about(None, "inserted", (
                    f"the event at position {stored.position} (item {stored.originator_id} "
                    f"version {stored.originator_version}) has no chain entry: it was not "
                    "written by the ledger"), stored)
            assert stored is not None
            if stored != link.entry:
                return self._changed(link, stored)
            previous, index = link.hash, index + 1
            self.levels.append(link.entry.leaf_hash())
            report.entries, report.head = index, link
            if progress and (index % BATCH == 0 or index == total):
                progress(index, max(total, index))
            link, stored = next(links, None), next(events, None)
        return None

    @staticmethod
    def _chain_problem(link: ChainLink, index: int, previous: bytes) -> Finding | None:
        if link.leaf_index != index:
            return _about(link, "chain", (
                f"chain entry #{index} is missing (the next stored is #{link.leaf_index}): "
                "chain rows were deleted"))
        if link.hash != link.entry.link(previous):
            return _about(link, "chain", (
                f"chain entry #{index}'s hash does not follow from entry #{index - 1} and "
                "its own fields: the chain table was altered"))
        return None

    def _changed(self, link: ChainLink, stored: ChainEntry) -> Finding:
        with self._transaction() as c:
            elsewhere = self.chain.link_of_event(c, stored.originator_id,
                                                 stored.originator_version)
        if elsewhere is not None and elsewhere.entry.position != stored.position and \
                elsewhere.entry == ChainEntry(elsewhere.entry.position, stored.originator_id,
                                              stored.originator_version, stored.topic,
                                              stored.state_hash):
            return _about(link, "reordered", (
                f"position {stored.position} now holds item {stored.originator_id} version "
                f"{stored.originator_version} ({event_type(stored.topic)}), which the chain "
                f"records at position {elsewhere.entry.position}: events were moved"), stored)
        return _about(link, "changed", (
            f"the event at position {stored.position} no longer matches chain entry "
            f"#{link.leaf_index}: {_differences(link.entry, stored)}"), link.entry)

    def _against(self, checkpoint: Checkpoint, report: Report,
                 key: Ed25519PublicKey | None) -> Finding | None:
        where = f"the checkpoint of {checkpoint.recorded_at} ({checkpoint.tree_size} entries)"
        if key is not None:
            problem = checkpoint.signature_problem(key)
            if problem:
                return Finding("signature", f"{where}: {problem}")
        size = checkpoint.tree_size
        if size > report.entries:
            head = report.head.entry.position if report.head else 0
            return Finding("truncated", (
                f"the chain has {report.entries} entries (up to position {head}), but {where} "
                f"signed {size} (up to position {checkpoint.position}): entries "
                f"#{report.entries}..#{size - 1} are gone"), position=checkpoint.position,
                leaf_index=report.entries)
        head_hash = self._head_at(size)
        merkle_root = root(self.levels, size) if size else EMPTY_ROOT
        if head_hash.hex() != checkpoint.head_hash or merkle_root.hex() != checkpoint.root_hash:
            return Finding("checkpoint", (
                f"the chain's entry #{size - 1} and the Merkle root of its first {size} "
                f"entries are not those {where} signed: the log up to it was rewritten"),
                position=checkpoint.position, leaf_index=size - 1)
        return None

    def _head_at(self, size: int) -> bytes:
        if size == 0:
            return GENESIS
        with self._transaction() as c:
            (link,) = self.chain.read_links(c, size - 1, 1)
        return link.hash
