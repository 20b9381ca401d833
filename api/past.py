"""As-of reads (`as_of=`): the projections' read side as it stood at a moment.

A moment becomes the last log position recorded at or before it (application/moments.py);
the projections are replayed up to that position into a private in-memory store
(projections/replay.py) and read through a read side built exactly like the live one (the
same readers, Reads, Reports and Dashboard), so an as-of answer is what the live read
answered then, and the live read models are never touched. The read side of the few most
recent positions is kept (least recently used first out): paging through one as-of ledger,
or reading several reports of one moment, replays once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from application.context import Clock
from application.ledger import Ledger
from application.moments import not_in_future, parse_moment, position_at
from application.queries import Positions
from domain.errors import InvalidValue
from projections.base import Projection
from projections.replay import FixedPositions, Replayed
from projections.store import ViewStore

if TYPE_CHECKING:
    from api.bootstrap import ReadSide

AS_OF = "as_of"
CACHED = 4  # read sides kept; each holds every read model of its moment in memory
SideFactory = Callable[[ViewStore, Positions, Callable[[], int]], "ReadSide"]


class Past:
    """The read side at a past moment, replayed on first use and kept for the next reads."""

    def __init__(self, ledger: Ledger, clock: Clock, side: SideFactory,
                 projections: Callable[[], list[Projection]], cached: int = CACHED,
                 batch_size: int = 2000) -> None:
        self.ledger = ledger
        self.clock = clock
        self.make_side = side
        self.projections = projections
        self.cached = cached
        self.batch_size = batch_size
        self._sides: OrderedDict[int, tuple[ReadSide, Replayed]] = OrderedDict()
        self._lock = threading.Lock()

    def moment(self, given: Iterable[tuple[str, str]]
               ) -> tuple[datetime | None, list[tuple[str, str]]]:
        """The moment `as_of` names in a query (None without one; 422 when malformed, given
        twice or in the future), and the rest of the query."""
        rest: list[tuple[str, str]] = []
        raw: list[tuple[str, str]] = []
        for name, value in given:
            (raw if name == AS_OF else rest).append((name, value))
        if not raw:
            return None, rest
        if len(raw) > 1:
            msg = "query parameter as_of given more than once; give it once / 参数重复"
            raise InvalidValue(msg)
        return self.parse(raw[0][1]), rest

    def parse(self, raw: str, field: str = AS_OF) -> datetime:
        """The moment `raw` names (a time without an offset is in the office's zone); 422
        when malformed or in the future."""
        return not_in_future(parse_moment(raw, self.clock.zone, field), self.clock.now(),
                             field)

    def position(self, moment: datetime) -> int:
        """The last log position recorded at or before `moment` (0: before any)."""
        return position_at(self.ledger, moment, self.ledger.head())

    def at(self, moment: datetime) -> ReadSide:
        return self.side(self.position(moment))

    def side(self, position: int) -> ReadSide:
        """The read side at log `position`, made (its replay deferred to the first read) or
        taken from the cache."""
        with self._lock:
            if position in self._sides:
                self._sides.move_to_end(position)
                return self._sides[position][0]
            views = Replayed(self.ledger, self.projections(), position, self.batch_size)
            side = self.make_side(views, FixedPositions(position), lambda: position)
            self._sides[position] = (side, views)
            # An evicted store is not closed: a read may still hold it; it goes with the
            # last reference to it.
            while len(self._sides) > self.cached:
                self._sides.popitem(last=False)
            return side

    def clear(self) -> None:
        with self._lock:
            for _, views in self._sides.values():
                views.close()
            self._sides.clear()
