"""Who may do what with complaints, and who sees the complainant's contact details.

bureau accepts, declines and assigns; only the assigned unit acknowledges, returns, replies and
asks for extensions; supervisor decides extensions, urges, records the callback and closes;
an enterprise files and follows its own complaints; contact details only for bureau and
supervisor.
"""

from __future__ import annotations

from typing import Any

from api.bootstrap import Container
from application.context import SYSTEM
from domain.credit_code import complete_credit_code
from tests.conftest import ROLE_ACCOUNTS
from tests.e2e.complaints import (
    ACCEPTED_ON,
    ASSIGNED_ON,
    CALLBACK_ON,
    EXTENSION_ON,
    PERSON,
    REPLIED_ON,
    ComplaintApi,
    assert_unchanged,
)
from tests.e2e.helpers import Api, assert_problem

ENTERPRISE_CODE = ROLE_ACCOUNTS["enterprise"][2]


def _refused(complaints: ComplaintApi, complaint: dict[str, Any], whos: list[str],
             steps: list[tuple[str, dict[str, Any]]]) -> dict[tuple[str, str], int]:
    """Status code of each (who, action) attempt on `complaint`, sent with its version."""
    return {(who, action): complaints.post(who, complaint["id"], action, body,
                                           version=complaint["version"]).status_code
            for who in whos for action, body in steps}


# --- steps ----------------------------------------------------------------------------------


def test_only_bureau_and_admin_accept_decline_and_assign(
    complaints: ComplaintApi, api: Api,
) -> None:
    received = complaints.given("received")
    accepted = complaints.given("accepted")
    others = ["unit", "other_unit", "leader", "supervisor", "park_office", "agent",
              "enterprise"]

    on_received = _refused(complaints, received, others,
                           [("accept", {"on": ACCEPTED_ON}),
                            ("decline", {"reason": "不予受理", "on": ACCEPTED_ON})])
    on_accepted = _refused(complaints, accepted, others,
                           [("assign", {"unit": "liudong", "on": ASSIGNED_ON})])

    assert on_received == dict.fromkeys(on_received, 403)
    assert on_accepted == dict.fromkeys(on_accepted, 403)
    assert_problem(complaints.post("supervisor", received["id"], "accept"), 403)
    assert_unchanged(complaints, api, accepted)
    assert complaints.state(received["id"])["version"] == 1
    assert complaints.do("bureau", received["id"], "accept", {"on": ACCEPTED_ON})["version"] == 2
    assert complaints.do("admin", accepted["id"], "assign",
                         {"unit": "liudong", "on": ASSIGNED_ON})["version"] == 3


def test_only_the_assigned_unit_acknowledges_returns_and_asks_for_an_extension(
    complaints: ComplaintApi, api: Api,
) -> None:
    assigned = complaints.given("assigned")
    steps = [("acknowledge", {"on": ASSIGNED_ON}),
             ("request-extension", {"reason": "需延期", "until": "2025-12-31",
                                    "on": EXTENSION_ON}),
             ("return", {"reason": "不属于本单位", "on": EXTENSION_ON})]

    outcomes = _refused(complaints, assigned, ["other_unit", "bureau", "supervisor", "leader",
                                               "admin", "enterprise"], steps)

    assert outcomes == dict.fromkeys(outcomes, 403)
    problem = assert_problem(complaints.post("other_unit", assigned["id"], "acknowledge"), 403)
    assert "柳江区" in problem["detail"] and "责任单位" in problem["detail"]
    assert_unchanged(complaints, api, assigned)
    for action, body in steps:
        assert complaints.post("unit", assigned["id"], action, body).status_code == 200, action


def test_only_the_assigned_unit_replies(complaints: ComplaintApi, api: Api) -> None:
    acknowledged = complaints.given("acknowledged")
    reply = [("reply", {"text": "已办理", "on": REPLIED_ON})]

    outcomes = _refused(complaints, acknowledged,
                        ["other_unit", "bureau", "supervisor", "leader", "admin"], reply)

    assert outcomes == dict.fromkeys(outcomes, 403)
    assert_unchanged(complaints, api, acknowledged)
    assert complaints.do("unit", acknowledged["id"], *reply[0])["status"] == "replied"


