"""Access logs never hold a bearer token or a receipt code: Open311 takes `api_key` in the
query string and the public follows complaints by receipt code, so uvicorn would log both."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.bootstrap import Container
from api.logs import redact


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def server(container: Container) -> Iterator[tuple[str, Lines]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port,
                            log_level="info", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert running.started, "uvicorn did not start"
    lines = Lines()
    logging.getLogger("uvicorn.access").addHandler(lines)
    try:
        yield f"http://127.0.0.1:{port}", lines
    finally:
        logging.getLogger("uvicorn.access").removeHandler(lines)
        running.should_exit = True
        thread.join(timeout=10)


def test_open311_calls_leave_no_token_or_receipt_code_in_the_access_log(
        server: tuple[str, Lines], tokens: dict[str, str]) -> None:
    base, lines = server
    token = tokens["bureau"]
    with httpx.Client(base_url=base, timeout=10) as http:
        filed = http.post("/open311/v2/requests.json", data={
            "service_code": "approval_service", "description": "审批超时"})
        assert filed.status_code == 201, filed.text
        receipt = filed.json()[0]["service_request_id"]
        assert http.get(f"/open311/v2/requests/{receipt}.json",
                        params={"api_key": token}).status_code == 200
        assert http.get("/open311/v2/requests.json",
                        params={"api_key": token, "service_request_id": receipt}
                        ).status_code == 200
        assert http.get(f"/api/v1/public/complaints/{receipt}").status_code == 200
    time.sleep(0.2)  # the access log is written after the response

    logged = "\n".join(lines.lines)
    assert "/open311/v2/requests" in logged and "api_key=[redacted]" in logged
    assert token not in logged and token[3:] not in logged
    assert receipt not in logged


@pytest.mark.parametrize(("line", "expected"), [
    ("GET /open311/v2/requests.xml?api_key=il_abcDEF123_-xyz&status=open",
     "GET /open311/v2/requests.xml?api_key=[redacted]&status=open"),
    ("Authorization: Bearer il_abcDEF123_-xyz", "Authorization: Bearer il_[redacted]"),
    ("GET /api/v1/public/complaints/TS23456789ABCD", "GET /api/v1/public/complaints/TS[redacted]"),
])
def test_redact_masks_tokens_and_receipt_codes(line: str, expected: Any) -> None:
    assert redact(line) == expected
