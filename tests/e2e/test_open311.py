"""Open311 GeoReport v2 (/open311/v2): services, filing, reading back and searching service
requests in XML and JSON, Open311 error documents, and an existing client library."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest

from api.bootstrap import Container
from application.context import SYSTEM
from domain.complaint import Category, Complaint, ComplaintDetails
from tests.conftest import auth

BASE = "/open311/v2"
COMPLAINTS = "/api/v1/complaints"
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type",
                  "keywords", "group"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "lat", "long"]
NAME_FIRST, NAME_LAST, PHONE, EMAIL = "颖颖", "王", "13907720001", "wang@example.com"
CONTENT = "窗口人员态度生硬，材料齐全仍要求多次往返"
BUREAU_NAME = "柳州市投资促进局"
LIUDONG_NAME = "柳东新区(高新区)"


# --- helpers ------------------------------------------------------------------------------


def xml_of(response: httpx.Response, root: str) -> ET.Element:
    assert response.headers["content-type"].startswith("text/xml"), response.text
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    element = ET.fromstring(response.content)
    assert element.tag == root
    return element


def records(root: ET.Element, item: str) -> list[dict[str, str | None]]:
    """The children of `root`, all named `item`, as {tag: text} in document order."""
    assert [child.tag for child in root] == [item] * len(root)
    return [{field.tag: field.text for field in child} for child in root]


def json_of(response: httpx.Response) -> Any:
    assert response.headers["content-type"].startswith("application/json"), response.text
    return response.json()


def assert_open311_error(response: httpx.Response, status: int) -> str:
    """An Open311 error document with this status, in the path's format; its description."""
    assert response.status_code == status, response.text
    if response.url.path.endswith(".json"):
        errors = json_of(response)
        assert errors[0]["code"] == status
    else:
        errors = records(xml_of(response, "errors"), "error")
        assert errors[0]["code"] == str(status)
    assert len(errors) == 1
    description = errors[0]["description"]
    assert isinstance(description, str)
    assert description
    return description


def file_request(client: Any, fmt: str = "xml", **fields: str) -> httpx.Response:
    """POST a form-encoded service request; location fields are sent, as clients do."""
    form = {"service_code": "conduct", "description": CONTENT, "lat": "24.33",
            "long": "109.43", "address_string": "柳州市城中区", **fields}
    return client.post(f"{BASE}/requests.{fmt}", data=form)


def created(response: httpx.Response) -> dict[str, Any]:
    """The one request of a 201 POST answer, from either format."""
    assert response.status_code == 201, response.text
    if response.url.path.endswith(".json"):
        [body] = json_of(response)
    else:
        [body] = records(xml_of(response, "service_requests"), "request")
    assert set(body) == {"service_request_id", "service_notice", "account_id"}
    assert response.headers["Location"] == (
        f"{response.url.path.rsplit('.', 1)[0]}/{body['service_request_id']}."
        f"{response.url.path.rsplit('.', 1)[1]}")
    return body


def complaint_path(receipt: str) -> str:
    return f"{COMPLAINTS}/{Complaint.create_id(receipt)}"


def state(client: Any, tokens: dict[str, str], receipt: str) -> dict[str, Any]:
    response = client.get(complaint_path(receipt), headers=auth(tokens["bureau"]))
    assert response.status_code == 200, response.text
    return response.json()


def step(client: Any, token: str, receipt: str, action: str, **body: Any) -> None:
    response = client.post(f"{complaint_path(receipt)}/{action}", json=body,
                           headers=auth(token))
    assert response.status_code == 200, response.text


def read_xml(client: Any, receipt: str, **params: str) -> dict[str, str | None]:
    response = client.get(f"{BASE}/requests/{receipt}.xml", params=params)
    assert response.status_code == 200, response.text
    [request] = records(xml_of(response, "service_requests"), "request")
    assert list(request) == REQUEST_FIELDS
    return request


