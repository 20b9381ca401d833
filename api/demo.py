"""Demo data: a dozen Liuzhou-like projects across every stage, with history, complaints,
enterprises and their requests (api/demo_cases.py), parks and a park-entry review
(api/demo_parks.py), and one account per role. Loaded into
an empty store by `investledger serve --demo`."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from api.bootstrap import Container
from api.demo_cases import load_cases
from api.demo_parks import load_parks
from application.context import SYSTEM, Caller
from application.persistence import Database
from domain.project import ProjectDetails

DEMO_ACCOUNTS = [
    ("系统管理员", "admin", None),
    ("覃市长", "leader", None),
    ("督查室 李督查", "supervisor", "dcs"),
    ("投促局 王颖颖", "bureau", "tcj"),
    ("柳东新区 招商办", "unit", "liudong"),
    ("柳江区 投促办", "unit", "liujiang"),
    ("市园区办 陈主任", "park_office", "yqb"),
    ("代办员 黄代办", "agent", "tcj"),
]

# The demo projects: name, investor, industry, total_investment (万元), county, responsible
# unit, park, origin, the stage each is taken to, and whether it is a key project.
PROJECTS: list[dict[str, Any]] = json.loads(
    resources.files("api").joinpath("data/demo_projects.json").read_text("utf-8"))
ORDER = ["negotiating", "signed", "under_construction", "in_production"]


def load_demo(c: Container) -> dict[str, str]:
    """Create the demo accounts and projects; returns {role or role:unit: token}."""
    tokens: dict[str, str] = {}
    callers: dict[str, Caller] = {}
    for name, role, unit in DEMO_ACCOUNTS:
        new = c.accounts.add(SYSTEM, name, role, unit)
        label = f"{role}:{unit}" if role == "unit" else role
        tokens[label] = new.token
        callers[label] = c.accounts.authenticate(new.token, "demo")
    today = c.clock.today()
    for i, row in enumerate(PROJECTS):
        _demo_project(c, callers, today, i, row)
    load_parks(c, callers)
    enterprise = load_cases(c, callers)["enterprise"]
    firm = c.accounts.add(SYSTEM, "上汽通用五菱 联络员", "enterprise", enterprise=enterprise)
    tokens["enterprise"] = firm.token
    return tokens


def _demo_project(c: Container, callers: dict[str, Caller], today: date, i: int,
                  row: dict[str, Any]) -> None:
    """One demo project taken through its stages to `final`, with reports and problems."""
    bureau, leader = callers["bureau"], callers["leader"]
    name, unit, final, key = row["name"], row["unit"], row["final_stage"], row["key"]
    amount = row["total_investment"]
    start = today - timedelta(days=420 - 20 * i)
    result = c.projects.register(bureau, ProjectDetails(
        name=name, investor=row["investor"], industry=row["industry"],
        total_investment=Decimal(amount), county=row["county"], responsible_unit=unit,
        park=row["park"], origin=row["origin"],
        liaison_leader="覃市长" if key else None,
        planned_start=start + timedelta(days=200)), on=start)
    pid = result.state.id
    handler = callers.get(f"unit:{unit}", bureau)
    day = _advance(c, bureau, pid, start, today, final, Decimal(amount))
    if key:
        c.projects.designate_key(bureau, pid, today.year, "列入市重点项目清单",
                                 on=_before(today, day))
    if key and final != "terminated" and i % 2 == 0:  # last month's 信息报送 filed today
        last_month = today.replace(day=1) - timedelta(days=1)
        c.projects.report_progress(handler, pid, f"{last_month:%Y-%m}", "上月进展:按计划推进",
                                   on=today)
    if final == "terminated":
        c.projects.terminate(bureau, pid, "投资方战略调整,项目终止", on=_before(today, day))
        return
    report_on = _before(today, day + timedelta(days=10))
    under_way = final in ("under_construction", "in_production")
    c.projects.report_progress(handler, pid, f"{report_on.year}-{report_on.month:02d}",
                               "项目按计划推进,前期手续办理中",
                               Decimal(amount) * Decimal("0.1") if under_way else None,
                               on=report_on)
    if i % 3 == 0:
        c.projects.raise_problem(handler, pid, "用地指标尚未落实,需协调自然资源部门",
                                 on=report_on)
    if i % 4 == 0:
        c.projects.instruct(leader, pid, "请责任单位加快推进,月底前报送进展", on=report_on)
    if i % 8 == 0:
        c.projects.answer_instruction(handler, pid, 1, "已召开协调会,正在落实",
                                      on=_before(today, report_on + timedelta(days=5)))
    c.projects.comment(bureau, pid, "已电话联系投资方确认进度", on=report_on)


def _advance(c: Container, bureau: Caller, pid: Any, start: date, today: date, final: str,
             amount: Decimal) -> date:
    """Sign, start construction and production as far as `final`; the last step's date."""
    steps = ORDER.index(final) if final in ORDER else 1
    day = start
    if steps >= 1:
        day = _before(today, day + timedelta(days=60))
        c.projects.sign(bureau, pid, day, amount * Decimal("0.8"))
    if steps >= 2:
        day = _before(today, day + timedelta(days=90))
        c.projects.start_construction(bureau, pid, day)
    if steps >= 3:
        day = _before(today, day + timedelta(days=120))
        c.projects.start_production(bureau, pid, day)
    return day


def _before(today: date, day: date) -> date:
    return min(day, today)


def tokens_path(database: Database) -> Path:
    """Where a demo store's tokens are kept: beside its SQLite file, or named after its
    PostgreSQL database and schema, so each demo prints its own tokens."""
    if database.kind == "sqlite":
        return Path(f"{database.path}.demo-tokens")
    if database.kind == "memory":
        return Path("var/demo-tokens-memory.txt")
    name = "-".join(x for x in (database.host, str(database.port), database.dbname,
                                database.schema) if x)
    return Path("var") / f"demo-tokens-{name}.txt"


def save_tokens(path: Path, tokens: dict[str, str]) -> None:
    """Keep demo tokens beside the demo data (owner-only), so restarts can print them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for label, token in tokens.items():
            f.write(f"{label}\t{token}\n")


def read_tokens(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("\t", 1) for line in path.read_text("utf-8").splitlines() if line)
    return {label: token for label, token in pairs}
