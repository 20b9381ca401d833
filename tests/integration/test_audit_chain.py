"""The audit chain is written with the events, on both backends: one link per event in the
insert transaction, over the stored bytes in the documented encoding; a refused write leaves
none; a store older than the chain is chained once, on first start, and says so."""

from __future__ import annotations

import hashlib
import struct

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import IntegrityError

from api.bootstrap import Container, build
from application.audit_verify import ChainVerifier
from application.ledger import Ledger
from application.persistence import Database
from application.settings import Settings
from tests.conftest import on_every_backend
from tests.integration.audit_store import RawStore
from tests.integration.test_audit_append_only import Note

pytestmark = on_every_backend


def links(c: Container) -> list[tuple[int, int, bytes]]:
    raw = RawStore(c)
    return [(int(p), int(i), bytes(h)) for p, i, h in raw.execute(
        f"SELECT position, leaf_index, hash FROM {raw.chain_table} ORDER BY leaf_index")]


def test_each_event_gets_one_link_in_the_documented_encoding(container: Container) -> None:
    container.ledger.save(Note("甲"), Note("乙"))
    container.ledger.save(Note("丙"))
    notifications = container.ledger.recorder.select_notifications(start=1, limit=10)

    previous, expected = bytes(32), list[tuple[int, int, bytes]]()
    for n in notifications:
        topic = n.topic.encode()
        entry = (struct.pack(">Q", n.id) + n.originator_id.bytes  # type: ignore[union-attr]
                 + struct.pack(">Q", n.originator_version) + struct.pack(">I", len(topic))
                 + topic + hashlib.sha256(n.state).digest())
        previous = hashlib.sha256(previous + entry).digest()
        expected.append((n.id, len(expected), previous))

    assert links(container) == expected
    assert len(expected) == container.ledger.head() == 3


def test_a_refused_write_leaves_no_link_and_the_chain_goes_on_after_it(
        container: Container) -> None:
    note = Note("原文")
    container.ledger.save(note)
    twin: Note = container.ledger.repository.get(note.id)
    note.trigger_event(Note.Event)
    twin.trigger_event(Note.Event)
    container.ledger.save(note)
    before = links(container)

    with pytest.raises(IntegrityError):
        container.ledger.save(twin)  # the same version again: refused, nothing written
    container.ledger.save(Note("之后"))

    after = links(container)
    assert after[:len(before)] == before and len(after) == len(before) + 1
    assert ChainVerifier(container.ledger.recorder).verify().intact


def test_a_store_older_than_the_chain_is_chained_once_on_first_start(
        settings: Settings) -> None:
    database = Database.parse(settings.database_url)
    env = database.eventsourcing_env(settings)
    del env["APPLICATION_RECORDER_TOPIC"]  # the library's own recorder: no chain
    old = Ledger(env={f"LEDGER_{k}": v for k, v in env.items()})
    old.save(Note("一"), Note("二"))
    old.save(Note("三"))
    old.close()

    c = build(settings)
    try:
        c.ledger.save(Note("四"))
        report = ChainVerifier(c.ledger.recorder).verify()
    finally:
        c.close()
    again = build(settings)  # a second start chains nothing twice
    try:
        second = ChainVerifier(again.ledger.recorder).verify()
    finally:
        again.close()

    assert report.intact and report.entries == 4
    assert report.start is not None
    assert (report.start.entries, report.start.up_to_position) == (3, 3)
    assert second.entries == 4 and second.start == report.start


def test_the_chain_verifies_without_the_data_key_of_encrypted_events(
        settings: Settings) -> None:
    encrypted = build(settings.model_copy(update={"cipher_key": AESCipher.create_key(32)}))
    try:
        encrypted.ledger.save(Note("机密"))
        stored = encrypted.ledger.recorder.select_notifications(start=1, limit=1)[0].state
    finally:
        encrypted.close()
    without_key = build(settings)
    try:
        report = ChainVerifier(without_key.ledger.recorder).verify()
    finally:
        without_key.close()

    assert "机密".encode() not in stored
    assert report.intact and report.entries == 1
