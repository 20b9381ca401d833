"""Configuring a year's official schedule recomputes open provisional deadlines as events."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from api.bootstrap import build
from application.context import SYSTEM, Clock
from application.settings import Settings
from domain.calendar import CalendarSchedule
from domain.complaint import Complainant, Complaint, ComplaintDetails


class In2027(Clock):
    def today(self) -> date:
        return date(2027, 3, 1)


def _override(tmp_path: Path) -> Path:
    # Made-up official 2027 schedule: 2027-03-02 (Tue) is a holiday, Sat 2027-03-06 is worked.
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps({"2027": {"holidays": ["2027-03-02"],
                                         "workdays": ["2027-03-06"]}}), "utf-8")
    return path


def test_configuring_2027_recomputes_provisional_deadlines_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/l.db"
    first = build(Settings(database_url=url), clock=In2027())
    try:
        bureau = first.accounts.authenticate(first.accounts.add(SYSTEM, "投促局", "bureau").token)
        filed = first.complaints.file(bureau, ComplaintDetails(
            channel="hotline", category="conduct", content="态度差", respondent_unit="scjgj",
            complainant=Complainant("张三")), date(2027, 3, 1))
        before = filed.state.acceptance_deadline
        assert before.provisional
        assert before.due == date(2027, 3, 4)  # Tue, Wed, Thu: weekdays by rule
        assert first.sync_calendar().recomputed == 0  # nothing official changed yet
        package_version = first.calendar.version
    finally:
        first.close()

    configured = build(Settings(database_url=url, calendar_overrides_file=_override(tmp_path)),
                       clock=In2027())
    try:
        result = configured.sync_calendar()
        assert result.previous_version == package_version
        assert result.version.startswith(package_version + "+overrides:")
        assert result.recomputed == 1
        complaint = configured.store.load(Complaint, filed.state.id)
        after = complaint.acceptance_deadline
        assert not after.provisional
        assert after.due == date(2027, 3, 5)  # Wed, Thu, Fri: the 2nd is now a holiday
        history = configured.complaints.history(bureau, filed.state.id)
        assert [h.type for h in history][-1] == "DeadlineRecomputed"
        assert history[-1].data["previous_due"] == date(2027, 3, 4)
        schedule = configured.store.load(CalendarSchedule, CalendarSchedule.create_id())
        assert schedule.calendar_version == configured.calendar.version
        assert 2027 in schedule.official_years
        head = configured.ledger.head()
        again = configured.sync_calendar()
        assert again.recomputed == 0
        assert configured.ledger.head() == head  # nothing recorded twice
    finally:
        configured.close()


def test_configuring_2027_recomputes_open_project_problem_deadlines(tmp_path: Path) -> None:
    from decimal import Decimal

    from domain.project import Project, ProjectDetails
    from projections.supervision import SupervisionItems

    url = f"sqlite:///{tmp_path}/p.db"
    first = build(Settings(database_url=url, problem_days=3, instruction_days=3),
                  clock=In2027())
    try:
        bureau = first.accounts.authenticate(first.accounts.add(SYSTEM, "投促局", "bureau").token)
        pid = first.projects.register(bureau, ProjectDetails(
            name="新材料项目", investor="某公司", industry="化工", total_investment=Decimal(10),
            county="liucheng", responsible_unit="gxj"), date(2027, 3, 1)).state.id
        first.projects.raise_problem(bureau, pid, "用地", date(2027, 3, 1))
        first.projects.raise_problem(bureau, pid, "用电", date(2027, 3, 1))
        first.projects.resolve_problem(bureau, pid, 2, "已解决", date(2027, 3, 1))
        assert first.projects.get(bureau, pid).problems[0]["due"] == date(2027, 3, 4)
        first.sync_calendar()
    finally:
        first.close()

    configured = build(Settings(database_url=url, problem_days=3, instruction_days=3,
                                calendar_overrides_file=_override(tmp_path)), clock=In2027())
    try:
        assert configured.sync_calendar().recomputed == 1  # the resolved one is left alone
        project = configured.store.load(Project, pid)
        assert project.problems[0]["due"] == date(2027, 3, 5)
        assert not project.problems[0]["deadline"].provisional
        assert project.problems[1]["deadline"].provisional  # done: never recomputed
        configured.follower.catch_up()
        with configured.views.read() as tx:
            row = tx.one("SELECT due, provisional FROM supervision_items WHERE id = ?",
                         (f"problem:{pid}:1",))
        assert row == {"due": "2027-03-05", "provisional": 0}
        assert SupervisionItems.name in configured.follower.projections
    finally:
        configured.close()


def test_configuring_2027_recomputes_a_complaint_instructions_deadline(tmp_path: Path) -> None:
    """An unanswered instruction (批示) on a complaint, due 3 working days on, is recounted
    with the official calendar like the complaint's own deadlines, in the supervision view
    too."""
    url = f"sqlite:///{tmp_path}/i.db"
    first = build(Settings(database_url=url, instruction_days=3), clock=In2027())
    try:
        bureau = first.accounts.authenticate(first.accounts.add(SYSTEM, "投促局", "bureau").token)
        leader = first.accounts.authenticate(first.accounts.add(SYSTEM, "覃市长", "leader").token)
        cid = first.complaints.file(bureau, ComplaintDetails(
            channel="hotline", category="conduct", content="态度差", respondent_unit="scjgj",
            complainant=Complainant("张三")), date(2027, 3, 1)).state.id
        first.complaints.instruct(leader, cid, "请限期办结", date(2027, 3, 1))
        (instruction,) = first.store.load(Complaint, cid).instructions
        assert instruction["due"] == date(2027, 3, 4)
        assert instruction["deadline"].provisional
    finally:
        first.close()

    configured = build(Settings(database_url=url, instruction_days=3,
                                calendar_overrides_file=_override(tmp_path)), clock=In2027())
    try:
        assert configured.sync_calendar().recomputed == 2  # acceptance and the instruction
        (instruction,) = configured.store.load(Complaint, cid).instructions
        assert instruction["due"] == date(2027, 3, 5)
        assert not instruction["deadline"].provisional
        history = configured.complaints.history(bureau, cid)
        assert "InstructionDueRecomputed" in [h.type for h in history]
        configured.follower.catch_up()
        with configured.views.read() as tx:
            row = tx.one("SELECT due, provisional FROM supervision_items WHERE id = ?",
                         (f"instruction:{cid}:1",))
        assert row == {"due": "2027-03-05", "provisional": 0}
        assert configured.sync_calendar().recomputed == 0
    finally:
        configured.close()
