"""A hostile run: NUL and control characters in every text field of every command, extreme
numbers and dates, a flood on the public channel — every answer a 4xx, never a 5xx, and
afterwards every projection current and every acknowledged write present."""

from __future__ import annotations

import uuid
from typing import Any

from api.bootstrap import Container
from tests.conftest import auth
from tests.e2e.helpers import project_body

HOSTILE_TEXT = "正常\x00文字\x1b\x85"


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _hostile(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value of `schema` at its most hostile: control characters in text, numbers and
    dates far out of range."""
    schema = _resolve(spec, schema)
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _hostile(spec, option)
    kind = schema.get("type")
    if "enum" in schema:
        return HOSTILE_TEXT
    if kind == "object":
        return {name: _hostile(spec, sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_hostile(spec, schema.get("items", {}))]
    if kind == "integer":
        return 10**30
    if kind == "number":
        return "1e30"
    if schema.get("format") == "date":
        return "0001-01-01"
    return HOSTILE_TEXT


def _commands(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path, operations in spec["paths"].items():
        post = operations.get("post")
        body = post and post.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            found.append((path, _hostile(spec, body["schema"])))
    return found


def _path(template: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        template = template.replace("{" + name + "}", value)
    return template.replace("{number}", "1")


def test_a_hostile_run_leaves_every_projection_current_and_every_write_present(
        client: Any, tokens: dict[str, str], container: Container) -> None:
    bureau = auth(tokens["bureau"])
    acknowledged: list[tuple[str, int]] = []
    project = client.post("/api/v1/projects", json=project_body(), headers=bureau)
    acknowledged.append((f"/api/v1/projects/{project.json()['id']}",
                         int(project.headers["X-Ledger-Position"])))
    ids = {"project_id": project.json()["id"], "complaint_id": str(uuid.uuid4()),
           "request_id": str(uuid.uuid4()), "enterprise_id": str(uuid.uuid4())}

    spec = client.get("/openapi.json").json()
    answers = {}
    for template, body in _commands(spec):
        for who in ("bureau", "admin"):
            response = client.post(_path(template, ids), json=body, headers=auth(tokens[who]))
            answers[(template, who)] = response.status_code
    flood = [client.post("/api/v1/public/complaints",
                         json={"category": "other", "content": "某窗口推诿",
                               "respondent_unit": "tcj"})
             for _ in range(40)]
    for response in flood:
        if response.status_code == 201:
            acknowledged.append((f"/api/v1/public/complaints/{response.json()['receipt']}",
                                 int(response.headers["X-Ledger-Position"])))

    assert len(answers) >= 2 * 40, "the commands of the OpenAPI document were not all found"
    served = {k: v for k, v in answers.items() if not 400 <= v < 500}
    assert not served, f"hostile commands answered outside 4xx: {served}"
    assert {r.status_code for r in flood} == {201, 429}
    head = container.ledger.head()
    container.follower.catch_up()
    assert container.follower.failures() == {}
    for name in container.follower.projections:
        assert container.follower.position(name) == head, name
    for path, position in acknowledged:
        assert position <= head
        headers = bureau if path.startswith("/api/v1/projects") else {}
        assert client.get(path, headers=headers).status_code == 200, path
