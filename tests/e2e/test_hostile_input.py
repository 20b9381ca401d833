"""Hostile and extreme input gets a clear 4xx and changes nothing (issue: Step 5)."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.e2e.helpers import assert_problem

COMPLAINT = {"channel": "hotline", "category": "approval_service", "content": "施工许可审批超时",
             "respondent_unit": "xzspj", "anonymous": True}


def test_a_business_date_before_the_earliest_one_is_refused(client: Any,
                                                            tokens: dict[str, str]) -> None:
    """Ten complaints dated 0001-01-01 once made the supervision view count working days over
    740,000 days on every read; such a date is now refused and nothing is recorded."""
    head = client.get("/api/v1/audit/journal", headers=auth(tokens["admin"])).json()

    response = client.post("/api/v1/complaints", json={**COMPLAINT, "received_on": "0001-01-01"},
                           headers=auth(tokens["bureau"]))

    detail = assert_problem(response, 422)["detail"]
    assert "received_on 0001-01-01" in detail and "1990-01-01" in detail
    assert client.get("/api/v1/audit/journal", headers=auth(tokens["admin"])).json() == head


def test_open311_dates_at_the_edge_of_time_are_a_400_not_a_500(client: Any,
                                                                tokens: dict[str, str]) -> None:
    for moment in ("9999-12-31T12:00:00+08:00", "0001-01-01T00:00:00+14:00"):
        response = client.get("/open311/v2/requests.json",
                              params={"api_key": tokens["bureau"], "start_date": moment})

        assert response.status_code == 400, response.text
        assert "start_date" in response.json()[0]["description"]


def test_a_journal_position_past_any_log_is_a_422(client: Any, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/audit/journal", params={"after": 2**63 - 1},
                          headers=auth(tokens["admin"]))

    assert "after" in assert_problem(response, 422)["detail"]


def test_an_if_match_of_thousands_of_digits_is_a_422(client: Any,
                                                     tokens: dict[str, str]) -> None:
    filed = client.post("/api/v1/complaints", json=COMPLAINT, headers=auth(tokens["bureau"]))
    assert filed.status_code == 201, filed.text

    response = client.post(f"/api/v1/complaints/{filed.json()['id']}/accept",
                           headers={**auth(tokens["bureau"]), "If-Match": '"' + "9" * 5000 + '"'})

    assert "If-Match" in assert_problem(response, 422)["detail"]


def test_amounts_are_bounded_so_ledger_sums_stay_exact(client: Any,
                                                       tokens: dict[str, str]) -> None:
    body = {"name": "巨额项目", "investor": "某公司", "industry": "汽车", "county": "liudong",
            "responsible_unit": "liudong", "total_investment": "999999999999.9999"}

    response = client.post("/api/v1/projects", json=body, headers=auth(tokens["bureau"]))

    assert "total_investment" in assert_problem(response, 422)["detail"]


def _head(client: Any, tokens: dict[str, str]) -> Any:
    return client.get("/api/v1/audit/journal", headers=auth(tokens["admin"])).json()


def test_a_nul_or_control_character_in_a_text_field_is_a_422_naming_it(
        client: Any, tokens: dict[str, str]) -> None:
    head = _head(client, tokens)
    for text in ("a\x00b", "a\x1bb", "a\x85b"):
        response = client.post("/api/v1/complaints", json={**COMPLAINT, "content": text},
                               headers=auth(tokens["bureau"]))

        assert "content contains the control character" in \
            assert_problem(response, 422)["detail"]
    assert _head(client, tokens) == head
    fine = client.post("/api/v1/complaints", json={**COMPLAINT, "content": "第一行\n\t第二行\r\n"},
                       headers=auth(tokens["bureau"]))
    assert fine.status_code == 201, fine.text


def test_a_control_character_in_a_path_or_query_is_a_422_not_a_500(
        client: Any, tokens: dict[str, str]) -> None:
    for path in ("/api/v1/ledgers/projects?county=%00", "/api/v1/ledgers/complaints?unit=a%01",
                 "/api/v1/public/complaints/TS%00"):
        response = client.get(path, headers=auth(tokens["bureau"]))

        assert "control character" in assert_problem(response, 422)["detail"]
    open311 = client.get("/open311/v2/requests.json?service_code=%00")
    assert open311.status_code == 400
    assert "control character" in open311.json()[0]["description"]


def test_open311_xml_stays_well_formed_for_text_stored_before_the_rule(
        client: Any, container: Any) -> None:
    import xml.etree.ElementTree as ET
    from datetime import date

    from application.context import SYSTEM
    from domain.complaint import Complaint

    old = Complaint(channel="website", category="other", content="旧数据\x01\x02\x0b\x1b",
                    respondent_unit="tcj", complainant=None, filed_by_enterprise=None,
                    receipt="TS23456789ABCD",
                    acceptance_deadline=container.calendar.add_working_days(date(2025, 5, 6), 3),
                    on=date(2025, 5, 6), audit=SYSTEM.audit())
    container.store.save(old)

    response = client.get("/open311/v2/requests/TS23456789ABCD.xml")

    assert response.status_code == 200
    ET.fromstring(response.content)  # parses: no control character reached the XML


def test_a_body_over_the_limit_is_a_413(client: Any, tokens: dict[str, str]) -> None:
    big = {**COMPLAINT, "content": "审" * 400_000}  # about 1.2 MB of UTF-8

    response = client.post("/api/v1/complaints", json=big, headers=auth(tokens["bureau"]))

    assert_problem(response, 413)
    chunked = client.post("/api/v1/complaints", content=iter([b"{" + b" " * 1_100_000 + b"}"]),
                          headers={**auth(tokens["bureau"]),
                                   "Content-Type": "application/json"})
    assert_problem(chunked, 413)


def test_answers_are_not_sniffed_or_cached_and_the_docs_need_no_cdn(client: Any,
                                                                     tokens: dict[str, str]
                                                                     ) -> None:
    answer = client.get("/api/v1/units", headers=auth(tokens["bureau"]))
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == "no-store"

    for page in ("/docs", "/redoc"):
        docs = client.get(page)
        assert docs.status_code == 200
        assert "script-src 'self'" in docs.headers["Content-Security-Policy"]
        assert "cdn" not in docs.text.lower() and "https://" not in docs.text.split("<body")[0]


def test_public_filings_past_the_rate_are_a_429_with_retry_after(container: Any) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    container.settings = container.settings.model_copy(update={"public_filing_rate": "3/minute"})
    body = {"category": "other", "content": "某窗口推诿", "respondent_unit": "tcj"}
    with TestClient(create_app(container)) as client:
        answers = [client.post("/api/v1/public/complaints", json=body).status_code
                   for _ in range(3)]
        refused = client.post("/api/v1/public/complaints", json=body)
        open311 = client.post("/open311/v2/requests.json",
                              data={"service_code": "other", "description": "某窗口推诿"})

    assert answers == [201, 201, 201]
    assert_problem(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert open311.status_code == 429 and int(open311.headers["Retry-After"]) >= 1
    assert open311.json()[0]["code"] == 429


def test_receipt_look_ups_past_the_rate_are_a_429(container: Any) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    container.settings = container.settings.model_copy(update={"public_lookup_rate": "2/minute"})
    with TestClient(create_app(container)) as client:
        looked = [client.get("/api/v1/public/complaints/TS23456789ABCD").status_code
                  for _ in range(2)]
        refused = client.get("/api/v1/public/complaints/TS23456789ABCD")

    assert looked == [404, 404]
    assert_problem(refused, 429)
