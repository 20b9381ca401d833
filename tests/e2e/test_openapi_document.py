"""The OpenAPI document says what each operation can refuse, with one problem schema that
the answers really have, and the constraints the server enforces."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest

from domain.credit_code import complete_credit_code
from tests.conftest import auth

PROBLEM_TYPE = "application/problem+json"
PROBLEM = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, operation) for path, operations in document["paths"].items()
            for method, operation in operations.items() if method in METHODS]


def test_every_refusal_outside_open311_is_the_one_problem_schema(
        document: dict[str, Any]) -> None:
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for method, path, operation in _operations(document):
        if path.startswith("/open311/"):
            continue
        refusals = {status: answer for status, answer in operation["responses"].items()
                    if int(status) >= 400}
        assert "422" in refusals, (method, path)
        for status, answer in refusals.items():
            assert answer["description"], (method, path, status)
            content = answer["content"]
            assert content[PROBLEM_TYPE] == PROBLEM[PROBLEM_TYPE], (method, path, status)
            assert set(content) <= {PROBLEM_TYPE, "application/json"}, (method, path, status)



def test_the_refusals_follow_what_an_operation_depends_on(document: dict[str, Any]) -> None:
    def refusals(method: str, path: str) -> set[int]:
        responses = document["paths"][path][method.lower()]["responses"]
        return {int(status) for status in responses if int(status) >= 400}

    assert refusals("GET", "/healthz") == {422}
    assert refusals("GET", "/api/v1/units") == {401, 422, 503}  # any account may read it
    assert refusals("GET", "/api/v1/projects/{project_id}") == {401, 403, 404, 422, 503}
    assert refusals("POST", "/api/v1/projects") == {401, 403, 409, 413, 422, 503}
    assert refusals("POST", "/api/v1/projects/{project_id}/sign") == {
        401, 403, 404, 409, 412, 413, 422, 503}
    assert refusals("POST", "/api/v1/public/complaints") == {413, 422, 429, 503}
    assert refusals("GET", "/api/v1/ledgers/projects") == {401, 403, 422, 503}
    assert refusals("POST", "/open311/v2/requests.{fmt}") == {400, 403, 404, 413, 429, 503}
    assert refusals("GET", "/open311/v2/discovery.{fmt}") == {400}
    sign = document["paths"]["/api/v1/projects/{project_id}/sign"]["post"]
    assert sign["security"] == [{"bearer": []}]
    assert "WWW-Authenticate" in sign["responses"]["401"]["headers"]
    assert "Retry-After" in sign["responses"]["503"]["headers"]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_open311_refusals_are_open311_documents_in_both_formats(
        document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        if not path.startswith("/open311/"):
            continue
        fmt = next(p for p in operation["parameters"] if p["name"] == "fmt")
        assert fmt["schema"]["enum"] == ["xml", "json"], (method, path)
        for status, answer in operation["responses"].items():
            assert set(answer["content"]) == {"text/xml", "application/json"}, (method, path)
            if int(status) >= 400:
                assert answer["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Open311Errors"}


def test_the_problem_schema_describes_the_problems_answered(
        client: Any, tokens: dict[str, str], document: dict[str, Any]) -> None:
    schema = {**document["components"]["schemas"]["Problem"],
              "components": document["components"]}
    validator = jsonschema_rs.validator_for(
        {"$ref": "#/components/schemas/Problem", "components": document["components"]})
    answers = [
        client.get("/api/v1/projects/not-a-uuid", headers=auth(tokens["bureau"])),
        client.get("/api/v1/units"),
        client.delete("/api/v1/units", headers=auth(tokens["bureau"])),
        client.post("/api/v1/projects", json={"name": 1}, headers=auth(tokens["bureau"])),
        client.get("/api/v1/units?nope=1", headers=auth(tokens["bureau"])),
    ]
    for answer in answers:
        assert answer.headers["content-type"] == PROBLEM_TYPE
        body = answer.json()
        validator.validate(body)
        assert set(body) <= set(schema["properties"]), body
    assert [a.status_code for a in answers] == [422, 401, 405, 422, 422]
    assert answers[3].json()["errors"]


def test_constraints_the_server_enforces_are_declared(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    code = schemas["EnterpriseCreate"]["properties"]["credit_code"]
    pattern = re.compile(code["pattern"])
    valid = complete_credit_code("91450200MA5KXXXX")
    assert pattern.match(valid) and pattern.match(f" {valid.lower()} ")
    assert not pattern.match(valid[:17]) and not pattern.match(valid.replace("9", "I", 1))
    assert [set(option["required"]) for option in schemas["ComplaintCreate"]["oneOf"]] == [
        {"complainant"}, {"anonymous"}]
    assert [set(option["required"]) for option in schemas["RequestCreate"]["anyOf"]] == [
        {"credit_code"}, {"enterprise_id"}]
    assert schemas["OutcomeBody"]["then"]["required"] == ["explanation"]
    text = schemas["TextBody"]["properties"]["text"]
    assert text["maxLength"] == 4000 and re.match(text["pattern"], "正常") \
        and not re.match(text["pattern"], "a\x00b")
    if_match = next(p for p in document["paths"]["/api/v1/projects/{project_id}/sign"]["post"][
        "parameters"] if p["name"] == "if-match")
    assert re.match(if_match["schema"]["pattern"], '"3"')
    assert not re.match(if_match["schema"]["pattern"], "three")
