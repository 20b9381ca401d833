"""Searching Open311 service requests: filters, time zones, receipt codes, what an account may
read, the 50-newest cap, and an existing client library (georeport)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from api.bootstrap import Container
from application.context import SYSTEM
from domain.complaint import Category, ComplaintDetails
from tests.conftest import auth
from tests.e2e.open311 import (
    BASE,
    COMPLAINTS,
    LIUDONG_NAME,
    NAME_FIRST,
    NAME_LAST,
    PHONE,
    created,
    file_request,
    json_of,
    records,
    step,
    xml_of,
)


@pytest.fixture
def search(client: Any, container: Container) -> Callable[..., list[str]]:
    """Receipts GET requests.json answers a token, in order, once the complaint ledger has
    every write so far (min_position); the XML answer must agree."""

    def run(token: str, **params: str) -> list[str]:
        params = {"api_key": token, "min_position": str(container.ledger.head()), **params}
        answers = {fmt: client.get(f"{BASE}/requests.{fmt}", params=params)
                   for fmt in ("json", "xml")}
        for response in answers.values():
            assert response.status_code == 200, response.text
        receipts = [r["service_request_id"] for r in json_of(answers["json"])]
        xml = records(xml_of(answers["xml"], "service_requests"), "request")
        assert [r["service_request_id"] for r in xml] == receipts
        return receipts

    return run


# --- searching -------------------------------------------------------------------------------


@pytest.fixture
def registered(client: Any, tokens: dict[str, str]) -> dict[str, str]:
    """Four complaints registered by the bureau on past dates, by key: one declined
    (closed), one assigned to liudong. Returns their receipts."""
    receipts = {}
    # Registered out of date order, so that newest-first cannot be log order.
    for key, category, received_on in [("conduct", "conduct", "2025-03-17"),
                                       ("a1", "approval_service", "2025-03-03"),
                                       ("a2", "approval_service", "2025-03-24"),
                                       ("fees", "fees_and_fines", "2025-03-10")]:
        response = client.post(COMPLAINTS, headers=auth(tokens["bureau"]), json={
            "channel": "hotline", "category": category, "content": f"{key} 内容",
            "respondent_unit": "liujiang", "received_on": received_on,
            "complainant": {"name": NAME_LAST + NAME_FIRST, "phone": PHONE}})
        assert response.status_code == 201, response.text
        receipts[key] = response.json()["receipt"]
    step(client, tokens["bureau"], receipts["fees"], "decline", reason="不属于受理范围",
         on="2025-03-11")
    step(client, tokens["bureau"], receipts["a2"], "accept", on="2025-03-25")
    step(client, tokens["bureau"], receipts["a2"], "assign", unit="liudong", on="2025-03-26")
    return receipts


def test_search_lists_newest_first_and_filters_by_status_and_service_code(
    client: Any, tokens: dict[str, str], registered: dict[str, str],
    search: Callable[..., list[str]],
) -> None:
    r, bureau = registered, tokens["bureau"]

    assert search(bureau) == [r["a2"], r["conduct"], r["fees"], r["a1"]]
    assert search(bureau, status="closed") == [r["fees"]]
    assert search(bureau, status="open") == [r["a2"], r["conduct"], r["a1"]]
    assert search(bureau, status="open,closed") == search(bureau)
    assert search(bureau, service_code="approval_service") == [r["a2"], r["a1"]]
    assert search(bureau, service_code="fees_and_fines,conduct",
                  status="open") == [r["conduct"]]


def test_search_filters_by_requested_datetime_with_time_zones(
    client: Any, tokens: dict[str, str], registered: dict[str, str],
    search: Callable[..., list[str]],
) -> None:
    r, bureau = registered, tokens["bureau"]

    assert search(bureau, start_date="2025-03-10T00:00:00+08:00",
                  end_date="2025-03-17T00:00:00+08:00") == [r["conduct"], r["fees"]]
    # 2025-03-09T16:00Z is midnight of 10 March in Liuzhou.
    assert search(bureau, start_date="2025-03-09T16:00:00Z",
                  end_date="2025-03-16T23:59:59+08:00") == [r["fees"]]
    # ... and 2025-03-10T00:00Z is 08:00 there, after the 10 March complaint's midnight.
    assert search(bureau, start_date="2025-03-10T00:00:00Z",
                  end_date="2025-03-17T00:00:00+08:00") == [r["conduct"]]
    assert search(bureau, start_date="2025-03-20") == [r["a2"]]
    assert search(bureau, end_date="2025-03-03") == [r["a1"]]


def test_search_by_receipt_codes_overrides_other_filters_and_needs_no_api_key(
    client: Any, tokens: dict[str, str], registered: dict[str, str],
) -> None:
    r = registered
    wanted = f"{r['a1']},{r['conduct']},TSNOSUCHRECEIPT"

    staff = client.get(f"{BASE}/requests.json", params={
        "api_key": tokens["bureau"], "service_request_id": wanted, "status": "closed"})
    public = client.get(f"{BASE}/requests.xml", params={"service_request_id": wanted})

    assert [x["service_request_id"] for x in json_of(staff)] == [r["a1"], r["conduct"]]
    assert [x["description"] for x in json_of(staff)] == ["a1 内容", "conduct 内容"]
    listed = records(xml_of(public, "service_requests"), "request")
    assert [x["service_request_id"] for x in listed] == [r["a1"], r["conduct"]]
    assert [x["description"] for x in listed] == [None, None]
    assert NAME_LAST + NAME_FIRST not in staff.text + public.text


def test_search_shows_an_account_only_the_complaints_it_may_read(
    client: Any, tokens: dict[str, str], registered: dict[str, str], container: Container,
    search: Callable[..., list[str]],
) -> None:
    [assigned] = json_of(client.get(f"{BASE}/requests.json", params={
        "api_key": tokens["unit"], "min_position": str(container.ledger.head())}))

    assert assigned["service_request_id"] == registered["a2"]
    assert assigned["agency_responsible"] == LIUDONG_NAME
    assert assigned["description"] == "a2 内容"
    assert search(tokens["other_unit"]) == []
    assert search(tokens["enterprise"]) == []
    assert len(search(tokens["leader"])) == 4


def test_search_answers_at_most_the_50_newest(
    tokens: dict[str, str], container: Container, search: Callable[..., list[str]],
) -> None:
    first = date(2025, 1, 1)
    by_day = {}
    for n in range(51):
        day = n * 37 % 51  # every day once, out of order
        by_day[day] = container.complaints.file(
            SYSTEM, ComplaintDetails("hotline", "other", f"第{n}件", "tcj"),
            first + timedelta(days=day)).state.receipt

    listed = search(tokens["bureau"])

    assert listed == [by_day[day] for day in range(50, 0, -1)]


# --- an existing client library ------------------------------------------------------------


def test_the_georeport_client_lists_services_and_reads_back_a_filed_request(
    client: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """georeport (PyPI) cannot file, so the request is filed as a form post; the library
    lists services, reads the definition and reads the request back in both formats."""
    library = pytest.importorskip("georeport.georeport")

    class ThroughTestClient:
        """Stands in for `requests` in the library: its calls go to the app in-process."""

        @staticmethod
        def get(url: str, params: dict[str, str] | None = None) -> httpx.Response:
            response: httpx.Response = client.get(url, params=params)
            return response

    monkeypatch.setattr(library, "requests", ThroughTestClient)
    receipt = str(created(file_request(client, service_code="policy_delivery"))[
        "service_request_id"])

    for fmt in ("json", "xml"):
        geo = library.GeoReport(f"http://testserver{BASE}", output_format=fmt)
        services = geo.get_service_list()
        assert [s["service_code"] for s in services] == list(Category.labels())
        assert geo.get_service_definition("policy_delivery")["service_code"] == (
            "policy_delivery")
        found = geo.get_service_request(receipt)
        assert (found["service_request_id"], found["status"]) == (receipt, "open")
        assert found["service_code"] == "policy_delivery"
        listed = geo.get_service_requests(service_request_id=receipt)
        listed = listed if isinstance(listed, list) else [listed]
        assert [x["service_request_id"] for x in listed] == [receipt]
        searched = geo.get_service_requests(service_code="policy_delivery")  # no api_key
        searched = searched if isinstance(searched, list) else [searched]
        assert [x["service_request_id"] for x in searched] == [receipt]
