"""What parks add to the supervision view (督查督办): 入园未登记, a project placed in a park
that requires joint review (入园联合论证) but not registered there (入园登记). An undated
flag, not a deadline: it stays under the project's responsible unit until the registration
(or the project's termination) clears it."""

from __future__ import annotations

from domain.project import Project
from projections.supervision import Batch, SupervisionItems, contributes, flag

PARK_UNREGISTERED = "park_unregistered"


def _key(e: Project.Event) -> str:
    return f"{PARK_UNREGISTERED}:{e.originator_id}"


@contributes({PARK_UNREGISTERED: "入园未登记"})
def _(view: SupervisionItems, e: Project.ParkLinked, b: Batch) -> None:
    if e.review_required:
        b.items.put(flag(_key(e), PARK_UNREGISTERED, str(e.originator_id), b.position, e.on,
                         None, f"{e.park_name} · 须经入园联合论证后登记 (柳政规〔2020〕1号)"))


@contributes({})
def _(view: SupervisionItems, e: Project.ParkRegistered, b: Batch) -> None:
    b.items.delete(_key(e))
