"""Helpers of the Open311 GeoReport v2 tests: paths, field lists, parsing XML and JSON
documents, filing and reading back service requests."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

import httpx

from domain.complaint import Complaint
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
