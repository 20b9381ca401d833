"""Open311 GeoReport v2 mapping: complaints as services and service requests, rendered as
XML (the standard's required format) or JSON, and the Open311 inputs read back as
complaint details and search filters.

JSON follows the standard's Spark convention: the XML with its root and list wrappers
dropped, so one builder feeds both formats.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from fastapi import Response

from application.complaints import ComplaintState
from application.units import Units
from domain.complaint import (
    FINAL_STATUSES,
    Category,
    Complainant,
    DeadlineKind,
    Status,
)
from domain.errors import InvalidValue
from domain.shared import CONTROL_CHARACTERS

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the service list or definitions last changed, for clients that cache them.
CHANGESET = "2026-11-28T00:00:00+08:00"
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
GROUP = "营商环境投诉举报"
BUREAU_UNIT = "tcj"  # 柳州市投资促进局: receives every complaint until it assigns one
RESPONDENT_ATTRIBUTE = "respondent_unit"
DUE_HOUR = time(18)  # a due date ends with the working day
SUMMARY_LIMIT = 200
DESCRIPTIONS = {
    "approval_service": "行政审批、政务服务中拖延推诿、多头跑、设置隐性门槛等问题",
    "policy_delivery": "惠企政策不兑现、不落实，新官不理旧账等问题",
    "fees_and_fines": "乱收费、乱罚款、乱摊派等涉企收费问题",
    "inspections": "多头检查、重复检查、随意执法等执法检查问题",
    "fair_competition": "地方保护、市场分割、招投标不公等妨碍公平竞争的问题",
    "conduct": "门难进、脸难看、事难办等工作作风问题",
    "other": "其他影响营商环境的问题",
}
# The complaint's fields that Open311 fields fill (see `complainant` and open311.py's
# create_request), named in errors as the client sent them.
OPEN311_FIELDS = {
    "content": "description",
    "category": "service_code",
    "respondent_unit": f"attribute[{RESPONDENT_ATTRIBUTE}]",
    "complainant name": "last_name + first_name",
    # Where the rest of the API sends a client for unit codes: Open311 clients have them here.
    "GET /api/v1/units": "the values of services/{service_code}.xml",
}
_INTERNAL_FIELD = re.compile(rf"\b({'|'.join(map(re.escape, OPEN311_FIELDS))})\b")
# List fields and the element each item becomes in XML (Spark convention).
ITEM_NAMES = {"services": "service", "service_requests": "request", "errors": "error",
              "attributes": "attribute", "values": "value", "endpoints": "endpoint",
              "formats": "format"}


# --- rendering ------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any, name: str) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child, key)
    elif isinstance(value, list):
        item = ITEM_NAMES[name]
        for child in value:
            _fill(ET.SubElement(element, item), child, item)
    else:
        # Text stored before control characters were refused must not break the XML.
        text = _text(value)
        element.text = None if text is None else CONTROL_CHARACTERS.sub("\ufffd", text)


def render(fmt: str, root: str, document: dict[str, Any] | list[Any], status: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    """One document as `fmt` (xml or json); `root` names the XML root element."""
    if fmt == "json":
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    else:
        element = ET.Element(root)
        _fill(element, document, root)
        body = (b'<?xml version="1.0" encoding="utf-8"?>\n'
                + ET.tostring(element, encoding="unicode").encode("utf-8"))
    return Response(body, status_code=status, media_type=FORMATS[fmt], headers=headers)


def open311_names(message: str) -> str:
    """An error message from the shared use cases, naming the Open311 fields instead of the
    complaint's own (`description must not be empty`, not `content …`)."""
    return _INTERNAL_FIELD.sub(lambda m: OPEN311_FIELDS[m.group(1)], message)


def render_error(fmt: str, status: int, description: str,
                 headers: dict[str, str] | None = None) -> Response:
    """The Open311 error document: [{code, description}], code being the HTTP status."""
    return render(fmt, "errors", [{"code": status, "description": description}], status,
                  headers)


# --- services ---------------------------------------------------------------------------------


def service(code: str) -> dict[str, Any]:
    label = Category(code).label
    return {
        "service_code": code, "service_name": label, "description": DESCRIPTIONS[code],
        # Every service has an attribute (respondent_unit, optional): the standard says
        # metadata true, so clients know a service definition is there to read.
        "metadata": True, "type": "realtime",
        "keywords": f"{label}, 营商环境, 投诉, 举报, {code}", "group": GROUP,
    }


def service_definition(code: str, units: Units) -> dict[str, Any]:
    bureau = units.get(BUREAU_UNIT)
    default = f"{BUREAU_UNIT} {bureau.name}" if bureau else BUREAU_UNIT
    return {"service_code": code, "attributes": [{
        "variable": True, "code": RESPONDENT_ATTRIBUTE, "datatype": "singlevaluelist",
        "required": False, "datatype_description": f"单位代码，默认 {default}",
        "order": 1, "description": "被投诉单位: the unit complained about",
        "values": [{"key": u.code, "name": u.name} for u in units.all()],
    }]}


