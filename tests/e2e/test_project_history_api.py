"""Project history and versions through HTTP: as-of-version reads, the audit of each event
(actor, request id), If-Match, and states past the snapshot interval."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.helpers import REGISTERED_ON, SIGNED_ON, Api, account_name


def test_as_of_version_returns_the_state_at_that_version(api: Api,
                                                        project: dict[str, Any]) -> None:
    pid = project["id"]
    api.advance(pid, "under_construction")

    first = api.get("leader", pid, as_of_version=1)
    second = api.get("leader", pid, as_of_version=2)
    current = api.get("leader", pid)

    assert first.status_code == 200
    assert (first.json()["version"], first.json()["stage"]) == (1, "negotiating")
    assert first.json()["sign_date"] is None
    assert first.headers["ETag"] == '"1"'
    assert (second.json()["version"], second.json()["stage"]) == (2, "signed")
    assert (current.json()["version"], current.json()["stage"]) == (3, "under_construction")


def test_history_lists_every_event_in_order_with_labels_and_data(
    api: Api, project: dict[str, Any]
) -> None:
    pid = project["id"]
    api.do("bureau", pid, "sign", {"date": SIGNED_ON, "contract_amount": "0.5"})

    history = api.history(pid, who="supervisor")

    assert [(e["version"], e["type"], e["label"]) for e in history] == [
        (1, "Registered", "登记在谈"), (2, "Signed", "签约")]
    assert history[0]["data"]["name"] == project["name"]
    assert history[0]["data"]["on"] == REGISTERED_ON
    assert history[1]["data"] == {"date": SIGNED_ON, "contract_amount": "0.5000"}
    assert history[0]["recorded_at"] <= history[1]["recorded_at"]
    assert all(set(e) == {"version", "type", "label", "recorded_at", "actor",
                          "correlation_id", "data"} for e in history)


def test_history_actor_is_the_account_of_the_token(api: Api, project: dict[str, Any]) -> None:
    pid = project["id"]
    api.do("admin", pid, "sign", {"date": SIGNED_ON, "contract_amount": "1"})
    api.do("unit", pid, "report-progress", {"period": "2025", "text": "进展顺利"})
    api.do("leader", pid, "instruct", {"text": "好"})

    actors = [e["actor"] for e in api.history(pid)]

    assert [(a["name"], a["role"], a["unit"]) for a in actors] == [
        (account_name("bureau"), "bureau", "tcj"),
        (account_name("admin"), "admin", None),
        (account_name("unit"), "unit", "liudong"),
        (account_name("leader"), "leader", None),
    ]
    assert all(uuid.UUID(a["id"]) for a in actors)
    assert actors[0]["id"] != actors[1]["id"]


def test_request_id_is_echoed_and_recorded_as_correlation_id(
    api: Api, project: dict[str, Any]
) -> None:
    response = api.post("bureau", project["id"], "comment", {"text": "跟进"},
                        **{"X-Request-ID": "req-e2e-42"})

    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "req-e2e-42"
    assert api.history(project["id"])[-1]["correlation_id"] == "req-e2e-42"


@pytest.mark.parametrize("given", ["x" * 101, "bad\tid"], ids=["too-long", "not-printable"])
def test_an_unusable_request_id_is_replaced_by_a_fresh_one(
    api: Api, project: dict[str, Any], given: str
) -> None:
    response = api.post("bureau", project["id"], "comment", {"text": "跟进"},
                        **{"X-Request-ID": given})

    request_id = response.headers["X-Request-ID"]
    assert request_id
    assert request_id != given
    assert api.history(project["id"])[-1]["correlation_id"] == request_id


def test_a_generated_request_id_is_recorded_when_the_client_sends_none(api: Api) -> None:
    response = api.register()

    request_id = response.headers["X-Request-ID"]
    assert request_id
    assert api.history(response.json()["id"])[0]["correlation_id"] == request_id


def test_if_match_naming_the_current_version_is_accepted(
    api: Api, project: dict[str, Any]
) -> None:
    for version, if_match in enumerate(['"1"', 'W/"2"', "*", ' "4" '], start=1):
        response = api.post("bureau", project["id"], "comment", {"text": f"第{version}条"},
                            version=if_match)

        assert response.status_code == 200, if_match
        assert response.json()["version"] == version + 1
    assert api.state(project["id"])["comment_count"] == 4


def test_state_and_as_of_version_stay_right_past_the_snapshot_interval(
    api: Api, project: dict[str, Any]
) -> None:
    # Snapshots are taken every 50 versions by default; reads must not depend on them.
    pid = project["id"]
    api.do("unit", pid, "raise-problem", {"text": "用地", "on": "2025-02-01"})
    api.do("leader", pid, "instruct", {"text": "抓紧", "on": "2025-02-01"})
    api.do("bureau", pid, "designate-key", {"year": 2025, "reason": "市重点"})
    for i in range(52):
        api.do("supervisor", pid, "comment", {"text": f"第{i}次督办"}, version=4 + i)
    api.do("unit", pid, "problems/1/resolve", {"resolution": "已解决", "on": "2025-03-01"})
    api.do("bureau", pid, "sign", {"date": SIGNED_ON, "contract_amount": "66.6"})

    state = api.state(pid)
    before = api.get("admin", pid, as_of_version=30).json()
    after = api.get("admin", pid, as_of_version=56).json()

    assert (state["version"], state["stage"], state["comment_count"]) == (58, "signed", 52)
    assert state["problems"][0]["raised_on"] == "2025-02-01"
    assert state["problems"][0]["resolution"] == "已解决"
    assert state["instructions"][0]["given_on"] == "2025-02-01"
    assert state["instructions"][0]["leader"] == account_name("leader")
    assert state["key_years"] == [2025]
    assert (before["version"], before["comment_count"], before["stage"]) == (30, 26,
                                                                             "negotiating")
    assert (after["version"], after["comment_count"]) == (56, 52)
    assert after["problems"][0]["resolved_on"] is None
    assert [e["version"] for e in api.history(pid)] == list(range(1, 59))