def read_json(client: Any, receipt: str, **params: str) -> dict[str, Any]:
    response = client.get(f"{BASE}/requests/{receipt}.json", params=params)
    assert response.status_code == 200, response.text
    [request] = json_of(response)
    assert list(request) == REQUEST_FIELDS
    return request


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


# --- services and discovery -----------------------------------------------------------------


def test_services_are_the_complaint_categories_in_xml_and_json(client: Any) -> None:
    xml = records(xml_of(client.get(f"{BASE}/services.xml"), "services"), "service")
    as_json = json_of(client.get(f"{BASE}/services.json"))

    assert [list(s) for s in xml] == [SERVICE_FIELDS] * len(Category.labels())
    assert [(s["service_code"], s["service_name"]) for s in xml] == list(Category.labels().items())
    assert {(s["metadata"], s["type"], s["group"]) for s in xml} == {
        ("false", "realtime", "营商环境投诉举报")}
    assert [list(s) for s in as_json] == [SERVICE_FIELDS] * len(Category.labels())
    assert [s["service_code"] for s in as_json] == list(Category.labels())
    assert all(s["metadata"] is False for s in as_json)
    assert [s["description"] for s in as_json] == [s["description"] for s in xml]


def test_a_service_definition_offers_the_optional_respondent_unit_attribute(
    client: Any,
) -> None:
    root = xml_of(client.get(f"{BASE}/services/fees_and_fines.xml"), "service_definition")
    as_json = json_of(client.get(f"{BASE}/services/fees_and_fines.json"))

    assert root.findtext("service_code") == "fees_and_fines"
    [attribute] = root.findall("attributes/attribute")
    assert attribute.findtext("code") == "respondent_unit"
    assert attribute.findtext("required") == "false"
    assert attribute.findtext("datatype") == "singlevaluelist"
    keys = [v.findtext("key") for v in attribute.findall("values/value")]
    assert {"tcj", "liudong", "liujiang"} <= set(keys)
    assert as_json["service_code"] == "fees_and_fines"
    [json_attribute] = as_json["attributes"]
    assert json_attribute["required"] is False
    assert [v["key"] for v in json_attribute["values"]] == keys


def test_an_unknown_service_code_is_an_open311_404(client: Any) -> None:
    for fmt in ("xml", "json"):
        description = assert_open311_error(client.get(f"{BASE}/services/potholes.{fmt}"), 404)
        assert "potholes" in description


def test_discovery_names_the_v2_endpoint_and_both_formats(client: Any) -> None:
    root = xml_of(client.get(f"{BASE}/discovery.xml"), "discovery")
    as_json = json_of(client.get(f"{BASE}/discovery.json"))

    [endpoint] = root.findall("endpoints/endpoint")
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == f"http://testserver{BASE}"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == [
        "text/xml", "application/json"]
    assert root.findtext("changeset")
    assert root.findtext("key_service")
    [json_endpoint] = as_json["endpoints"]
    assert json_endpoint["formats"] == ["text/xml", "application/json"]
    assert json_endpoint["url"] == f"http://testserver{BASE}"


# --- filing and reading back -----------------------------------------------------------------


