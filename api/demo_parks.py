"""Demo parks (园区): registered after the demo projects, so the projects whose free-text
park names one are placed in it; last year's output, one park meeting 柳政规〔2020〕1号 and
one short of it; and a park-entry review (入园联合论证) waiting for its opinions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from api.bootstrap import Container
from application.context import Caller

# name, level, county, managing unit, 亩, leading industries, last year's output by industry
PARKS = [
    ("柳东新区汽车产业园", "city", "liudong", "ldgwh", "52000", ["汽车", "新能源", "电子信息"],
     {"汽车": "3200000", "新能源": "650000", "电子信息": "420000", "机械": "310000"}),
    ("阳和工业园", "city", "yanghe", "yhgwh", "18000", ["机械", "汽车"],
     {"机械": "260000", "汽车": "150000", "食品": "180000", "建材": "150000"}),
    ("河西工业区", "district", "liunan", "hxgwh", "9000", ["机械", "新材料"], {}),
    ("柳城六塘化工产业园", "county", "liucheng", "ltgwh", "12000", ["化工", "新材料"],
     {"化工": "180000", "新材料": "60000", "建材": "30000"}),
]


def load_parks(c: Container, callers: dict[str, Caller]) -> None:
    office = callers["park_office"]
    today = c.clock.today()
    ids = {}
    for name, level, county, unit, area, leading, output in PARKS:
        park = c.parks.register(office, name, level, county, unit, Decimal(area), leading,
                                on=today - timedelta(days=30)).state
        ids[name] = park.id
        if output:
            c.parks.report_output(office, park.id, today.year - 1,
                                  [{"industry": k, "output": Decimal(v)}
                                   for k, v in output.items()], on=today - timedelta(days=20))
    machinery = next(pid for pid in c.projects.ids()
                     if c.projects.load(pid).name == "工程机械再制造中心")
    c.park_entry_reviews.open(office, machinery, ids["阳和工业园"], Decimal("120"),
                              Decimal("375"), Decimal("600"), on=today - timedelta(days=10))
