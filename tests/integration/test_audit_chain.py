"""The audit chain is written with the events, on both backends: one link per event in the
insert transaction, over the stored bytes in the documented encoding; a refused write leaves
none; a store older than the chain is chained once, on first start, and says so."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import IntegrityError

from application.audit_verify import ChainVerifier
from application.ledger import Ledger
from application.persistence import Database
from application.settings import Settings
from tests.conftest import on_every_backend
from tests.integration.audit_store import Note, RawStore, event_store

pytestmark = on_every_backend


@pytest.fixture
def raw(settings: Settings) -> Iterator[RawStore]:
    with event_store(settings) as store:
        yield store


def links(raw: RawStore) -> list[tuple[int, int, bytes]]:
    return [(int(p), int(i), bytes(h)) for p, i, h in raw.execute(
        f"SELECT position, leaf_index, hash FROM {raw.chain_table} ORDER BY leaf_index")]


def test_each_event_gets_one_link_in_the_documented_encoding(raw: RawStore) -> None:
    raw.ledger.save(Note("甲"), Note("乙"))
    raw.ledger.save(Note("丙"))
    notifications = raw.ledger.recorder.select_notifications(start=1, limit=10)

    previous, expected = bytes(32), list[tuple[int, int, bytes]]()
    for n in notifications:
        topic = n.topic.encode()
        entry = (struct.pack(">Q", n.id) + n.originator_id.bytes  # type: ignore[union-attr]
                 + struct.pack(">Q", n.originator_version) + struct.pack(">I", len(topic))
                 + topic + hashlib.sha256(n.state).digest())
        previous = hashlib.sha256(previous + entry).digest()
        expected.append((n.id, len(expected), previous))

    assert links(raw) == expected
    assert len(expected) == raw.ledger.head() == 3


def test_a_refused_write_leaves_no_link_and_the_chain_goes_on_after_it(raw: RawStore) -> None:
    note = Note("原文")
    raw.ledger.save(note)
    twin: Note = raw.ledger.repository.get(note.id)
    note.trigger_event(Note.Event)
    twin.trigger_event(Note.Event)
    raw.ledger.save(note)
    before = links(raw)

    with pytest.raises(IntegrityError):
        raw.ledger.save(twin)  # the same version again: refused, nothing written
    raw.ledger.save(Note("之后"))

    after = links(raw)
    assert after[:len(before)] == before and len(after) == len(before) + 1
    assert ChainVerifier(raw.ledger.recorder).verify().intact


def test_a_store_older_than_the_chain_is_chained_once_on_first_start(
        settings: Settings) -> None:
    database = Database.parse(settings.database_url)
    env = database.eventsourcing_env(settings)
    del env["APPLICATION_RECORDER_TOPIC"]  # the library's own recorder: no chain
    old = Ledger(env={f"LEDGER_{k}": v for k, v in env.items()})
    old.save(Note("一"), Note("二"))
    old.save(Note("三"))
    old.close()

    with event_store(settings) as first:
        first.ledger.save(Note("四"))
        report = ChainVerifier(first.ledger.recorder).verify()
    with event_store(settings) as again:  # a second start chains nothing twice
        second = ChainVerifier(again.ledger.recorder).verify()

    assert report.intact and report.entries == 4
    assert report.start is not None
    assert (report.start.entries, report.start.up_to_position) == (3, 3)
    assert second.entries == 4 and second.start == report.start


def test_the_chain_verifies_without_the_data_key_of_encrypted_events(
        settings: Settings) -> None:
    key = AESCipher.create_key(32)
    with event_store(settings.model_copy(update={"cipher_key": key})) as encrypted:
        encrypted.ledger.save(Note("机密"))
        stored = encrypted.ledger.recorder.select_notifications(start=1, limit=1)[0].state
    with event_store(settings) as without_key:
        report = ChainVerifier(without_key.ledger.recorder).verify()

    assert "机密".encode() not in stored
    assert report.intact and report.entries == 1