def test_a_public_request_is_a_website_complaint_followed_without_personal_data(
    client: Any, tokens: dict[str, str],
) -> None:
    answer = created(file_request(client, first_name=NAME_FIRST, last_name=NAME_LAST,
                                  phone=PHONE, email=EMAIL))
    receipt = str(answer["service_request_id"])

    registered = state(client, tokens, receipt)
    assert registered["receipt"] == receipt
    assert (registered["channel"], registered["category"]) == ("website", "conduct")
    assert registered["respondent_unit"] == "tcj"
    assert registered["content"] == CONTENT
    assert registered["complainant"]["name"] == NAME_LAST + NAME_FIRST
    assert registered["complainant"]["phone"] == PHONE
    assert answer["account_id"] is None
    assert receipt in str(answer["service_notice"])
    xml, as_json = read_xml(client, receipt), read_json(client, receipt)
    due = registered["open_deadlines"][0]["due"]
    assert xml["status"] == as_json["status"] == "open"
    assert xml["status_notes"] == as_json["status_notes"] == "登记"
    assert xml["service_code"] == "conduct"
    assert xml["service_name"] == "工作作风"
    assert xml["agency_responsible"] == as_json["agency_responsible"] == BUREAU_NAME
    assert xml["requested_datetime"] == f"{registered['received_on']}T00:00:00+08:00"
    assert xml["expected_datetime"] == as_json["expected_datetime"] == f"{due}T18:00:00+08:00"
    assert xml["updated_datetime"] == as_json["updated_datetime"]
    assert xml["description"] is None
    assert as_json["description"] is None
    assert (as_json["address"], as_json["lat"], as_json["long"]) == (None, None, None)
    for response in (client.get(f"{BASE}/requests/{receipt}.xml"),
                     client.get(f"{BASE}/requests/{receipt}.json")):
        for private in (NAME_LAST + NAME_FIRST, PHONE, EMAIL, CONTENT):
            assert private not in response.text
    history = client.get(f"{complaint_path(receipt)}/history", headers=auth(tokens["bureau"]))
    assert history.status_code == 200
    assert EMAIL not in history.text


def test_an_anonymous_public_request_has_no_complainant(
    client: Any, tokens: dict[str, str],
) -> None:
    receipt = str(created(file_request(client, fmt="json"))["service_request_id"])

    registered = state(client, tokens, receipt)
    assert registered["anonymous"] is True
    assert registered["complainant"] is None


def test_a_phone_without_a_name_is_refused_as_an_open311_400(
    client: Any, container: Container,
) -> None:
    head = container.ledger.head()

    description = assert_open311_error(file_request(client, phone=PHONE), 400)

    assert "first_name" in description
    assert container.ledger.head() == head


def test_a_request_filed_with_an_api_key_is_filed_by_that_account(
    client: Any, tokens: dict[str, str], container: Container,
) -> None:
    enterprise = container.accounts.authenticate(tokens["enterprise"])

    answer = created(file_request(client, fmt="json", api_key=tokens["enterprise"],
                                  service_code="inspections", first_name=NAME_FIRST,
                                  last_name=NAME_LAST, **{
                                      "attribute[respondent_unit]": "liudong"}))

    receipt = answer["service_request_id"]
    assert answer["account_id"] == enterprise.account_id
    registered = state(client, tokens, receipt)
    assert (registered["channel"], registered["category"]) == ("website", "inspections")
    assert registered["respondent_unit"] == "liudong"
    assert registered["filed_by_enterprise"] == enterprise.enterprise
    history = client.get(f"{complaint_path(receipt)}/history", headers=auth(tokens["bureau"]))
    assert history.json()[0]["actor"]["id"] == enterprise.account_id
    own = read_json(client, receipt, api_key=tokens["enterprise"])
    assert own["description"] == CONTENT
    assert NAME_LAST + NAME_FIRST not in str(own)
    # A unit the complaint is not assigned to follows it like the public.
    assert read_json(client, receipt, api_key=tokens["unit"])["description"] is None


def test_a_bad_api_key_is_an_open311_403_and_files_nothing(
    client: Any, container: Container,
) -> None:
    head = container.ledger.head()

    for fmt in ("xml", "json"):
        description = assert_open311_error(
            file_request(client, fmt=fmt, api_key="il_not-a-real-token"), 403)
        assert "token" in description
        assert_open311_error(client.get(f"{BASE}/requests.{fmt}",
                                        params={"api_key": "il_not-a-real-token"}), 403)

    assert container.ledger.head() == head


def test_roles_that_may_not_file_or_search_get_an_open311_403(
    client: Any, tokens: dict[str, str], container: Container,
) -> None:
    head = container.ledger.head()

    assert_open311_error(file_request(client, api_key=tokens["unit"]), 403)
    assert_open311_error(client.get(f"{BASE}/requests.json",
                                    params={"api_key": tokens["agent"]}), 403)
    description = assert_open311_error(client.get(f"{BASE}/requests.xml"), 403)

    assert "api_key" in description
    assert container.ledger.head() == head


