"""The event store application: one eventsourcing Application, one global log."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import JSONTranscoder, Recording, Transcoding
from eventsourcing.utils import Environment, EnvType

from application.persistence import Database
from application.settings import Settings
from domain.calendar import Deadline
from domain.shared import Audit


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class AuditAsDict(Transcoding):
    type = Audit
    name = "audit"

    def encode(self, obj: Audit) -> dict[str, str | None]:
        return obj.as_dict()

    def decode(self, data: dict[str, str | None]) -> Audit:
        return Audit.from_dict(data)


class DeadlineAsDict(Transcoding):
    type = Deadline
    name = "deadline"

    def encode(self, obj: Deadline) -> dict[str, Any]:
        return obj.as_dict()

    def decode(self, data: dict[str, Any]) -> Deadline:
        return Deadline.from_dict(data)


class Ledger(Application):
    """All aggregates of investledger in one store, so one notification log orders them all."""

    name = "Ledger"
    def __init__(self, env: dict[str, str] | None = None, snapshot_interval: int = 0,
                 snapshotted: Iterable[type[Aggregate]] = ()) -> None:
        super().__init__(env)
        # Instance-level so one process can hold ledgers with different intervals (tests).
        self.snapshotting_intervals = dict.fromkeys(  # type: ignore[misc]
            snapshotted, snapshot_interval)
        self._save_listeners: list[Callable[[int], None]] = []

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Only what Settings derived: eventsourcing would otherwise also read os.environ,
        so a stray CIPHER_KEY or POSTGRES_SCHEMA could silently redirect the store."""
        return Environment(name, dict(env or {}))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(AuditAsDict())
        transcoder.register(DeadlineAsDict())

    def on_saved(self, listener: Callable[[int], None]) -> None:
        """Call `listener(position)` after each successful save (wakes in-process followers)."""
        self._save_listeners.append(listener)

    def save(self, *objs: MutableOrImmutableAggregate[Any] | DomainEventProtocol[Any] | None,
             **kwargs: Any) -> list[Recording[Any]]:
        recordings = super().save(*objs, **kwargs)
        position = last_position(recordings)
        if position:
            for listener in self._save_listeners:
                listener(position)
        return recordings

    def head(self) -> int:
        """The last position of the global log (0 when empty)."""
        return self.recorder.max_notification_id() or 0


def last_position(recordings: Sequence[Recording[Any]]) -> int:
    ids = [r.notification.id for r in recordings if r.notification.id]
    return max(ids) if ids else 0


def build_ledger(settings: Settings, database: Database,
                 aggregates: Iterable[type[Aggregate]] = ()) -> Ledger:
    """Construct the Ledger for these settings (and nothing else from the environment),
    snapshotting `aggregates` every `settings.snapshot_interval` versions."""
    env = database.eventsourcing_env(settings)
    if settings.snapshot_interval:
        env["IS_SNAPSHOTTING_ENABLED"] = "y"
    prefixed = {f"{Ledger.name.upper()}_{k}": v for k, v in env.items()}
    return Ledger(env=prefixed, snapshot_interval=settings.snapshot_interval,
                  snapshotted=aggregates)