def discovery(base_url: str, contact: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET, "contact": contact,
        "key_service": "api_key 是平台账户的令牌 (bearer token)，由管理员开通账户时签发；"
                       "不带 api_key 可按网站渠道匿名或实名投诉并凭受理编号查询。",
        "endpoints": [{"specification": SPECIFICATION, "url": base_url,
                       "changeset": CHANGESET, "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    }


# --- service requests -------------------------------------------------------------------------


def day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _w3(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def open311_status(status: str) -> str:
    """`closed` for 办结 and 不予受理, the two statuses that end a complaint; else `open`."""
    return "closed" if status in FINAL_STATUSES else "open"


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LIMIT else text[:SUMMARY_LIMIT - 1] + "…"


def _status_notes(state: ComplaintState, full: bool) -> str:
    label = Status(state.status).label
    if not full:
        return label
    if state.decline_reason and state.status == "declined":
        return f"{label}：{_summary(state.decline_reason)}"
    if state.reply_text and state.status in ("replied", "called_back", "closed"):
        return f"{label}。答复：{_summary(state.reply_text)}"
    return label


def request_element(state: ComplaintState, full: bool, units: Units,
                    zone: ZoneInfo) -> dict[str, Any]:
    """One complaint as an Open311 service request. `full` is for callers who may read the
    complaint (its content, decline reason and reply summary); others get the public view.
    Complainant details never appear."""
    responsible = units.get(state.assigned_unit or BUREAU_UNIT)
    running = state.open_deadlines[0] if state.open_deadlines else None
    due = date.fromisoformat(running["due"]) if running else None
    notice = None
    if running and due:
        provisional = "（暂定）" if running["provisional"] else ""
        notice = f"{DeadlineKind(running['kind']).label} {due.isoformat()}{provisional}"
    return {
        "service_request_id": state.receipt,
        "status": open311_status(state.status),
        "status_notes": _status_notes(state, full),
        "service_name": Category(state.category).label,
        "service_code": state.category,
        "description": state.content if full else None,
        "agency_responsible": responsible.name if responsible else state.assigned_unit,
        "service_notice": notice,
        "requested_datetime": _w3(day_start(state.received_on, zone)),
        "updated_datetime": _w3(state.modified_at.astimezone(zone)),
        "expected_datetime": _w3(datetime.combine(due, DUE_HOUR, tzinfo=zone)) if due else None,
        "address": None, "lat": None, "long": None,
    }


# --- inputs ---------------------------------------------------------------------------------


def complainant(form: dict[str, str]) -> Complainant | None:
    # Chinese names put the family name first; email has no place in a complaint.
    name = form.get("last_name", "") + form.get("first_name", "")
    phone = form.get("phone") or None
    if not name:
        if phone:
            raise InvalidValue("phone needs first_name/last_name; send neither for an "
                               "anonymous complaint / 留电话须同时留姓名；匿名投诉两者都不填")
        return None
    return Complainant(name=name, phone=phone)


@dataclass(frozen=True)
class RequestFilter:
    """The standard filters of GET requests; None means any."""

    codes: frozenset[str] | None = None
    statuses: frozenset[str] | None = None
    start: datetime | None = None
    end: datetime | None = None


def csv(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _moment(value: str | None, name: str, zone: ZoneInfo) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        msg = (f"{name} must be an ISO 8601 date-time like 2026-01-01T00:00:00+08:00, "
               f"got {value!r} / 时间格式须为ISO 8601")
        raise InvalidValue(msg) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    try:  # 9999-12-31T12:00+08:00 is 9999-12-31 in its zone but past the end of time in ours
        moment.astimezone(zone) + timedelta(days=1)
        moment.astimezone(zone) - timedelta(days=1)
    except OverflowError:
        msg = (f"{name} {value!r} is out of range; give a date-time between 0002 and 9998 / "
               "时间超出范围")
        raise InvalidValue(msg) from None
    return moment


def request_filter(service_code: str | None, status: str | None, start_date: str | None,
                   end_date: str | None, zone: ZoneInfo) -> RequestFilter:
    codes, statuses = csv(service_code), csv(status)
    unknown = [x for x in codes if x not in Category.labels()]
    unknown += [x for x in statuses if x not in ("open", "closed")]
    if unknown:
        msg = (f"unknown service_code or status {', '.join(unknown)}; service codes: "
               f"{', '.join(Category.labels())}; statuses: open, closed / "
               "服务类别或状态不在所列取值之中")
        raise InvalidValue(msg)
    start, end = _moment(start_date, "start_date", zone), _moment(end_date, "end_date", zone)
    if start and end and end < start:
        raise InvalidValue("end_date must not be before start_date / 结束时间不能早于开始时间")
    return RequestFilter(frozenset(codes) or None, frozenset(statuses) or None, start, end)


def received_range(f: RequestFilter, zone: ZoneInfo) -> tuple[date | None, date | None]:
    """The received dates whose requested_datetime (midnight there) lies in f's range."""
    first = last = None
    if f.start is not None:
        first = f.start.astimezone(zone).date()
        if day_start(first, zone) < f.start:
            first += timedelta(days=1)
    if f.end is not None:
        last = f.end.astimezone(zone).date()
    return first, last
