"""企业: an enterprise the government serves, its linked leader (挂钩联系) and visits (调研)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import partial
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.credit_code import normalize_credit_code, require_credit_code
from domain.errors import InvalidValue, RuleViolation
from domain.key_list import KEY_ENTERPRISES, Designated, Dropped, designated, dropped
from domain.shared import (
    MAX_NAME,
    Audit,
    Checker,
    Labelled,
    Revised,
    check_revision,
    distinct_texts,
    optional_text,
    require_changes,
    require_day,
    require_list,
    require_not_before,
    require_text,
    revised,
)

_ENTERPRISE_NAMESPACE = uuid5(NAMESPACE_URL, "https://investledger/enterprise")
MAX_CONTACTS = 20
MAX_REQUEST_NUMBERS = 50
# Mobile (13800138000), landline with area code (0772-2821234), optional +86.
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


class LeaderLevel(Labelled):
    """The level of a linked leader (挂钩联系领导): of the city, or of a county or zone."""

    city = "city", "市级"
    county = "county", "县区级"


class VisitKind(Labelled):
    """How an enterprise was met."""

    visit = "visit", "调研"  # a leader or unit visits the enterprise
    forum = "forum", "座谈"  # the enterprise attends a forum




def check_contacts(contacts: Sequence[Mapping[str, Any]] | None,
                   field: str = "contacts") -> list[dict[str, Any]]:
    """Contact people as stored: [{name, phone, role}], role optional, no duplicates.

    Contacts are personal data; they are kept only on the enterprise aggregate.
    """
    listed = require_list(contacts, field, item="contact", kind="{name, phone, role}",
                          most=MAX_CONTACTS)
    checked: list[dict[str, Any]] = []
    for index, contact in enumerate(listed, start=1):
        if not isinstance(contact, Mapping):
            msg = (f"contact #{index} must be an object with name, phone and role / "
                   f"第{index}个联系人须含姓名、电话和职务")
            raise InvalidValue(msg)
        unknown = sorted(set(contact) - {"name", "phone", "role"})
        if unknown:
            msg = (f"contact #{index} has unknown fields {', '.join(unknown)} / "
                   f"第{index}个联系人含未知字段")
            raise InvalidValue(msg)
        phone = require_text(contact.get("phone"), f"contact #{index} phone", limit=20)
        if not PHONE_PATTERN.match(phone):
            msg = (f"contact #{index} phone must be a phone number such as 13800138000 or "
                   f"0772-2821234, got {phone!r} / 第{index}个联系人的电话号码格式不正确")
            raise InvalidValue(msg)
        entry = {
            "name": require_text(contact.get("name"), f"contact #{index} name", limit=60),
            "phone": phone,
            "role": optional_text(contact.get("role"), f"contact #{index} role", limit=60),
        }
        if any(c["name"] == entry["name"] and c["phone"] == phone for c in checked):
            msg = (f"contact #{index} repeats {entry['name']} ({phone}) / "
                   f"第{index}个联系人重复")
            raise InvalidValue(msg)
        checked.append(entry)
    return checked


REVISABLE: Mapping[str, Checker] = {
    "name": partial(require_text, limit=MAX_NAME),
    "industry": partial(require_text, limit=60),
    "county": partial(require_text, limit=40),
    "contacts": check_contacts,
}
"""The fields `revise` may change, each with its check; registration checks them by the same
rules. The credit code is the enterprise's identity and never changes."""