def test_bad_service_codes_are_open311_errors_and_file_nothing(
    client: Any, tokens: dict[str, str], container: Container,
) -> None:
    head = container.ledger.head()

    assert_open311_error(file_request(client, service_code="potholes"), 404)
    assert_open311_error(file_request(client, fmt="json", service_code=""), 400)
    assert_open311_error(file_request(client, description=""), 400)
    assert_open311_error(file_request(client, **{"attribute[respondent_unit]": "nowhere"}),
                         400)
    for params in ({"service_code": "potholes"}, {"status": "pending"},
                   {"start_date": "last tuesday"},
                   {"start_date": "2025-03-02", "end_date": "2025-03-01"},
                   {"min_position": str(head + 1)}):
        response = client.get(f"{BASE}/requests.json",
                              params={"api_key": tokens["bureau"], **params})
        assert_open311_error(response, 400)

    assert container.ledger.head() == head


def test_unknown_resources_formats_and_methods_are_open311_errors(client: Any) -> None:
    assert_open311_error(client.get(f"{BASE}/tokens/123.json"), 404)
    assert_open311_error(client.get(f"{BASE}/requests/TSNOSUCHRECEIPT.xml"), 404)
    assert "xml or json" in assert_open311_error(client.get(f"{BASE}/services.csv"), 400)
    response = client.delete(f"{BASE}/requests.json")
    assert_open311_error(response, 405)
    assert response.headers["Allow"] == "GET, POST"


# --- the round trip ------------------------------------------------------------------------


def test_round_trip_from_open311_filing_to_assignment_reply_and_closing(
    client: Any, tokens: dict[str, str],
) -> None:
    receipt = str(created(file_request(client))["service_request_id"])
    filed = read_xml(client, receipt)

    step(client, tokens["bureau"], receipt, "accept")
    step(client, tokens["bureau"], receipt, "assign", unit="liudong")

    assigned = read_xml(client, receipt)
    due = state(client, tokens, receipt)["open_deadlines"][0]
    assert due["kind"] == "reply"
    assert assigned["status"] == "open"
    assert assigned["status_notes"] == "交办"
    assert assigned["agency_responsible"] == LIUDONG_NAME
    assert assigned["expected_datetime"] == f"{due['due']}T18:00:00+08:00"
    assert assigned["expected_datetime"] != filed["expected_datetime"]
    assert str(assigned["service_notice"]).startswith("答复期限")
    assert read_json(client, receipt, api_key=tokens["unit"])["description"] == CONTENT

    reply = "已约谈窗口负责人，实行一次性告知并完成办理"
    step(client, tokens["unit"], receipt, "acknowledge")
    step(client, tokens["unit"], receipt, "reply", text=reply)
    step(client, tokens["supervisor"], receipt, "callback", satisfaction="satisfied")
    step(client, tokens["supervisor"], receipt, "close")

    public = read_json(client, receipt)
    assert public["status"] == "closed"
    assert public["status_notes"] == "办结"
    assert public["expected_datetime"] is None
    assert reply not in str(public)
    assert public["updated_datetime"] >= str(filed["updated_datetime"])
    staff = read_xml(client, receipt, api_key=tokens["bureau"])
    assert staff["status"] == "closed"
    assert reply in str(staff["status_notes"])
    assert staff["description"] == CONTENT


def test_a_declined_complaint_is_closed_with_its_reason_for_staff_only(
    client: Any, tokens: dict[str, str],
) -> None:
    receipt = str(created(file_request(client))["service_request_id"])

    step(client, tokens["bureau"], receipt, "decline", reason="属于司法程序处理事项")

    assert read_xml(client, receipt)["status"] == "closed"
    assert read_xml(client, receipt)["status_notes"] == "不予受理"
    assert read_xml(client, receipt, api_key=tokens["bureau"])["status_notes"] == (
        "不予受理：属于司法程序处理事项")


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
