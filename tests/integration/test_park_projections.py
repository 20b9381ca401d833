"""The park ledger (the compliance view of 柳政规〔2020〕1号), the park-entry review ledger, the
project ledger's unlinked parks and the supervision view's 入园未登记 flags, on both backends:
hand-made parks at 55% and 70%, projects by stage, filters and scopes, rebuilt equals
incremental."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from application.context import SYSTEM, Caller
from domain.project import ProjectDetails
from domain.shared import Role
from projections import park_entry_review_ledger, park_ledger
from projections.supervision_reader import SupervisionReader

ON = date(2025, 3, 3)
LATER = date(2025, 4, 1)
YEAR = "2024"


def unit(code: str) -> Caller:
    return Caller(account_id=f"acct-{code}", name=code, role=Role.unit, unit=code)


@dataclass
class World:
    parks: dict[str, UUID]  # at55 (city, 柳东), at70 (county, 柳城), empty (district)
    projects: dict[str, UUID]  # p1..p5
    reviews: dict[str, UUID]  # r1 (registered), r2 (awaiting fgw)


def project(c: Container, name: str, park: str | None, amount: str, industry: str = "汽车",
            responsible_unit: str = "liudong") -> UUID:
    details = ProjectDetails(name=name, investor="某集团", industry=industry,
                             total_investment=Decimal(amount), county="liudong",
                             responsible_unit=responsible_unit, park=park)
    return c.projects.register(SYSTEM, details, ON).state.id


def build_world(c: Container) -> World:
    """Two parks with output, one without; five projects; two reviews.

    at55 柳东汽车城 (city; leading 汽车, 新能源): 2024 output 汽车 400 + 新能源 150 + 食品 450
         = 1000 → 55% (an earlier 2024 report at 90% is replaced); 2023: 汽车 100 only.
    at70 六塘化工园 (county, no joint review; leading 化工): 2024 化工 700 + 建材 300 → 70%.
    empty 河西工业区 (district; leading 机械): no output.
    p1 names 柳东汽车城, placed when the park is registered, signed (investment 100);
    p2 names 柳东 汽车城, registered after the park (placed at once), then registered in it
       through review r1 (investment 200);
    p3 names 六塘化工园 (county park: placed, never flagged) (investment 300);
    p4 names 某未登记园区 (unlinked); p5 names no park.
    r2: p3 into 柳东汽车城, industry 化工 outside its leading ones, fgw yet to give its opinion.
    """
    p1 = project(c, "甲", "柳东汽车城", "100")
    p3 = project(c, "丙", "六塘化工园", "300", industry="化工", responsible_unit="liucheng")
    p4 = project(c, "丁", "某未登记园区", "400")
    p5 = project(c, "戊", None, "500")
    c.projects.sign(SYSTEM, p1, LATER, Decimal("80"))
    parks = {
        "at55": c.parks.register(SYSTEM, "柳东汽车城", "city", "liudong", "ldgwh",
                                 Decimal("50000"), ["汽车", "新能源"], on=ON).state.id,
        "at70": c.parks.register(SYSTEM, "六塘化工园", "county", "liucheng", "ltgwh",
                                 Decimal("12000"), ["化工"], on=ON).state.id,
        "empty": c.parks.register(SYSTEM, "河西工业区", "district", "liunan", "hxgwh",
                                  Decimal("9000"), ["机械"], on=ON).state.id,
    }
    p2 = project(c, "乙", "柳东 汽车城", "200")
    report = c.parks.report_output
    report(SYSTEM, parks["at55"], 2024, [{"industry": "汽车", "output": "900"},
                                         {"industry": "食品", "output": "100"}], on=LATER)
    report(SYSTEM, parks["at55"], 2024, [{"industry": "汽车", "output": "400"},
                                         {"industry": "新能源", "output": "150"},
                                         {"industry": "食品", "output": "450"}], on=LATER)
    report(SYSTEM, parks["at55"], 2023, [{"industry": "汽车", "output": "100"}], on=LATER)
    report(SYSTEM, parks["at70"], 2024, [{"industry": "化工", "output": "700"},
                                         {"industry": "建材", "output": "300"}], on=LATER)
    reviews = c.park_entry_reviews
    r1 = reviews.open(SYSTEM, p2, parks["at55"], Decimal("100"), on=LATER).state.id
    for code in reviews.load(r1).reviewing_unit_codes:
        reviews.give_opinion(unit(code), r1, "approve", on=LATER)
    reviews.decide(SYSTEM, r1, "approved", "符合", on=LATER)
    reviews.register(SYSTEM, r1, on=LATER)
    r2 = reviews.open(SYSTEM, p3, parks["at55"], Decimal("60"), on=LATER).state.id
    for code in ("gxj", "zrzyj", "sthjj", "ldgwh"):
        reviews.give_opinion(unit(code), r2, "reject" if code == "sthjj" else "approve",
                             "不符合" if code == "sthjj" else None, on=LATER)
    return World(parks, {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5},
                 {"r1": r1, "r2": r2})


@pytest.fixture
def world(backend_container: Container) -> World:
    built = build_world(backend_container)
    backend_container.follower.catch_up()
    return built


def parks(c: Container, caller: Caller = SYSTEM, **filters: str) -> dict[str, dict[str, Any]]:
    page = c.reads.ledger(caller, "parks", list(filters.items())).page
    return {row["name"]: row for row in page.items}


def rows(c: Container, table: str) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return tx.all(f"SELECT * FROM {table} ORDER BY id")


# --- the compliance view ----------------------------------------------------------------------


def test_a_park_at_55_percent_falls_short_and_one_at_70_meets_the_rule(
        backend_container: Container, world: World) -> None:
    found = parks(backend_container, year=YEAR)
    at55, at70 = found["柳东汽车城"], found["六塘化工园"]
    assert {k: at55[k] for k in ("year", "total_output", "leading_output", "leading_share",
                                 "meets_rule", "shortfall")} == {
        "year": 2024, "total_output": Decimal("1000"), "leading_output": Decimal("550"),
        "leading_share": Decimal("55.00"), "meets_rule": False,
        "shortfall": {"points": Decimal("5.00"), "leading_output": Decimal("50")}}
    assert at55["by_industry"] == {"auto": Decimal("400"), "new_energy": Decimal("150"),
                                   "food": Decimal("450")}
    assert (at70["leading_share"], at70["meets_rule"], at70["shortfall"]) == (
        Decimal("70.00"), True, None)
    empty = found["河西工业区"]
    assert (empty["total_output"], empty["meets_rule"], empty["leading_share"]) == (
        None, None, None)


def test_the_year_judged_is_asked_for_or_last_year(backend_container: Container,
                                                   world: World,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert parks(backend_container, year="2023")["柳东汽车城"]["leading_share"] == Decimal(
        "100.00")
    monkeypatch.setattr(backend_container.clock, "today", lambda: date(2025, 6, 30))
    assert parks(backend_container)["柳东汽车城"]["year"] == 2024


def test_the_projects_placed_in_a_park_count_by_stage(backend_container: Container,
                                                      world: World) -> None:
    found = parks(backend_container, year=YEAR)
    assert found["柳东汽车城"]["projects"] == {
        "negotiating": {"label": "在谈", "count": 1, "registered": 1,
                        "total_investment": Decimal("200")},
        "signed": {"label": "签约", "count": 1, "registered": 0,
                   "total_investment": Decimal("100")}}
    assert found["柳东汽车城"]["projects_unregistered"] == 1
    assert found["六塘化工园"]["projects"]["negotiating"]["count"] == 1
    assert found["河西工业区"]["projects"] == {}


def test_park_ledger_filters_and_the_managing_units_scope(backend_container: Container,
                                                          world: World) -> None:
    c = backend_container
    assert set(parks(c, level="city,county")) == {"柳东汽车城", "六塘化工园"}
    assert set(parks(c, industry="chemicals")) == {"六塘化工园"}
    assert set(parks(c, q="汽车")) == {"柳东汽车城"}
    assert set(parks(c, unit(code="ldgwh"))) == {"柳东汽车城"}
    assert set(parks(c, unit("hxgwh"), unit="ldgwh")) == set()


# --- the review ledger ------------------------------------------------------------------------


def reviews(c: Container, caller: Caller = SYSTEM, **filters: str) -> set[UUID]:
    page = c.reads.ledger(caller, "park-entry-reviews", list(filters.items())).page
    return {UUID(row["id"]) for row in page.items}


def test_review_rows_show_what_each_review_awaits(backend_container: Container,
                                                  world: World) -> None:
    c = backend_container
    page = c.reads.ledger(SYSTEM, "park-entry-reviews", []).page
    by_id = {UUID(r["id"]): r for r in page.items}
    r1, r2 = by_id[world.reviews["r1"]], by_id[world.reviews["r2"]]
    assert (r1["status"], r1["awaiting"], r1["opinions"]) == ("registered", [], 5)
    assert (r2["status"], r2["awaiting"], r2["rejections"]) == ("reviewing", ["fgw"], 1)
    assert r2["industry_outside_leading"] is True and r1["industry_outside_leading"] is False
    assert reviews(c, awaiting="fgw") == {world.reviews["r2"]}
    assert reviews(c, status="registered") == {world.reviews["r1"]}
    assert reviews(c, industry_outside_leading="true") == {world.reviews["r2"]}
    assert reviews(c, project=str(world.projects["p3"])) == {world.reviews["r2"]}
    # A reviewing unit reads the reviews it takes part in; another unit none.
    assert reviews(c, unit("fgw")) == set(world.reviews.values())
    assert reviews(c, unit("liujiang")) == set()


# --- projects: placed or not ------------------------------------------------------------------


def test_the_project_ledger_lists_free_text_parks_that_name_no_registered_park(
        backend_container: Container, world: World) -> None:
    def ledger(**filters: str) -> set[UUID]:
        page = backend_container.reads.ledger(SYSTEM, "projects", list(filters.items())).page
        return {UUID(row["id"]) for row in page.items}

    p = world.projects
    assert ledger(park_unlinked="true") == {p["p4"]}
    assert ledger(park_unlinked="false") == {p["p1"], p["p2"], p["p3"], p["p5"]}
    page = backend_container.reads.ledger(SYSTEM, "projects", [("q", "乙")]).page
    assert (page.items[0]["park"], page.items[0]["park_id"], page.items[0]["park_review_id"]) \
        == ("柳东汽车城", str(world.parks["at55"]), str(world.reviews["r1"]))


# --- the supervision view: 入园未登记 ---------------------------------------------------------


def test_a_project_placed_without_registration_is_flagged_under_its_unit(
        backend_container: Container, world: World) -> None:
    c = backend_container
    groups = SupervisionReader(c.views, c.calendar).overdue_by_unit(c.clock.today(), 2)
    flags = {(g["unit"], f["id"]): f for g in groups for f in g["flags"]}
    # p1 (city park, unregistered) is flagged; p2 was registered; p3's county park does not
    # require joint review.
    assert set(flags) == {("liudong", str(world.projects["p1"]))}
    flag = flags["liudong", str(world.projects["p1"])]
    assert (flag["kind"], flag["kind_label"], flag["title"]) == (
        "park_unregistered", "入园未登记", "甲")
    assert "柳东汽车城" in flag["summary"]
    assert all(g["overdue"] == 0 and g["nearly_due"] == 0 for g in groups)
    report = c.reports.supervision(SYSTEM, [])
    assert (report["flags"], report["overdue"]) == (1, 0)


def test_the_flag_goes_when_the_project_is_registered_or_terminated(
        backend_container: Container, world: World) -> None:
    c = backend_container
    c.projects.terminate(SYSTEM, world.projects["p1"], "撤资", on=LATER)
    c.follower.catch_up()
    groups = SupervisionReader(c.views, c.calendar).overdue_by_unit(c.clock.today(), 2)
    assert [f for g in groups for f in g["flags"]] == []


# --- building ---------------------------------------------------------------------------------


def test_rebuilt_park_ledgers_equal_incrementally_built_ones(
        backend_container: Container) -> None:
    c = backend_container
    build_world(c)
    c.follower.batch_size = 3
    c.follower.catch_up()
    tables = (*park_ledger.ParkLedger.tables, park_entry_review_ledger.TABLE)
    incremental = {t: rows(c, t) for t in tables}
    c.follower.batch_size = 1000
    for name in (park_ledger.ParkLedger.name, park_entry_review_ledger.ParkEntryReviewLedger.name):
        assert c.follower.rebuild(name) == c.ledger.head()
    assert {t: rows(c, t) for t in tables} == incremental
    assert len(incremental[park_ledger.TABLE]) == 3
