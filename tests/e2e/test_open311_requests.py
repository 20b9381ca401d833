"""Filing and reading back Open311 service requests: public and with an api_key, refusals
as Open311 error documents, and the round trip through the staff API."""

from __future__ import annotations

from typing import Any

from api.bootstrap import Container
from tests.conftest import auth
from tests.e2e.open311 import (
    BASE,
    BUREAU_NAME,
    CONTENT,
    EMAIL,
    LIUDONG_NAME,
    NAME_FIRST,
    NAME_LAST,
    PHONE,
    assert_open311_error,
    complaint_path,
    created,
    file_request,
    read_json,
    read_xml,
    state,
    step,
)

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
    assert container.ledger.head() == head


def test_without_api_key_the_search_answers_the_public_view(
    client: Any, tokens: dict[str, str], container: Container,
) -> None:
    """Clients that cannot send api_key on GET (the georeport package) still list requests:
    status, service, dates and agency, never the description or who complained."""
    filed = file_request(client, "json", description="窗口推诿扯皮", first_name="三",
                         last_name="张", phone="13800000000")
    receipt = filed.json()[0]["service_request_id"]

    public = client.get(f"{BASE}/requests.json",
                        params={"min_position": filed.headers["X-Ledger-Position"]})
    staff = client.get(f"{BASE}/requests.json", params={"api_key": tokens["bureau"]})

    assert public.status_code == 200, public.text
    (element,) = public.json()
    assert (element["service_request_id"], element["status"]) == (receipt, "open")
    assert not element["description"]
    for text in ("窗口推诿扯皮", "13800000000", "张三"):
        assert text not in public.text
    assert "窗口推诿扯皮" in staff.text


def test_a_setting_turns_the_public_search_off(client: Any, container: Container) -> None:
    container.settings = container.settings.model_copy(update={"open311_public_search": False})

    description = assert_open311_error(client.get(f"{BASE}/requests.xml"), 403)

    assert "api_key" in description


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
