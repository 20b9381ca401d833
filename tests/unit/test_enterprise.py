"""Enterprise aggregate (企业): registration, details, linked leader (挂钩联系), visits (调研)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from domain.enterprise import EVENT_LABELS, Enterprise, VisitKind
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit

CODE = "91350100M000100Y43"
OTHER_CODE = "914502007982000006"  # not checked here; only its id is compared
REGISTERED_ON = date(2025, 3, 3)
LINKED_ON = date(2025, 3, 10)
CHANGED_ON = date(2025, 6, 1)
VISITED_ON = date(2025, 4, 8)
CONTACT = {"name": "李经理", "phone": "13800138000", "role": "总经理"}


def register(audit: Audit, **overrides: Any) -> Enterprise:
    fields: dict[str, Any] = {
        "name": "柳州某某汽车零部件有限公司",
        "credit_code": CODE,
        "industry": "汽车",
        "county": "liudong",
        "contacts": [CONTACT],
        "on": REGISTERED_ON,
    }
    fields.update(overrides)
    return Enterprise.register(audit=audit, **fields)


@pytest.fixture
def enterprise(audit: Audit) -> Enterprise:
    enterprise = register(audit)
    enterprise.collect_events()
    return enterprise


def event_names(enterprise: Enterprise) -> list[str]:
    return [type(e).__name__ for e in enterprise.collect_events()]


# --- registration -----------------------------------------------------------------------


def test_registration_records_the_details_and_no_leader(audit: Audit) -> None:
    enterprise = register(audit)
    assert enterprise.name == "柳州某某汽车零部件有限公司"
    assert enterprise.credit_code == CODE
    assert enterprise.industry == "汽车"
    assert enterprise.county == "liudong"
    assert enterprise.contacts == [CONTACT]
    assert enterprise.registered_on == REGISTERED_ON
    assert enterprise.leader is None
    assert enterprise.leader_since is None
    assert enterprise.leader_links == []
    assert enterprise.visits == []
    assert event_names(enterprise) == ["Registered"]


def test_the_id_is_derived_from_the_credit_code(audit: Audit) -> None:
    enterprise = register(audit)
    assert enterprise.id == Enterprise.create_id(CODE)
    assert Enterprise.create_id(f" {CODE.lower()} ") == enterprise.id
    assert Enterprise.create_id(OTHER_CODE) != enterprise.id


def test_registering_the_same_credit_code_twice_gives_the_same_id(audit: Audit) -> None:
    first = register(audit)
    second = register(audit, name="另一家公司", credit_code=CODE.lower())
    assert first.id == second.id  # so the second save collides in the event store


def test_registration_normalizes_the_credit_code(audit: Audit) -> None:
    assert register(audit, credit_code=f"  {CODE.lower()} ").credit_code == CODE


def test_registration_refuses_an_invalid_credit_code(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="check character should be 3, got 4"):
        register(audit, credit_code=CODE[:17] + "4")


@pytest.mark.parametrize("field", ["name", "industry", "county"])
def test_registration_refuses_empty_required_fields(audit: Audit, field: str) -> None:
    with pytest.raises(InvalidValue, match=f"{field} must not be empty"):
        register(audit, **{field: "  "})


def test_registration_strips_text(audit: Audit) -> None:
    enterprise = register(audit, name=" 公司A ", county=" yufeng ")
    assert enterprise.name == "公司A"
    assert enterprise.county == "yufeng"


def test_registration_without_contacts_keeps_an_empty_list(audit: Audit) -> None:
    assert register(audit, contacts=None).contacts == []


def test_contacts_are_stripped_and_role_is_optional(audit: Audit) -> None:
    enterprise = register(
        audit, contacts=[{"name": " 张三 ", "phone": " 0772-2821234 ", "role": " "}]
    )
    assert enterprise.contacts == [{"name": "张三", "phone": "0772-2821234", "role": None}]


@pytest.mark.parametrize(
    ("contacts", "message"),
    [
        ([{"name": "张三", "phone": "call me"}], "contact #1 phone must be a phone number"),
        ([{"name": "张三", "phone": "12"}], "contact #1 phone must be a phone number"),
        ([{"name": "", "phone": "13800138000"}], "contact #1 name must not be empty"),
        ([{"name": "张三"}], "contact #1 phone must not be empty"),
        ([{"name": "张三", "phone": "13800138000", "email": "x@y"}], "unknown fields email"),
        ([CONTACT, CONTACT], "contact #2 repeats 李经理"),
        (["张三"], "contact #1 must be an object"),
        ({"name": "张三"}, "contacts must be a list"),
        ([CONTACT] * 21, "at most 20 contacts"),
    ],
)
def test_malformed_contacts_are_refused(audit: Audit, contacts: Any, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        register(audit, contacts=contacts)


# --- revising details -------------------------------------------------------------------


def test_a_revision_applies_and_records_only_the_changed_fields(
    enterprise: Enterprise, audit: Audit
) -> None:
    new_contacts = [{"name": "王五", "phone": "+86 138 0013 8001", "role": None}]
    enterprise.revise(
        {"name": "柳州某某汽车零部件有限公司", "industry": "新能源汽车", "contacts": new_contacts},
        "企业转型", on=CHANGED_ON, audit=audit,
    )
    assert enterprise.industry == "新能源汽车"
    assert enterprise.contacts == new_contacts
    (revised,) = list[Any](enterprise.collect_events())
    assert type(revised).__name__ == "DetailsRevised"
    assert revised.changes == {"industry": "新能源汽车", "contacts": new_contacts}
    assert revised.reason == "企业转型"


@pytest.mark.parametrize("field", ["credit_code", "leader", "visits", "registered_on"])
def test_revising_a_field_that_is_not_revisable_is_invalid(
    enterprise: Enterprise, audit: Audit, field: str
) -> None:
    with pytest.raises(InvalidValue, match=f"cannot revise {field}"):
        enterprise.revise({field: "x"}, None, on=CHANGED_ON, audit=audit)


def test_an_empty_revision_is_invalid(enterprise: Enterprise, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="at least one field"):
        enterprise.revise({}, None, on=CHANGED_ON, audit=audit)


def test_a_revision_that_changes_nothing_is_refused(
    enterprise: Enterprise, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="changes nothing"):
        enterprise.revise({"county": " liudong ", "contacts": [CONTACT]}, None,
                          on=CHANGED_ON, audit=audit)
    assert enterprise.collect_events() == []


def test_a_revision_checks_its_values(enterprise: Enterprise, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="county must not be empty"):
        enterprise.revise({"county": ""}, None, on=CHANGED_ON, audit=audit)
    with pytest.raises(InvalidValue, match="phone must be a phone number"):
        enterprise.revise({"contacts": [{"name": "王五", "phone": "x"}]}, None,
                          on=CHANGED_ON, audit=audit)


def test_a_revision_cannot_be_dated_before_registration(
    enterprise: Enterprise, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="revision date 2025-03-02 is before registration"):
        enterprise.revise({"industry": "机械"}, None, on=date(2025, 3, 2), audit=audit)


# --- 挂钩联系领导 -------------------------------------------------------------------------


def test_linking_a_leader_makes_them_the_current_leader(
    enterprise: Enterprise, audit: Audit
) -> None:
    enterprise.link_leader(" 张副市长 ", None, on=LINKED_ON, audit=audit)
    assert enterprise.leader == "张副市长"
    assert enterprise.leader_since == LINKED_ON
    assert enterprise.leader_links == [
        {"leader": "张副市长", "leader_account": None, "leader_level": None,
         "linked_on": LINKED_ON, "reason": None,
         "unlinked_on": None, "unlink_reason": None}
    ]
    (linked,) = list[Any](enterprise.collect_events())
    assert type(linked).__name__ == "LeaderLinked"
    assert linked.previous_leader is None


def test_linking_another_leader_replaces_the_current_one_and_keeps_history(
    enterprise: Enterprise, audit: Audit
) -> None:
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=audit)
    enterprise.link_leader("李副市长", "分工调整", on=CHANGED_ON, audit=audit)
    assert enterprise.leader == "李副市长"
    assert enterprise.leader_since == CHANGED_ON
    assert [(link["leader"], link["linked_on"], link["unlinked_on"], link["unlink_reason"])
            for link in enterprise.leader_links] == [
        ("张副市长", LINKED_ON, CHANGED_ON, "分工调整"),
        ("李副市长", CHANGED_ON, None, None),
    ]
    events: list[Any] = list(enterprise.collect_events())
    assert events[-1].previous_leader == "张副市长"
    assert events[-1].reason == "分工调整"


def test_linking_the_same_leader_again_is_refused(enterprise: Enterprise, audit: Audit) -> None:
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=audit)
    enterprise.collect_events()
    with pytest.raises(RuleViolation, match="张副市长 is already the linked leader"):
        enterprise.link_leader(" 张副市长", "重复", on=CHANGED_ON, audit=audit)
    assert enterprise.collect_events() == []


def test_linking_requires_a_leader_name(enterprise: Enterprise, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="leader_name must not be empty"):
        enterprise.link_leader(" ", None, on=LINKED_ON, audit=audit)


def test_a_link_cannot_be_dated_before_registration(
    enterprise: Enterprise, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="link date 2025-03-01 is before registration date"):
        enterprise.link_leader("张副市长", None, on=date(2025, 3, 1), audit=audit)


def test_a_change_of_leader_cannot_be_dated_before_the_current_link(
    enterprise: Enterprise, audit: Audit
) -> None:
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=audit)
    with pytest.raises(RuleViolation, match="before current link date 2025-03-10"):
        enterprise.link_leader("李副市长", None, on=date(2025, 3, 9), audit=audit)
    assert enterprise.leader == "张副市长"


def test_unlinking_ends_the_current_link(enterprise: Enterprise, audit: Audit) -> None:
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=audit)
    enterprise.unlink_leader("企业迁出", on=CHANGED_ON, audit=audit)
    assert enterprise.leader is None
    assert enterprise.leader_since is None
    assert enterprise.leader_links[0]["unlinked_on"] == CHANGED_ON
    assert enterprise.leader_links[0]["unlink_reason"] == "企业迁出"
    assert event_names(enterprise)[-1] == "LeaderUnlinked"


def test_a_leader_can_be_linked_again_after_unlinking(
    enterprise: Enterprise, audit: Audit
) -> None:
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=audit)
    enterprise.unlink_leader("调整", on=LINKED_ON, audit=audit)
    enterprise.link_leader("张副市长", None, on=CHANGED_ON, audit=audit)
    assert enterprise.leader == "张副市长"
    assert len(enterprise.leader_links) == 2


def test_unlinking_without_a_linked_leader_is_refused(
    enterprise: Enterprise, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="no linked leader"):
        enterprise.unlink_leader("调整", on=CHANGED_ON, audit=audit)


def test_unlinking_requires_a_reason(enterprise: Enterprise, audit: Audit) -> None:
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=audit)
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        enterprise.unlink_leader("", on=CHANGED_ON, audit=audit)
    assert enterprise.leader == "张副市长"


def test_unlinking_cannot_be_dated_before_the_link(enterprise: Enterprise, audit: Audit) -> None:
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=audit)
    with pytest.raises(RuleViolation, match="unlink date 2025-03-09 is before current link"):
        enterprise.unlink_leader("调整", on=date(2025, 3, 9), audit=audit)


# --- 调研 / 座谈 --------------------------------------------------------------------------


def test_visits_are_numbered_from_one_and_recorded(enterprise: Enterprise, audit: Audit) -> None:
    first = enterprise.record_visit(VISITED_ON, "visit", " 张副市长 ", " 了解用工情况 ",
                                    ["R-2025-001", " R-2025-002 "], audit=audit)
    second = enterprise.record_visit(date(2025, 3, 20), VisitKind.forum, "gxj", "座谈", None,
                                     audit=audit)
    assert (first, second) == (1, 2)
    assert enterprise.visits == [
        {"number": 1, "date": VISITED_ON, "kind": "visit", "hosted_by": "张副市长",
         "notes": "了解用工情况", "request_numbers": ["R-2025-001", "R-2025-002"]},
        {"number": 2, "date": date(2025, 3, 20), "kind": "forum", "hosted_by": "gxj",
         "notes": "座谈", "request_numbers": []},
    ]
    assert type(enterprise.visits[1]["kind"]) is str
    assert event_names(enterprise) == ["VisitRecorded", "VisitRecorded"]


def test_a_visit_of_an_unknown_kind_is_invalid(enterprise: Enterprise, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match=re.escape(
            "kind must be one of visit (调研), forum (座谈); got 'dinner'")):
        enterprise.record_visit(VISITED_ON, "dinner", "张副市长", "x", None, audit=audit)


@pytest.mark.parametrize(("field", "args"), [
    ("hosted_by", ("", "了解情况")),
    ("notes", ("张副市长", "  ")),
])
def test_a_visit_requires_host_and_notes(
    enterprise: Enterprise, audit: Audit, field: str, args: tuple[str, str]
) -> None:
    with pytest.raises(InvalidValue, match=f"{field} must not be empty"):
        enterprise.record_visit(VISITED_ON, "visit", *args, None, audit=audit)


def test_a_visit_date_must_be_a_date(enterprise: Enterprise, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="visit date must be a date"):
        enterprise.record_visit(datetime(2025, 4, 8, 9), "visit", "张副市长", "x", None,
                                audit=audit)


def test_a_visit_may_be_dated_before_the_enterprise_was_entered(
    enterprise: Enterprise, audit: Audit
) -> None:
    """Entry in the system is a record-keeping date, not a business fact."""
    number = enterprise.record_visit(date(2025, 3, 2), "visit", "张副市长", "x", None,
                                     audit=audit)
    assert (number, enterprise.visits[0]["date"]) == (1, date(2025, 3, 2))


@pytest.mark.parametrize(("numbers", "message"), [
    (["R-1", "R-1"], "request number R-1 is listed twice"),
    (["R-1", " "], "request number must not be empty"),
    ("R-1", "request_numbers must be a list"),
])
def test_malformed_request_numbers_are_refused(
    enterprise: Enterprise, audit: Audit, numbers: Any, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        enterprise.record_visit(VISITED_ON, "visit", "张副市长", "x", numbers, audit=audit)


def test_visit_kinds_have_labels() -> None:
    assert VisitKind.labels() == {"visit": "调研", "forum": "座谈"}
    assert set(VisitKind.labels()) == {k.value for k in VisitKind}


# --- audit, labels and replay -----------------------------------------------------------


def run_lifecycle(make_audit: Callable[..., Audit]) -> tuple[Enterprise, list[Audit]]:
    audits: list[Audit] = []

    def next_audit() -> Audit:
        audits.append(make_audit(f"req-{len(audits) + 1}"))
        return audits[-1]

    enterprise = register(next_audit())
    enterprise.revise({"industry": "新能源汽车"}, None, on=LINKED_ON, audit=next_audit())
    enterprise.link_leader("张副市长", None, on=LINKED_ON, audit=next_audit())
    enterprise.record_visit(VISITED_ON, "visit", "张副市长", "了解用工", ["R-1"],
                            audit=next_audit())
    enterprise.link_leader("李副市长", "分工调整", on=CHANGED_ON, audit=next_audit())
    enterprise.unlink_leader("企业迁出", on=date(2025, 9, 1), audit=next_audit())
    enterprise.record_visit(date(2025, 5, 6), "forum", "tcj", "座谈会", None,
                            audit=next_audit())
    enterprise.designate_key(2025, "市重点企业", on=CHANGED_ON, audit=next_audit())
    enterprise.designate_key(2026, "市重点企业", on=CHANGED_ON, audit=next_audit())
    enterprise.drop_key(2025, "名单调整", on=date(2025, 9, 2), audit=next_audit())
    return enterprise, audits


def test_every_event_carries_the_audit_passed_in(make_audit: Callable[..., Audit]) -> None:
    enterprise, audits = run_lifecycle(make_audit)
    events: list[Any] = list(enterprise.collect_events())
    assert len(events) == len(audits) == 10
    assert [e.audit for e in events] == audits


def test_every_recorded_event_has_a_label(make_audit: Callable[..., Audit]) -> None:
    enterprise, _ = run_lifecycle(make_audit)
    assert {type(e).__name__ for e in enterprise.collect_events()} == set(EVENT_LABELS)


STATE_FIELDS = ("id", "version", "name", "credit_code", "industry", "county", "contacts",
                "registered_on", "leader", "leader_level", "leader_since", "leader_links",
                "visits", "key_years")


def test_replaying_the_events_reproduces_the_same_state(
    make_audit: Callable[..., Audit]
) -> None:
    enterprise, _ = run_lifecycle(make_audit)
    events: list[Any] = list(enterprise.collect_events())
    copy: Any = None
    for e in events:
        copy = e.mutate(copy)
    assert isinstance(copy, Enterprise)
    assert copy is not enterprise
    for field in STATE_FIELDS:
        assert getattr(copy, field) == getattr(enterprise, field), field
    assert copy.industry == "新能源汽车"
    assert copy.leader is None
    assert [link["leader"] for link in copy.leader_links] == ["张副市长", "李副市长"]
    assert [v["number"] for v in copy.visits] == [1, 2]
    assert copy.key_years == [2026]