class Enterprise(Aggregate):
    """企业: one enterprise per credit code, its linked leader and the visits it received.

    Version 2 of the state names the linked leader's account (`leader_account`) beside the
    display name: permission follows the account, never the name. Version 3 adds the
    leader's level (`leader_level`, none on snapshots taken before) and the years the
    enterprise is a key enterprise (`key_years`, 重点企业)."""

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state.setdefault("leader_account", None)
        for link in state.get("leader_links", ()):
            link.setdefault("leader_account", None)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state.setdefault("leader_level", None)
        for link in state.get("leader_links", ()):
            link.setdefault("leader_level", None)
        state.setdefault("key_years", [])

    @staticmethod
    def create_id(credit_code: str) -> UUID:
        """One credit code, one enterprise: registering a code twice collides on this id."""
        return uuid5(_ENTERPRISE_NAMESPACE, normalize_credit_code(credit_code))

    class Registered(Aggregate.Created):
        """企业登记: an enterprise is registered under its credit code."""

        name: str
        credit_code: str
        industry: str
        county: str
        contacts: list[dict[str, Any]]
        on: date
        audit: Audit

    @event(Registered)
    def __init__(self, name: str, credit_code: str, industry: str, county: str,
                 contacts: list[dict[str, Any]], on: date, audit: Audit) -> None:
        self.name = name
        self.credit_code = credit_code
        self.industry = industry
        self.county = county
        self.contacts = contacts
        self.registered_on = on
        self.leader: str | None = None
        self.leader_account: str | None = None
        self.leader_level: str | None = None
        self.leader_since: date | None = None
        self.leader_links: list[dict[str, Any]] = []
        self.visits: list[dict[str, Any]] = []
        self.key_years: list[int] = []

    @classmethod
    def register(cls, name: str, credit_code: str, industry: str, county: str,
                 contacts: Sequence[Mapping[str, Any]] | None, on: date,
                 audit: Audit) -> Enterprise:
        details = {"name": name, "industry": industry, "county": county, "contacts": contacts}
        return cls(
            **{field: REVISABLE[field](value, field) for field, value in details.items()},
            credit_code=require_credit_code(credit_code),
            on=on,
            audit=audit,
        )

    def allowed_steps(self) -> list[str]:
        """The steps the enterprise takes now, named as its API paths: unlinking needs a
        linked leader, dropping a key listing needs one."""
        return ["revise", "link-leader", *(["unlink-leader"] if self.leader else []),
                "visits", "designate-key", *(["drop-key"] if self.key_years else [])]

    # --- details ------------------------------------------------------------------------

    def revise(self, changes: Mapping[str, Any], reason: str | None, on: date,
               audit: Audit) -> None:
        actual = require_changes(self, check_revision(changes, REVISABLE))
        require_not_before(on, self.registered_on, "revision date", "registration date")
        self._revised(changes=actual, reason=optional_text(reason, "reason"), on=on, audit=audit)

    class DetailsRevised(Revised):
        """修改企业信息: only the fields that changed, with their new values."""

    _revised = event(DetailsRevised)(revised)

    # --- 挂钩联系领导 ---------------------------------------------------------------------

    def link_leader(self, leader_name: str, reason: str | None, on: date, audit: Audit,
                    leader_account: str | None = None, leader_level: str | None = None
                    ) -> None:
        """Link a leader (挂钩联系), by the leader's account, its display name and its level
        (市级 or 县区级); linking another leader replaces the current one."""
        leader = require_text(leader_name, "leader_name", limit=60)
        level = None if leader_level is None else LeaderLevel.require(leader_level,
                                                                      "leader_level").value
        if (leader, leader_account) == (self.leader, self.leader_account):
            msg = f"{leader} is already the linked leader (挂钩联系领导) since {self.leader_since}"
            raise RuleViolation(msg)
        require_not_before(on, self.leader_since or self.registered_on, "link date",
                           "current link date" if self.leader else "registration date")
        self._leader_linked(leader=leader, previous_leader=self.leader,
                            reason=optional_text(reason, "reason"), on=on, audit=audit,
                            leader_account=leader_account, leader_level=level)

    class LeaderLinked(Aggregate.Event):
        """确定挂钩联系领导: a leader is linked, replacing any current one. Version 2 names
        the leader's account, version 3 the leader's level (市级/县区级); links recorded
        before name only the leader, or no level."""

        class_version = 3

        leader: str
        previous_leader: str | None
        reason: str | None
        on: date
        audit: Audit
        leader_account: str | None
        leader_level: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["leader_account"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["leader_level"] = None

    @event(LeaderLinked)
    def _leader_linked(self, leader: str, previous_leader: str | None, reason: str | None,
                       on: date, audit: Audit, leader_account: str | None,
                       leader_level: str | None) -> None:
        self._end_current_link(on, reason)
        self.leader = leader
        self.leader_account = leader_account
        self.leader_level = leader_level
        self.leader_since = on
        self.leader_links.append({"leader": leader, "leader_account": leader_account,
                                  "leader_level": leader_level, "linked_on": on,
                                  "reason": reason, "unlinked_on": None,
                                  "unlink_reason": None})

    def unlink_leader(self, reason: str, on: date, audit: Audit) -> None:
        if self.leader is None:
            msg = "enterprise has no linked leader (挂钩联系领导) to unlink"
            raise RuleViolation(msg)
        require_not_before(on, self.leader_since, "unlink date", "current link date")
        self._leader_unlinked(leader=self.leader, reason=require_text(reason, "reason"), on=on,
                              audit=audit)

    class LeaderUnlinked(Aggregate.Event):
        """解除挂钩联系: the current leader is unlinked."""

        leader: str
        reason: str
        on: date
        audit: Audit

    @event(LeaderUnlinked)
    def _leader_unlinked(self, leader: str, reason: str, on: date, audit: Audit) -> None:
        self._end_current_link(on, reason)
        self.leader = None
        self.leader_account = None
        self.leader_level = None
        self.leader_since = None

    def _end_current_link(self, on: date, reason: str | None) -> None:
        if self.leader_links and self.leader_links[-1]["unlinked_on"] is None:
            self.leader_links[-1]["unlinked_on"] = on
            self.leader_links[-1]["unlink_reason"] = reason

    # --- 重点企业名单 ---------------------------------------------------------------------

    def designate_key(self, year: int, reason: str, on: date, audit: Audit) -> None:
        KEY_ENTERPRISES.check_designation(self.key_years, year)
        self._key_designated(year=year, reason=require_text(reason, "reason"), on=on,
                             audit=audit)

    class KeyEnterpriseDesignated(Designated):
        """列入重点企业名单 for a year, with the reason."""

    _key_designated = event(KeyEnterpriseDesignated)(designated)

    def drop_key(self, year: int, reason: str, on: date, audit: Audit) -> None:
        KEY_ENTERPRISES.check_removal(self.key_years, year)
        self._key_dropped(year=year, reason=require_text(reason, "reason"), on=on, audit=audit)

    class KeyEnterpriseDropped(Dropped):
        """移出重点企业名单 for a year."""

    _key_dropped = event(KeyEnterpriseDropped)(dropped)

    # --- 调研 / 座谈 ----------------------------------------------------------------------

    def record_visit(self, date: date, kind: str, hosted_by: str, notes: str,
                     request_numbers: Sequence[str] | None, audit: Audit) -> int:
        """Record a visit (调研) or forum (座谈) on `date`; returns the visit's number. A
        visit may come before the enterprise was entered here: entry is record-keeping,
        not a business fact, and offices enter enterprises as they meet them."""
        require_day(date, "visit date")
        kind = VisitKind.require(kind, "kind").value
        number = len(self.visits) + 1
        self._visit_recorded(
            number=number, date=date, kind=kind,
            hosted_by=require_text(hosted_by, "hosted_by", limit=60),
            notes=require_text(notes, "notes"),
            request_numbers=check_request_numbers(request_numbers), audit=audit,
        )
        return number

    class VisitRecorded(Aggregate.Event):
        """调研座谈: a visit to, or forum with, the enterprise."""

        number: int
        date: date
        kind: str
        hosted_by: str
        notes: str
        request_numbers: list[str]
        audit: Audit

    @event(VisitRecorded)
    def _visit_recorded(self, number: int, date: date, kind: str, hosted_by: str, notes: str,
                        request_numbers: list[str], audit: Audit) -> None:
        self.visits.append({"number": number, "date": date, "kind": kind,
                            "hosted_by": hosted_by, "notes": notes,
                            "request_numbers": list(request_numbers)})


def check_request_numbers(numbers: Sequence[str] | None) -> list[str]:
    """References of the requests (企业诉求) raised at a visit, distinct and in given order."""
    return distinct_texts(numbers, "request_numbers", item="request number", kind="strings",
                          most=MAX_REQUEST_NUMBERS, limit=60)


EVENT_LABELS = {
    "Registered": "企业登记",
    "DetailsRevised": "修改企业信息",
    "LeaderLinked": "确定挂钩联系领导",
    "LeaderUnlinked": "解除挂钩联系",
    "VisitRecorded": "调研座谈",
    "KeyEnterpriseDesignated": "列入重点企业名单",
    "KeyEnterpriseDropped": "移出重点企业名单",
}
