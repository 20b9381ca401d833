"""The project ledger (项目台账): filters, keyset pagination, exact totals, min_position, scope.

What its SQL answers runs on each backend (`on_every_backend`); parameter checks on SQLite.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest

from tests.conftest import on_every_backend
from tests.e2e.helpers import LEDGER, SIGNED_ON, Api, assert_problem


@pytest.fixture
def portfolio(api: Api) -> dict[str, Any]:
    """Five projects across units, stages, parks, industries and key years.

    Returns the ids by short name and the ledger position of the last write.
    """
    a = api.create(name="柳东汽车零部件", investor="上汽通用", industry="汽车",
                   total_investment="0.1", county="liudong", responsible_unit="liudong",
                   park="柳东汽车城")
    b = api.create(name="柳江螺蛳粉产业园", investor="广西螺霸王", industry="食品",
                   total_investment="0.2", county="liujiang", responsible_unit="liujiang")
    c = api.create(name="鹿寨木材加工", investor="柳东林业集团", industry="林产加工",
                   total_investment="100.0001", county="luzhai", responsible_unit="luzhai",
                   park="鹿寨经开区")
    d = api.create(name="阳和新材料", investor="宁德时代", industry="新能源",
                   total_investment="2500", county="yanghe", responsible_unit="liudong")
    e = api.create(name="柳江智能装备", investor="柳工", industry="汽车",
                   total_investment="7", county="liudong", responsible_unit="liujiang",
                   park="柳东汽车城")
    api.do("bureau", b["id"], "sign", {"date": SIGNED_ON, "contract_amount": "0.2"})
    api.do("bureau", c["id"], "sign", {"date": SIGNED_ON, "contract_amount": "50"})
    api.do("bureau", a["id"], "designate-key", {"year": 2025, "reason": "市重点"})
    api.do("bureau", d["id"], "designate-key", {"year": 2026, "reason": "市重点"})
    last = api.do("bureau", e["id"], "terminate", {"reason": "撤资"})
    return {"ids": {k: p["id"] for k, p in zip("abcde", [a, b, c, d, e], strict=True)},
            "position": last["_position"]}


def _ids(ledger: dict[str, Any]) -> set[str]:
    return {row["id"] for row in ledger["items"]}


def _names(portfolio: dict[str, Any], *keys: str) -> set[str]:
    return {portfolio["ids"][k] for k in keys}


@on_every_backend
def test_ledger_lists_projects_with_count_totals_and_position(
    api: Api, portfolio: dict[str, Any]
) -> None:
    ledger = api.ledger(min_position=portfolio["position"])

    assert set(ledger) == {"items", "count", "next_cursor", "totals", "position"}
    assert ledger["count"] == 5
    assert _ids(ledger) == set(portfolio["ids"].values())
    assert ledger["next_cursor"] is None
    assert ledger["position"] >= portfolio["position"]
    row = next(r for r in ledger["items"] if r["id"] == portfolio["ids"]["b"])
    assert (row["stage"], row["stage_label"], row["version"]) == ("signed", "签约", 2)
    assert row["contract_amount"] == "0.2000"
    assert row["sign_date"] == SIGNED_ON


@on_every_backend
def test_ledger_is_newest_first(api: Api, portfolio: dict[str, Any]) -> None:
    items = api.ledger(min_position=portfolio["position"])["items"]

    assert [r["id"] for r in items] == [portfolio["ids"][k] for k in "edcba"]


FILTER_CASES: list[tuple[dict[str, Any], str]] = [
    ({"stage": "negotiating"}, "ad"),
    ({"stage": "signed"}, "bc"),
    ({"stage": "terminated"}, "e"),
    ({"stage": "in_production"}, ""),
    ({"county": "liudong"}, "ae"),
    ({"park": "柳东汽车城"}, "ae"),
    ({"industry": "auto"}, "ae"),
    ({"unit": "liudong"}, "ad"),
    ({"unit": "liujiang"}, "be"),
    ({"key": "true"}, "ad"),
    ({"key": "false"}, "bce"),
    ({"key_year": 2026}, "d"),
    ({"key_year": 2024}, ""),
    ({"q": "柳东"}, "ac"),  # a by name, c by investor
    ({"q": "螺"}, "b"),
    ({"q": "柳工"}, "e"),
    ({"q": "%"}, ""),  # LIKE wildcards are matched literally
    ({"q": "_"}, ""),
    ({"county": "liudong", "stage": "negotiating"}, "a"),
    ({"unit": "liudong", "key": "true", "industry": "new_energy"}, "d"),
]


@on_every_backend
def test_ledger_filters_select_the_matching_projects(
    api: Api, portfolio: dict[str, Any]
) -> None:
    letter = {pid: k for k, pid in portfolio["ids"].items()}
    got: dict[str, tuple[str, int]] = {}
    for params, _ in FILTER_CASES:
        ledger = api.ledger(min_position=portfolio["position"], **params)
        found = "".join(sorted(letter[row["id"]] for row in ledger["items"]))
        got[repr(params)] = (found, ledger["count"])

    assert got == {repr(params): (expected, len(expected)) for params, expected in FILTER_CASES}


@on_every_backend
def test_totals_per_stage_are_exact_decimal_sums(api: Api, portfolio: dict[str, Any]) -> None:
    totals = api.ledger(min_position=portfolio["position"])["totals"]

    assert totals == {
        "negotiating": {"count": 2, "total_investment": "2500.1000"},
        "signed": {"count": 2, "total_investment": "100.2001"},
        "terminated": {"count": 1, "total_investment": "7.0000"},
    }


@on_every_backend
def test_point_one_plus_point_two_is_exactly_point_three(api: Api) -> None:
    api.create(total_investment="0.1", name="甲")
    last = api.create(total_investment=0.2, name="乙")  # a JSON number, not a string

    totals = api.ledger(min_position=last["_position"])["totals"]

    assert totals["negotiating"]["total_investment"] == "0.3000"


@on_every_backend
def test_totals_cover_the_whole_filtered_ledger_not_just_the_page(
    api: Api, portfolio: dict[str, Any]
) -> None:
    ledger = api.ledger(min_position=portfolio["position"], limit=1, unit="liudong")

    assert len(ledger["items"]) == 1
    assert ledger["count"] == 2
    assert ledger["totals"] == {"negotiating": {"count": 2, "total_investment": "2500.1000"}}


@on_every_backend
def test_totals_follow_revisions_of_the_investment(api: Api, project: dict[str, Any]) -> None:
    revised = api.do("bureau", project["id"], "revise", {"total_investment": "0.0001"})

    ledger = api.ledger(min_position=revised["_position"])

    assert ledger["totals"]["negotiating"]["total_investment"] == "0.0001"
    assert ledger["items"][0]["total_investment"] == "0.0001"


@on_every_backend
def test_pages_walk_every_project_once_without_gaps(api: Api) -> None:
    created = [api.create(name=f"项目{i}") for i in range(7)]
    newest_first = [p["id"] for p in reversed(created)]

    for limit in (1, 2, 3, 7, 8):
        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": limit, "min_position": created[-1]["_position"]}
            if cursor:
                params["cursor"] = cursor
            page = api.ledger(**params)
            pages += 1
            assert len(page["items"]) <= limit
            assert page["count"] == 7
            seen += [row["id"] for row in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
            assert pages < 20, "pagination does not end"

        assert seen == newest_first, f"limit={limit}"
        assert pages == -(-7 // limit), f"limit={limit}"


@on_every_backend
def test_a_cursor_keeps_its_place_when_projects_are_added(api: Api) -> None:
    first = [api.create(name=f"旧{i}") for i in range(4)]
    page1 = api.ledger(limit=2, min_position=first[-1]["_position"])
    newer = api.create(name="新")

    page2 = api.ledger(limit=2, cursor=page1["next_cursor"], min_position=newer["_position"])

    assert [r["id"] for r in page1["items"]] == [first[3]["id"], first[2]["id"]]
    assert [r["id"] for r in page2["items"]] == [first[1]["id"], first[0]["id"]]
    assert page2["count"] == 5


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize("cursor", ["!!!", "zzzz", _b64("x12"), _b64("pabc"), "\u6f22"],
                         ids=["not-base64", "garbage", "wrong-prefix", "not-a-number",
                              "non-ascii"])
def test_a_bad_cursor_is_422(api: Api, project: dict[str, Any], cursor: str) -> None:
    problem = assert_problem(api.get_ledger(cursor=cursor), 422)

    assert "cursor" in problem["detail"]


@on_every_backend
def test_a_cursor_with_an_out_of_range_number_is_a_422(api: Api, project: dict[str, Any]
                                                       ) -> None:
    response = api.client.get(LEDGER, params={"cursor": _b64("p" + "9" * 30)},
                              headers=api.headers("admin"))

    assert_problem(response, 422)


@on_every_backend
def test_min_position_makes_the_ledger_include_the_write(api: Api, project: dict[str, Any]) -> None:
    response = api.post("bureau", project["id"], "sign",
                        {"date": SIGNED_ON, "contract_amount": "5"})
    written = int(response.headers["X-Ledger-Position"])

    ledger = api.ledger("supervisor", min_position=written)

    assert ledger["position"] >= written
    assert ledger["items"][0]["stage"] == "signed"
    assert ledger["items"][0]["version"] == 2


@on_every_backend
def test_ledger_rows_follow_handling_steps(api: Api, project: dict[str, Any]) -> None:
    pid = project["id"]
    api.do("unit", pid, "raise-problem", {"text": "用地"})
    api.do("unit", pid, "raise-problem", {"text": "用电"})
    api.do("unit", pid, "problems/1/resolve", {"resolution": "已解决"})
    api.do("leader", pid, "instruct", {"text": "抓紧"})
    last = api.do("unit", pid, "report-progress", {"period": "2025-06", "text": "进场施工",
                                                   "funds_in_place": "33.3333"})

    row = api.ledger(min_position=last["_position"])["items"][0]

    assert row["problems_open"] == 1
    assert row["instructions_open"] == 1
    assert row["latest_progress"] == "进场施工"
    assert row["latest_progress_period"] == "2025-06"
    assert row["funds_in_place"] == "33.3333"
    assert row["version"] == 6


@on_every_backend
def test_min_position_beyond_the_head_is_422_at_once(api: Api, project: dict[str, Any]) -> None:
    started = time.monotonic()

    response = api.get_ledger(min_position=project["_position"] + 1000)

    assert time.monotonic() - started < 2
    problem = assert_problem(response, 422)
    assert "beyond the head" in problem["detail"]


@pytest.mark.parametrize("params", [{"min_position": -1}, {"limit": 0}, {"limit": 501},
                                    {"stage": "paused"}, {"key": "maybe"},
                                    {"key_year": 1999}, {"q": "x" * 101}],
                         ids=lambda p: next(iter(p)) + "=" + str(next(iter(p.values())))[:8])
def test_invalid_ledger_query_parameters_are_422(api: Api, params: dict[str, Any]) -> None:
    assert_problem(api.get_ledger(**params), 422)


@on_every_backend
def test_unit_sees_only_projects_of_its_unit_or_county(
    api: Api, portfolio: dict[str, Any]
) -> None:
    mine = api.ledger("unit", min_position=portfolio["position"])
    theirs = api.ledger("other_unit", min_position=portfolio["position"])

    # liudong: responsible for a and d, county of a and e.
    assert _ids(mine) == _names(portfolio, "a", "d", "e")
    assert mine["count"] == 3
    assert mine["totals"] == {
        "negotiating": {"count": 2, "total_investment": "2500.1000"},
        "terminated": {"count": 1, "total_investment": "7.0000"},
    }
    # liujiang: responsible for b and e, county of b.
    assert _ids(theirs) == _names(portfolio, "b", "e")


@on_every_backend
def test_unit_scope_follows_county_revisions_and_reassignments(api: Api) -> None:
    pid = api.create(county="liudong", responsible_unit="gxj")["id"]
    moved = api.do("bureau", pid, "revise", {"county": "yufeng", "reason": "选址调整"})

    assert api.ledger("unit", min_position=moved["_position"])["count"] == 0
    assert_problem(api.get("unit", pid), 403)

    handed = api.do("bureau", pid, "reassign", {"unit": "liudong", "reason": "柳东承接"})

    mine = api.ledger("unit", min_position=handed["_position"])
    assert [(r["id"], r["county"], r["responsible_unit"]) for r in mine["items"]] == [
        (pid, "yufeng", "liudong")]
    assert api.ledger(unit="gxj", min_position=handed["_position"])["count"] == 0


@on_every_backend
def test_unit_filters_cannot_widen_its_scope(api: Api, portfolio: dict[str, Any]) -> None:
    ledger = api.ledger("unit", min_position=portfolio["position"], unit="luzhai")

    assert ledger["items"] == []
    assert ledger["count"] == 0
    assert ledger["totals"] == {}


@on_every_backend
def test_staff_other_than_units_see_the_whole_ledger(api: Api,
                                                   portfolio: dict[str, Any]) -> None:
    counts = {who: api.ledger(who, min_position=portfolio["position"])["count"]
              for who in ("admin", "bureau", "leader", "supervisor", "park_office")}

    assert set(counts.values()) == {5}
    # An agent sees the projects its agency cases name: none of these.
    assert api.ledger("agent", min_position=portfolio["position"])["count"] == 0


@on_every_backend
def test_text_search_gives_the_same_rows_on_sqlite_and_postgres(api: Api) -> None:
    """Case-insensitive over name and investor on each backend (LIKE and ILIKE differ)."""
    last = [api.create(name=name, investor=investor)
            for name, investor in [("ACME Holdings", "Acme Inc"), ("Tesla 柳州工厂", "Tesla"),
                                   ("柳州工厂", "acme partners")]][-1]
    ledger = api.ledger("bureau", q="acme", min_position=last["_position"])
    assert {row["name"] for row in ledger["items"]} == {"ACME Holdings", "柳州工厂"}


def test_the_ledger_filters_each_stage_date_by_period(api: Api) -> None:
    """The monthly report's question: which projects were signed (started, put into
    production) in a period."""
    signed = api.create(name="三月签约")
    api.do("bureau", signed["id"], "sign", {"date": "2025-03-10", "contract_amount": "1"})
    later = api.create(name="五月签约")
    done = api.do("bureau", later["id"], "sign", {"date": "2025-05-02", "contract_amount": "1"})
    wait = done["_position"]

    march = api.ledger(signed_from="2025-03-01", signed_to="2025-03-31", min_position=wait)
    since = api.ledger(signed_from="2025-04-01", min_position=wait)
    reversed_period = api.get_ledger(signed_from="2025-04-01", signed_to="2025-03-01")

    assert [i["name"] for i in march["items"]] == ["三月签约"]
    assert [i["name"] for i in since["items"]] == ["五月签约"]
    assert_problem(reversed_period, 422)
