"""Open311 GeoReport v2 (/open311/v2) discovery: services and their definitions in XML and
JSON, the discovery document, and Open311 errors for unknown resources."""

from __future__ import annotations

from typing import Any

from domain.complaint import Category
from tests.e2e.open311 import BASE, SERVICE_FIELDS, assert_open311_error, json_of, records, xml_of

# --- services and discovery -----------------------------------------------------------------


def test_services_are_the_complaint_categories_in_xml_and_json(client: Any) -> None:
    xml = records(xml_of(client.get(f"{BASE}/services.xml"), "services"), "service")
    as_json = json_of(client.get(f"{BASE}/services.json"))

    assert [list(s) for s in xml] == [SERVICE_FIELDS] * len(Category.labels())
    assert [(s["service_code"], s["service_name"]) for s in xml] == list(Category.labels().items())
    assert {(s["metadata"], s["type"], s["group"]) for s in xml} == {
        ("true", "realtime", "营商环境投诉举报")}
    assert [list(s) for s in as_json] == [SERVICE_FIELDS] * len(Category.labels())
    assert [s["service_code"] for s in as_json] == list(Category.labels())
    assert all(s["metadata"] is True for s in as_json)
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


def test_unknown_resources_formats_and_methods_are_open311_errors(client: Any) -> None:
    assert_open311_error(client.get(f"{BASE}/tokens/123.json"), 404)
    assert_open311_error(client.get(f"{BASE}/requests/TSNOSUCHRECEIPT.xml"), 404)
    assert "xml or json" in assert_open311_error(client.get(f"{BASE}/services.csv"), 400)
    response = client.delete(f"{BASE}/requests.json")
    assert_open311_error(response, 405)
    assert response.headers["Allow"] == "GET, POST"
