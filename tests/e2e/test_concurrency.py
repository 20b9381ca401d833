"""Optimistic concurrency through HTTP, on each backend: writers acting from the same
version, one wins."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import httpx

from tests.conftest import on_every_backend
from tests.e2e.helpers import SIGNED_ON, Api, assert_problem

pytestmark = on_every_backend

LOST = (409, 412)


def _all_at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls in as many threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait(timeout=10)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls, timeout=60))


def test_second_writer_from_the_same_version_gets_412(api: Api, project: dict[str, Any]) -> None:
    first = api.post("bureau", project["id"], "sign",
                     {"date": SIGNED_ON, "contract_amount": "100"}, version=1)
    second = api.post("admin", project["id"], "sign",
                      {"date": "2025-03-02", "contract_amount": "200"}, version=1)

    assert first.status_code == 200
    assert_problem(second, 412)
    history = api.history(project["id"])
    assert [e["type"] for e in history] == ["Registered", "Signed"]
    assert history[-1]["data"]["contract_amount"] == "100.0000"
    assert api.state(project["id"])["version"] == 2


def test_two_threads_signing_from_the_same_version_sign_once(
    api: Api, project: dict[str, Any]
) -> None:
    amounts = ["100", "200"]
    responses = _all_at_once([
        partial(api.post, "bureau", project["id"], "sign",
                {"date": SIGNED_ON, "contract_amount": amount}, version=1)
        for amount in amounts])

    statuses = sorted(r.status_code for r in responses)
    assert statuses[0] == 200
    assert statuses[1] in LOST
    loser = next(r for r in responses if r.status_code != 200)
    assert_problem(loser, loser.status_code)
    winner = next(r for r in responses if r.status_code == 200)
    history = api.history(project["id"])
    assert [e["type"] for e in history] == ["Registered", "Signed"]
    assert history[-1]["data"]["contract_amount"] == winner.json()["contract_amount"]
    assert api.state(project["id"])["version"] == 2


def test_eight_threads_commenting_from_the_same_version_append_one_event(
    api: Api, project: dict[str, Any]
) -> None:
    api.do("bureau", project["id"], "sign", {"date": SIGNED_ON, "contract_amount": "1"})

    responses = _all_at_once([
        partial(api.post, "leader", project["id"], "comment", {"text": f"意见{i}"}, version=2)
        for i in range(8)])

    statuses = Counter(r.status_code for r in responses)
    assert statuses[200] == 1
    assert sum(statuses[s] for s in LOST) == 7
    for response in responses:
        if response.status_code != 200:
            assert_problem(response, response.status_code)
    history = api.history(project["id"])
    assert len(history) == 3
    assert api.state(project["id"])["comment_count"] == 1
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.json()["version"] == 3
    assert history[-1]["type"] == "Commented"
    assert history[-1]["correlation_id"] == winner.headers["X-Request-ID"]


def test_concurrent_writers_without_if_match_lose_no_update(
    api: Api, project: dict[str, Any]
) -> None:
    responses = _all_at_once([
        partial(api.post, "unit", project["id"], "comment", {"text": f"留言{i}"})
        for i in range(8)])

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {200, 409}
    assert statuses[200] >= 1
    state = api.state(project["id"])
    assert state["comment_count"] == statuses[200]
    assert state["version"] == 1 + statuses[200]
    assert len(api.history(project["id"])) == 1 + statuses[200]


def test_concurrent_registrations_all_succeed_with_distinct_positions(api: Api) -> None:
    responses = _all_at_once([partial(api.register, name=f"并发项目{i}") for i in range(8)])

    assert [r.status_code for r in responses] == [201] * 8
    ids = {r.json()["id"] for r in responses}
    positions = {int(r.headers["X-Ledger-Position"]) for r in responses}
    assert len(ids) == 8
    assert len(positions) == 8
    ledger = api.ledger(min_position=max(positions))
    assert {row["id"] for row in ledger["items"]} == ids
    assert ledger["totals"]["negotiating"]["count"] == 8
