"""重点清单: a whole year's key list in one command, for the resources that have key lists
(projects, enterprises); their routes add it after the item routes with `key_list_route`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial

from fastapi import APIRouter, Response
from pydantic import BaseModel

from api.deps import CommandCaller, ContainerDep
from api.routers.common import Step, once
from api.schemas.key_lists import KeyListBody, KeyListPublic, KeyYearBody
from application.context import Caller

DESCRIPTION = (
    "Every item is checked first (it exists, the caller may designate it, it is not already on "
    "the year's list, a project is not terminated); the first refused is named in a 409 or 422 "
    "and nothing is recorded. Then all designations are saved in one transaction. "
    "Bureau staff (and admins).")


@dataclass(frozen=True)
class KeyListRoutes:
    """A resource's key list (重点清单): its item steps and its whole-list route."""

    steps: tuple[Step, Step]
    then: Callable[[APIRouter, str], None]


def key_list_routes(subject: str, list_name: str, body: type[KeyListBody]) -> KeyListRoutes:
    """The key-list routes of a resource whose items (`subject`: project, enterprise) go on
    a year's `list_name` (重点项目清单 …): designate one, drop one, designate several."""
    return KeyListRoutes(
        steps=(Step("/designate-key", "designate_key", KeyYearBody,
                    f"Put on a year's key-{subject} list ({list_name})"),
               Step("/drop-key", "drop_key", KeyYearBody,
                    f"Take off a year's key-{subject} list")),
        then=partial(key_list_route, body=body, summary=(
            f"Put several {subject}s on a year's key-{subject} list at once ({list_name})")))


def key_list_route(router: APIRouter, service: str, body: type[KeyListBody],
                   summary: str) -> None:
    """POST `<router prefix>/key-list`: put every item of the body on the year's list through
    the container's `service` (its `designate_list`), all or nothing."""

    def designate_list(body: KeyListBody, caller: Caller, c: ContainerDep,
                       response: Response) -> BaseModel:
        lists, arguments = getattr(c, service), body.arguments()
        done = once(c, service, caller, lambda: lists.designate_list(caller, **arguments),
                    replay=lambda earlier: lists.replayed_list(caller, earlier,
                                                               arguments["ids"]))
        response.headers["X-Ledger-Position"] = str(done.position)
        return KeyListPublic.model_validate({**asdict(done), "count": done.count})

    designate_list.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
        for name, annotation in (("body", body), ("caller", CommandCaller),
                                 ("c", ContainerDep), ("response", Response))])
    router.add_api_route("/key-list", designate_list, methods=["POST"],
                         response_model=KeyListPublic, summary=summary,
                         description=DESCRIPTION)
