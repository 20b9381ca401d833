"""Tampering an administrator could do past the triggers, each caught by the verifier on
both backends: changed state bytes, topic or item; a deleted, inserted or moved event; an
altered chain row; a tail cut off or a log rewritten with a fresh chain, which only a signed
checkpoint reveals; and a checkpoint whose signature does not verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from uuid import uuid4

import pytest

from application.audit_chain import ChainEntry, as_uuid
from application.audit_verify import ChainVerifier, Finding, Report
from application.checkpoints import Checkpoint, Signer
from application.settings import Settings
from tests.conftest import on_every_backend
from tests.integration.audit_store import RawStore, event_store, signer

pytestmark = on_every_backend


@pytest.fixture
def raw(settings: Settings) -> Iterator[RawStore]:
    """An event store of 18 events, its triggers out of the way."""
    with event_store(settings) as store:
        store.fill()
        store.disable_triggers()
        yield store


def verify(raw: RawStore, *checkpoints: Checkpoint, key: Signer | None = None) -> Report:
    public = key.key.public_key() if key else None
    return ChainVerifier(raw.ledger.recorder).verify(checkpoints, public)


def finding(raw: RawStore) -> Finding:
    report = verify(raw)
    assert report.finding is not None, "the tampering went unnoticed"
    return report.finding


def test_an_untouched_store_verifies_intact(raw: RawStore) -> None:
    key = signer()
    checkpoint = raw.checkpoint(key)
    report = verify(raw, checkpoint, key=key)

    assert report.intact, report.finding
    assert report.entries == raw.ledger.head() == checkpoint.tree_size
    assert report.confirmed and report.start is None


def test_changed_state_bytes_are_caught_at_their_event(raw: RawStore) -> None:
    originator, _, topic, state = raw.row(5)
    raw.execute(f"UPDATE {raw.events} SET state = ? WHERE {raw.position} = ?",
                (bytes(state).replace(b"}", b" }", 1), 5))

    found = finding(raw)

    assert (found.kind, found.position, found.leaf_index) == ("changed", 5, 4)
    assert found.item == str(as_uuid(originator))
    assert found.event_type == topic.rpartition(":")[2]
    assert "stored state bytes" in found.detail and "topic" not in found.detail


def test_a_changed_topic_or_item_is_named(raw: RawStore) -> None:
    raw.execute(f"UPDATE {raw.events} SET topic = ? WHERE {raw.position} = ?",
                ("domain.account:Account.Deactivated", 6))
    raw.execute(f"UPDATE {raw.events} SET originator_id = ? WHERE {raw.position} = ?",
                (raw.uuid(uuid4()), 8))

    found = finding(raw)

    assert (found.kind, found.position) == ("changed", 6)
    assert "its topic ('domain.account:Account.Deactivated', chained" in found.detail
    raw.execute(f"UPDATE {raw.events} SET topic = ? WHERE {raw.position} = ?",
                (chained_topic(raw, 6), 6))
    found = finding(raw)
    assert (found.kind, found.position) == ("changed", 8)
    assert "its item (" in found.detail


def chained_topic(raw: RawStore, position: int) -> str:
    (topic,) = raw.execute(f"SELECT topic FROM {raw.chain_table} WHERE position = ?",
                           (position,))[0]
    return str(topic)


def test_a_deleted_event_in_the_middle_is_caught(raw: RawStore) -> None:
    raw.execute(f"DELETE FROM {raw.events} WHERE {raw.position} = ?", (7,))

    found = finding(raw)

    assert (found.kind, found.position, found.leaf_index) == ("deleted", 7, 6)
    assert "no event is stored there any more" in found.detail


def test_an_event_inserted_around_the_ledger_is_caught(raw: RawStore) -> None:
    head = raw.ledger.head()
    _, _, topic, state = raw.row(3)
    raw.execute(f"INSERT INTO {raw.events} (originator_id, originator_version, topic, state) "
                "VALUES (?, ?, ?, ?)", (raw.uuid(uuid4()), 1, topic, state))

    found = finding(raw)

    assert found.kind == "inserted"
    assert found.position is not None and found.position > head
    assert "has no chain entry" in found.detail


def test_swapped_events_are_reported_as_moved(raw: RawStore) -> None:
    swap = [(4, -1), (9, 4), (-1, 9)]
    for old, new in swap:
        raw.execute(f"UPDATE {raw.events} SET {raw.position} = ? WHERE {raw.position} = ?",
                    (new, old))

    found = finding(raw)

    assert (found.kind, found.position) == ("reordered", 4)
    assert "which the chain records at position 9" in found.detail


def test_an_altered_chain_row_is_caught(raw: RawStore) -> None:
    raw.execute(f"UPDATE {raw.chain_table} SET hash = ? WHERE position = ?", (bytes(32), 10))

    found = finding(raw)

    assert (found.kind, found.position) == ("chain", 10)
    assert "the chain table was altered" in found.detail


def test_a_cut_tail_is_caught_only_against_a_checkpoint(raw: RawStore) -> None:
    key = signer()
    checkpoint = raw.checkpoint(key)
    cut = checkpoint.position - 3
    raw.execute(f"DELETE FROM {raw.events} WHERE {raw.position} > ?", (cut,))
    raw.execute(f"DELETE FROM {raw.chain_table} WHERE position > ?", (cut,))

    assert verify(raw).intact  # the chain that is left holds together…
    report = verify(raw, checkpoint, key=key)  # … but it no longer reaches the checkpoint

    assert report.finding is not None
    assert report.finding.kind == "truncated"
    assert f"entries #{checkpoint.tree_size - 3}..#{checkpoint.tree_size - 1} are gone" in \
        report.finding.detail


def test_a_log_rewritten_with_a_fresh_chain_fails_its_checkpoint(raw: RawStore) -> None:
    key = signer()
    checkpoint = raw.checkpoint(key)
    _, _, _, state = raw.row(5)
    raw.execute(f"UPDATE {raw.events} SET state = ? WHERE {raw.position} = ?",
                (bytes(state) + b" ", 5))
    rechain(raw)

    assert verify(raw).intact
    report = verify(raw, checkpoint, key=key)

    assert report.finding is not None
    assert report.finding.kind == "checkpoint"
    assert "the log up to it was rewritten" in report.finding.detail


def rechain(raw: RawStore) -> None:
    """What a careful forger does next: a new chain over the altered events."""
    recorder = raw.ledger.recorder
    entries = [ChainEntry.of(n.id, n.originator_id, n.originator_version, n.topic, n.state)
               for n in recorder.select_notifications(start=1, limit=10_000)]
    raw.execute(f"DELETE FROM {raw.chain_table}")
    for link in raw.chain.links_after(None, entries):
        raw.execute(f"INSERT INTO {raw.chain_table} (position, leaf_index, originator_id, "
                    "originator_version, topic, state_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    link.params())


Forge = Callable[[Checkpoint], Checkpoint]


@pytest.mark.parametrize("forge", [
    lambda cp: replace(cp, root_hash="0" * 64),
    lambda cp: replace(cp, signature=signer().sign(0, 0, bytes(32), bytes(32), "x").signature),
    lambda cp: replace(cp, key_id="0123456789abcdef"),
], ids=["changed root", "another signature", "another key"])
def test_a_checkpoint_whose_signature_does_not_verify_is_refused(raw: RawStore,
                                                                 forge: Forge) -> None:
    key = signer()
    checkpoint = raw.checkpoint(key)

    report = verify(raw, forge(checkpoint), key=key)

    assert report.finding is not None
    assert report.finding.kind == "signature"