def test_a_unit_loses_the_steps_of_a_case_reassigned_away_from_it(
    complaints: ComplaintApi,
) -> None:
    cid = complaints.given("assigned")["id"]
    complaints.do("unit", cid, "return", {"reason": "属柳江区管辖", "on": "2025-10-09"})
    reassigned = complaints.do("bureau", cid, "assign", {"unit": "liujiang",
                                                         "on": "2025-10-10"})

    refused = complaints.post("unit", cid, "acknowledge", {"on": "2025-10-10"},
                              version=reassigned["version"])

    assert_problem(refused, 403)
    assert complaints.do("other_unit", cid, "acknowledge", {"on": "2025-10-10"})["version"] == 6


def test_only_supervisor_and_admin_decide_extensions(complaints: ComplaintApi, api: Api) -> None:
    pending = complaints.given("extension_pending")
    steps = [("approve-extension", {"on": "2025-10-21"}),
             ("refuse-extension", {"reason": "不同意", "on": "2025-10-21"})]

    outcomes = _refused(complaints, pending, ["bureau", "unit", "other_unit", "leader",
                                              "enterprise"], steps)

    assert outcomes == dict.fromkeys(outcomes, 403)
    assert_unchanged(complaints, api, pending)
    assert complaints.do("supervisor", pending["id"], *steps[0])["extended_due"] == "2025-11-14"


def test_only_supervisor_and_admin_urge_call_back_and_close(
    complaints: ComplaintApi, api: Api,
) -> None:
    replied = complaints.given("replied")
    callback = ("callback", {"satisfaction": "satisfied", "on": CALLBACK_ON})
    urge = ("urge", {"text": "请跟进", "on": CALLBACK_ON})
    close = ("close", {"on": CALLBACK_ON})
    others = ["bureau", "unit", "leader", "enterprise", "park_office"]

    outcomes = _refused(complaints, replied, others, [callback, urge])

    assert outcomes == dict.fromkeys(outcomes, 403)
    assert_unchanged(complaints, api, replied)
    assert complaints.do("supervisor", replied["id"], *callback)["status"] == "called_back"
    urged = complaints.do("admin", replied["id"], *urge)
    assert urged["urge_count"] == 1
    closing = _refused(complaints, urged, others, [close])
    assert closing == dict.fromkeys(closing, 403)
    assert_unchanged(complaints, api, urged)
    assert complaints.do("supervisor", replied["id"], *close)["status"] == "closed"


# --- filing and reading ---------------------------------------------------------------------


def test_units_leaders_and_park_staff_cannot_file_complaints(
    complaints: ComplaintApi, api: Api,
) -> None:
    filed = complaints.create()

    statuses = {who: complaints.file(who).status_code
                for who in ("unit", "other_unit", "leader", "park_office", "agent")}

    assert statuses == dict.fromkeys(statuses, 403)
    api.assert_log_head(filed["_position"])
    assert complaints.file("supervisor").status_code == 201


def test_an_enterprise_files_its_own_complaint_under_its_credit_code(
    complaints: ComplaintApi,
) -> None:
    filed = complaints.create("enterprise", channel="website", category="fees_and_fines")

    state = complaints.state(filed["id"], who="enterprise")

    assert filed["filed_by_enterprise"] == ENTERPRISE_CODE
    assert state["filed_by_enterprise"] == ENTERPRISE_CODE
    assert state["status"] == "received"
    assert complaints.history(filed["id"], who="enterprise")[0]["actor"]["role"] == "enterprise"
    assert complaints.state(filed["id"], who="bureau")["filed_by_enterprise"] == ENTERPRISE_CODE


def test_an_enterprise_reads_only_its_own_complaints(
    complaints: ComplaintApi, container: Container,
) -> None:
    code = complete_credit_code("91450200MA5KYYYY")
    complaints.tokens["another_enterprise"] = container.accounts.add(
        SYSTEM, "另一企业", "enterprise", None, code).token
    staff_filed = complaints.create("bureau")
    own = complaints.create("enterprise")
    theirs = complaints.create("another_enterprise")

    assert theirs["filed_by_enterprise"] == code
    assert staff_filed["filed_by_enterprise"] is None
    for other in (staff_filed, theirs):
        assert_problem(complaints.get("enterprise", other["id"]), 403)
        assert_problem(complaints.get_history("enterprise", other["id"]), 403)
    assert_problem(complaints.get("another_enterprise", own["id"]), 403)
    assert complaints.get("enterprise", own["id"]).status_code == 200
    assert complaints.get("another_enterprise", theirs["id"]).status_code == 200


