"""Reading the past (`as_of`): an item, a ledger, statistics and the supervision views answer
what they answered at a recorded time, and the live reads are not disturbed."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import on_every_backend
from tests.e2e.helpers import LEDGER, PROJECTS, Api, assert_problem

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _now() -> str:
    """The present as a client would note it, then a pause: what is recorded next is later."""
    moment = datetime.now(UTC).isoformat()
    time.sleep(0.002)
    return moment


def _read(api: Api, path: str, **params: Any) -> dict[str, Any]:
    response = api.client.get(path, params=params, headers=api.headers("admin"))
    assert response.status_code == 200, response.text
    return response.json()


# The past is replayed into SQLite whatever the live read models' engine: on PostgreSQL too,
# an as-of answer must equal what the live one was.
@on_every_backend
def test_a_ledger_as_of_a_moment_answers_what_it_answered_then(api: Api) -> None:
    first = api.create(name="风电装备制造项目")
    then = api.ledger(min_position=first["_position"])
    moment = _now()
    api.do("bureau", first["id"], "sign", {"date": "2025-03-01", "contract_amount": "8000"})
    later = api.create(name="锂电池材料项目")
    now = api.ledger(min_position=later["_position"])
    assert now != then

    assert api.ledger(as_of=moment) == then
    assert api.ledger() == now  # the live ledger is not disturbed by reading the past
    # Paging through the ledger of one moment: each page as it was then
    page = api.ledger(as_of=moment, limit=1)
    assert page["items"] == then["items"][:1]
    assert page["position"] == then["position"]
    assert api.ledger(as_of=moment, stage="signed")["items"] == []


@on_every_backend
def test_statistics_and_the_supervision_views_as_of_a_moment(api: Api) -> None:
    project = api.create()
    signed = api.do("bureau", project["id"], "sign",
                    {"date": "2025-03-01", "contract_amount": "8000"})
    paths = ("/api/v1/stats/projects", "/api/v1/supervision/overdue",
             "/api/v1/supervision/dashboard", "/api/v1/stats/agency")
    then = {path: _read(api, path, min_position=signed["_position"]) for path in paths}
    moment = _now()
    api.do("bureau", project["id"], "start-construction", {"date": "2025-04-15"})
    api.do("bureau", project["id"], "raise-problem", {"text": "用地指标不足", "on": "2025-01-15"})
    last = api.create(name="新材料项目")
    assert _read(api, "/api/v1/stats/projects",
                 min_position=last["_position"]) != then["/api/v1/stats/projects"]

    for path in paths:
        past = _read(api, path, as_of=moment)
        if path.endswith("/dashboard"):  # its links read the same moment
            assert all("as_of=" in figure["href"] for figure in past["by_kind"])
            past = _without_as_of_links(past)
        assert past == then[path], path


def _without_as_of_links(found: Any) -> Any:
    if isinstance(found, dict):
        return {k: v.split("as_of=")[0].rstrip("&?") if k == "href" else _without_as_of_links(v)
                for k, v in found.items()}
    if isinstance(found, list):
        return [_without_as_of_links(v) for v in found]
    return found


def test_an_item_as_of_a_moment_is_its_state_then(api: Api, project: dict[str, Any]) -> None:
    then = api.get("admin", project["id"])
    moment = datetime.now(SHANGHAI)
    time.sleep(0.002)
    api.do("bureau", project["id"], "sign", {"date": "2025-03-01", "contract_amount": "8000"})

    past = api.get("admin", project["id"], as_of=moment.isoformat())
    assert past.status_code == 200, past.text
    assert past.json() == then.json()
    assert past.headers["ETag"] == '"1"'
    # Without an offset a time is Asia/Shanghai's
    naive = api.get("admin", project["id"], as_of=moment.replace(tzinfo=None).isoformat())
    assert naive.json() == then.json()
    assert api.get("admin", project["id"]).json()["stage"] == "signed"


def test_an_item_before_it_was_recorded_is_404(api: Api, project: dict[str, Any]) -> None:
    before = datetime.fromisoformat(project["created_at"]) - timedelta(seconds=1)
    problem = assert_problem(api.get("admin", project["id"], as_of=before.isoformat()), 404)
    assert "first recorded" in problem["detail"]


def test_as_of_refusals(api: Api, project: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    both = api.get("admin", project["id"], as_of=now.isoformat(), as_of_version=1)
    assert "not both" in assert_problem(both, 422)["detail"]
    future = (now + timedelta(days=1)).isoformat()
    assert "future" in assert_problem(api.get("admin", project["id"], as_of=future),
                                      422)["detail"]
    assert "future" in assert_problem(api.get_ledger(as_of=future), 422)["detail"]
    for bad in ("2025-06-31T10:00:00+08:00", "yesterday", "2025-06-30"):
        assert_problem(api.get_ledger(as_of=bad), 422)
        assert_problem(api.get("admin", project["id"], as_of=bad), 422)
    twice = api.client.get(f"{LEDGER}?as_of={now.isoformat()}&as_of={now.isoformat()}"
                           .replace("+", "%2B"), headers=api.headers("admin"))
    assert "more than once" in assert_problem(twice, 422)["detail"]
    # The past holds no position after the moment
    beyond = api.get_ledger(as_of=now.isoformat(), min_position=project["_position"] + 1)
    assert_problem(beyond, 422)
    # A role that may not read statistics is refused as without as_of
    refused = api.client.get("/api/v1/stats/projects", params={"as_of": now.isoformat()},
                             headers=api.headers("unit"))
    assert_problem(refused, 403)


def test_before_the_first_event_the_ledgers_are_empty(api: Api) -> None:
    page = api.ledger(as_of="2000-01-01T00:00:00+08:00")
    assert (page["items"], page["count"], page["position"]) == ([], 0, 0)


def test_every_item_read_takes_as_of_and_a_diff_and_every_ledger_and_report_as_of(
        api: Api) -> None:
    doc = api.client.get("/openapi.json").json()
    names = {path: {p["name"] for p in ops.get("get", {}).get("parameters", ())}
             for path, ops in doc["paths"].items()}
    items = [p for p in names if p.startswith("/api/v1/") and p.count("/") == 4
             and p.endswith("_id}") and "get" in doc["paths"][p]]
    assert len(items) >= 9  # every case type
    for path in items:
        assert {"as_of", "as_of_version"} <= names[path], path
        assert {"from_version", "to_version"} <= names[f"{path}/diff"], path
    reads = [p for p in names if p.startswith(("/api/v1/ledgers/", "/api/v1/stats/",
                                              "/api/v1/supervision/"))]
    assert len(reads) >= 15
    for path in reads:
        assert "as_of" in names[path], path


def test_a_diff_shows_the_fields_changed_between_two_versions(api: Api,
                                                             project: dict[str, Any]) -> None:
    pid = project["id"]
    api.do("bureau", pid, "sign", {"date": "2025-03-01", "contract_amount": "8000"})
    api.do("bureau", pid, "raise-problem", {"text": "用地指标不足", "on": "2025-03-02"})

    last = api.client.get(f"{PROJECTS}/{pid}/diff", headers=api.headers("admin")).json()
    assert (last["from_version"], last["to_version"]) == (2, 3)
    # A problem added; the steps the state allows follow (its resolution)
    assert [c["field"] for c in last["changes"]] == ["problems.0", "allowed_steps"]
    assert last["changes"][0]["from"] is None
    assert last["changes"][0]["to"]["text"] == "用地指标不足"

    signed = api.client.get(f"{PROJECTS}/{pid}/diff", params={"from_version": 1,
                            "to_version": 2}, headers=api.headers("admin")).json()
    fields = {c["field"]: (c["from"], c["to"]) for c in signed["changes"]}
    assert fields["stage"] == ("negotiating", "signed")
    assert fields["stage_label"] == ("在谈", "签约")
    assert fields["sign_date"] == (None, "2025-03-01")
    assert "version" not in fields and "name" not in fields
    same = api.client.get(f"{PROJECTS}/{pid}/diff", params={"from_version": 2,
                          "to_version": 2}, headers=api.headers("admin")).json()
    assert same["changes"] == []


def test_a_diff_refuses_a_backward_range_and_unknown_versions(api: Api,
                                                               project: dict[str, Any]) -> None:
    diff = f"{PROJECTS}/{project['id']}/diff"
    api.do("bureau", project["id"], "comment", {"text": "请尽快推进"})
    backwards = api.client.get(diff, params={"from_version": 2, "to_version": 1},
                               headers=api.headers("admin"))
    assert "after to_version" in assert_problem(backwards, 422)["detail"]
    unknown = api.client.get(diff, params={"to_version": 5}, headers=api.headers("admin"))
    assert "no version 5" in assert_problem(unknown, 404)["detail"]
    assert_problem(api.client.get(diff, params={"from_version": 0},
                                  headers=api.headers("admin")), 422)
    assert_problem(api.client.get(diff, headers=api.headers("enterprise")), 403)
