"""The web console: served without a token, self-contained, and calling only real API paths."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

TABS = ["项目台账", "投诉台账", "诉求台账", "督查督办", "统计"]
SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
API_LITERAL = re.compile(r"""['"`](/api/v1/[^'"`?#\s]*)['"`]""")
PARAM = re.compile(r"\{[^}/]*\}")
# Anything fetched from elsewhere: <script src>, <link href>, CSS url()/@import, absolute or
# protocol-relative.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*['"]?\s*(?:https?:)?//"""
                      r"""|url\(\s*['"]?\s*(?:https?:)?//|@import""", re.IGNORECASE)


def _page(client: Any) -> str:
    response = client.get("/console")
    assert response.status_code == 200
    return str(response.text)


def _script(client: Any) -> str:
    scripts = SCRIPT.findall(_page(client))
    assert len(scripts) == 1
    return str(scripts[0])


def test_console_is_served_without_a_token(client: Any) -> None:
    response = client.get("/console")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for label in TABS:
        assert label in response.text
    assert not EXTERNAL.search(response.text)
    assert not re.search(r"<script[^>]*\ssrc=", response.text, re.IGNORECASE)
    assert not re.search(r"<link[^>]*stylesheet", response.text, re.IGNORECASE)


def test_root_redirects_to_the_console(client: Any) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 303, 307)
    assert response.headers["location"] == "/console"
    assert client.get("/").url.path == "/console"


def test_console_calls_only_paths_of_the_api(client: Any) -> None:
    def normal(path: str) -> str:
        return PARAM.sub("{}", path.rstrip("/"))

    known = {normal(p) for p in client.app.openapi()["paths"]}
    used = {normal(p) for p in API_LITERAL.findall(_script(client))}
    assert {"/api/v1/ledgers/projects", "/api/v1/ledgers/complaints", "/api/v1/ledgers/requests",
            "/api/v1/supervision/overdue", "/api/v1/stats/complaints", "/api/v1/stats/units",
            "/api/v1/stats/requests", "/api/v1/projects/{}/history",
            "/api/v1/complaints/{}/history", "/api/v1/requests/{}/history"} <= used
    assert used - known == set()


def test_console_inserts_data_as_text_only(client: Any) -> None:
    script = _script(client)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert "sessionStorage" in script and "localStorage" not in script


def test_console_policy_allows_only_its_own_inline_code(client: Any) -> None:
    response = client.get("/console")
    csp = response.headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(_script(client).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "/console" not in client.app.openapi()["paths"]
