"""重点清单: putting projects (重点项目清单) and enterprises (重点企业名单) on a year's key list
and taking them off — one item at a time, or a whole list at once, all or nothing.

A whole list is checked item by item through the usual pipeline (load → authorize → the
aggregate's rule) before anything is written; the first item refused stops it, named in the
answer (404s become 422: an unknown id is bad input to the list), and the designations are
then saved in one transaction, so a list is either recorded whole or not at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from application import idempotency
from application.cases import CaseService, Result
from application.context import Caller
from application.errors import NotFound
from application.idempotency import Earlier
from domain.errors import InvalidValue, RuleViolation
from domain.key_list import KeyList
from domain.shared import require_list

A = TypeVar("A", bound=Aggregate)
S = TypeVar("S")
MAX_LIST = 500


@dataclass(frozen=True)
class ListDesignated:
    """A whole list recorded: the year, its reason and business date, the items in the order
    given, and the log position of the last designation."""

    year: int
    reason: str
    on: date
    ids: list[UUID]
    position: int

    @property
    def count(self) -> int:
        return len(self.ids)


class KeyListed(CaseService[A, S]):
    """The key-list use cases of a case type whose aggregate has `key_years`,
    `designate_key(year, reason, on, audit)` and `drop_key(year, reason, on, audit)`; the
    policy action is `<kind>.designate`."""

    key_list: ClassVar[KeyList]

    def designate_key(self, caller: Caller, item_id: UUID, year: int, reason: str,
                      on: date | None = None, expected_version: int | None = None
                      ) -> Result[S]:
        item: Any = self.load_for(caller, "designate", item_id, expected_version)
        item.designate_key(year, reason, self.day(on), caller.audit())
        return self.saved(caller, item)

    def drop_key(self, caller: Caller, item_id: UUID, year: int, reason: str,
                 on: date | None = None, expected_version: int | None = None) -> Result[S]:
        item: Any = self.load_for(caller, "designate", item_id, expected_version)
        item.drop_key(year, reason, self.day(on), caller.audit())
        return self.saved(caller, item)

    def designate_list(self, caller: Caller, year: int, ids: Sequence[UUID], reason: str,
                       on: date | None = None) -> ListDesignated:
        """Put every item of `ids` on the `year` list, all or nothing."""
        self.authorize(caller, "read")
        self.authorize(caller, "designate")
        ids = self._distinct(ids)
        day = self.day(on)
        items = [self._designated(caller, item_id, year, reason, day) for item_id in ids]
        first = items[0]
        event = first.pending_events[-1]  # the designation as recorded (reason checked)
        position = self.store.save(*items, idempotency.record(caller, first.id, first.version,
                                                              None))
        return ListDesignated(year, event.reason, event.on, ids, position)

    def replayed_list(self, caller: Caller, earlier: Earlier, ids: Sequence[UUID]
                      ) -> ListDesignated:
        """The answer a list already recorded under the caller's Idempotency-Key got: the
        same request (so the same ids), read back from its first item's designation."""
        event = next(e for e in self.store.events(earlier.item_id)
                     if e.originator_version == earlier.item_version)
        return ListDesignated(event.year, event.reason, event.on, list(ids), earlier.position)

    def _distinct(self, ids: Sequence[UUID]) -> list[UUID]:
        subject = self.key_list.subject
        if not ids:
            msg = f"name at least one {subject} / 请至少列出一项"
            raise InvalidValue(msg)
        require_list(ids, "ids", item=subject, kind=f"{subject} ids", most=MAX_LIST)
        repeated = sorted(str(i) for i, n in Counter(ids).items() if n > 1)
        if repeated:
            msg = f"{subject} {', '.join(repeated)} listed more than once / 清单中有重复项"
            raise InvalidValue(msg)
        return list(ids)

    def _designated(self, caller: Caller, item_id: UUID, year: int, reason: str,
                    day: date) -> Any:
        """The item with its designation pending; a refusal names the item."""
        key_list, name = self.key_list, ""
        try:
            item: Any = self.load_for(caller, "designate", item_id)
            name = f" 「{item.name}」"
            item.designate_key(year, reason, day, caller.audit())
        except NotFound:
            msg = (f"no {key_list.subject} with id {item_id}; nothing was designated / "
                   f"清单中的{item_id}不存在, 未列入任何一项")
            raise InvalidValue(msg) from None
        except (RuleViolation, InvalidValue) as exc:
            msg = (f"{key_list.subject} {item_id}{name} cannot be put on the {year} "
                   f"{key_list.name}, so nothing was designated / {name.strip()}无法列入"
                   f"{year}年{key_list.label}, 整个清单未保存: {exc}")
            raise type(exc)(msg) from None
        return item