def test_an_enterprise_keeps_following_its_complaint_through_handling(
    complaints: ComplaintApi,
) -> None:
    cid = complaints.create("enterprise")["id"]
    complaints.advance(cid, "replied")

    state = complaints.state(cid, who="enterprise")

    assert (state["status"], state["reply_text"]) == ("replied", "已协调审批局加快办理")
    assert_problem(complaints.post("enterprise", cid, "callback",
                                   {"satisfaction": "satisfied", "on": CALLBACK_ON}), 403)
    declined = complaints.create("enterprise")["id"]
    complaints.do("bureau", declined, "decline", {"reason": "不属于受理范围", "on": ACCEPTED_ON})
    state = complaints.state(declined, who="enterprise")
    assert (state["status"], state["decline_reason"]) == ("declined", "不属于受理范围")


def test_park_office_and_agent_cannot_read_complaints(complaints: ComplaintApi) -> None:
    cid = complaints.create()["id"]

    for who in ("park_office", "agent"):
        assert "read complaints" in assert_problem(complaints.get(who, cid), 403)["detail"]
        assert_problem(complaints.get_history(who, cid), 403)
        assert_problem(complaints.get(who, cid, as_of_version=1), 403)


def test_a_unit_reads_only_complaints_assigned_to_it_and_leaders_read_all(
    complaints: ComplaintApi,
) -> None:
    cid = complaints.create(respondent_unit="liudong")["id"]

    before = complaints.get("unit", cid)
    complaints.advance(cid, "assigned")

    assert_problem(before, 403)
    assert complaints.get("unit", cid).status_code == 200
    assert complaints.get_history("unit", cid).status_code == 200
    assert_problem(complaints.get("other_unit", cid), 403)
    assert_problem(complaints.get_history("other_unit", cid), 403)
    assert complaints.get("leader", cid).status_code == 200


# --- personal data --------------------------------------------------------------------------


def _no_personal_data(text: str) -> bool:
    return not any(value in text for value in PERSON.values())


def test_complainant_details_are_shown_to_bureau_and_supervisor_only(
    complaints: ComplaintApi,
) -> None:
    cid = complaints.given("assigned")["id"]

    for who in ("bureau", "supervisor"):
        state = complaints.get(who, cid)
        history = complaints.get_history(who, cid)
        assert state.json()["complainant"] == PERSON, who
        assert history.json()[0]["data"]["complainant"] == PERSON, who
        assert all(value in state.text for value in PERSON.values()), who  # the check below works
    for who in ("leader", "unit", "admin"):
        state = complaints.get(who, cid)
        old = complaints.get(who, cid, as_of_version=1)
        history = complaints.get_history(who, cid)
        assert state.status_code == old.status_code == history.status_code == 200, who
        assert state.json()["complainant"] is None, who
        assert state.json()["anonymous"] is False, who
        assert old.json()["complainant"] is None, who
        assert history.json()[0]["data"]["complainant"] is None, who
        for response in (state, old, history):
            assert _no_personal_data(response.text), (who, response.url)
    acknowledged = complaints.post("unit", cid, "acknowledge", {"on": ASSIGNED_ON})
    assert acknowledged.json()["complainant"] is None
    assert _no_personal_data(acknowledged.text)
    urged = complaints.post("supervisor", cid, "urge", {"text": "请跟进", "on": ASSIGNED_ON})
    assert urged.json()["complainant"] == PERSON


def test_an_enterprise_sees_no_contact_details_even_on_its_own_complaint(
    complaints: ComplaintApi,
) -> None:
    filed = complaints.file("enterprise")

    state = complaints.get("enterprise", filed.json()["id"])
    history = complaints.get_history("enterprise", filed.json()["id"])

    assert filed.status_code == 201
    assert filed.json()["complainant"] is None
    assert state.json()["complainant"] is None
    assert history.json()[0]["data"]["complainant"] is None
    for response in (filed, state, history):
        assert _no_personal_data(response.text)
    assert complaints.state(filed.json()["id"], who="supervisor")["complainant"] == PERSON
