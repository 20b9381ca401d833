"""Units (单位): reference data of departments, counties, zones and the park office."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from domain.errors import InvalidValue
from domain.shared import UNIT_REFERENCE

UNIT_KINDS = ("department", "county", "zone", "park_office", "park_committee")
KIND_LABELS = {"department": "市级部门", "county": "县区", "zone": "开发区",
               "park_office": "园区办", "park_committee": "园区管委会"}


def reference_list(bundled: str, path: Path | None = None) -> list[dict[str, Any]]:
    """A reference list the deployment may replace (DESIGN.md 13): the JSON file at `path`
    (a `LEDGER_*_FILE` setting), else the one bundled as application/data/`bundled`."""
    if path is None:
        text = resources.files("application").joinpath(f"data/{bundled}").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    found = json.loads(text)
    if not isinstance(found, list) or not all(isinstance(entry, dict) for entry in found):
        msg = f"{path or bundled}: expected a JSON list of objects / 须为对象列表"
        raise ValueError(msg)
    return found


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str


class Units:
    """The unit reference list, loaded once from a JSON file: [{code, name, kind}]."""

    def __init__(self, units: list[Unit]) -> None:
        self._by_code = {u.code: u for u in units}

    @classmethod
    def load(cls, path: Path | None = None) -> Units:
        units = [Unit(code=u["code"], name=u["name"], kind=u["kind"])
                 for u in reference_list("units.json", path)]
        bad = [u.code for u in units if u.kind not in UNIT_KINDS]
        if bad:
            msg = (f"units {', '.join(bad)} have an unknown kind; kinds are "
                   f"{', '.join(UNIT_KINDS)} / 单位类别不在所列取值之中")
            raise ValueError(msg)
        return cls(units)

    def all(self) -> list[Unit]:
        return list(self._by_code.values())

    def get(self, code: str) -> Unit | None:
        return self._by_code.get(code)

    def name(self, code: str | None) -> str | None:
        """The unit's name (a code no longer listed keeps its code)."""
        unit = self._by_code.get(code) if code else None
        return unit.name if unit else code

    def render(self, text: str) -> str:
        """`text` with each unit reference (domain.shared.unit_reference) as the unit's
        name (a code no longer listed as the code)."""
        def name(match: re.Match[str]) -> str:
            unit = self._by_code.get(match.group(1))
            return unit.name if unit else match.group(1)

        return UNIT_REFERENCE.sub(name, text)

    def require(self, code: str, field: str, kinds: tuple[str, ...] = UNIT_KINDS) -> str:
        unit = self._by_code.get(code)
        if unit is None:
            msg = (f"{field}: unknown unit code {code!r}; see GET /api/v1/units / "
                   f"单位代码{code!r}不存在，可查 GET /api/v1/units")
            raise InvalidValue(msg)
        if unit.kind not in kinds:
            msg = (f"{field}: {code} ({unit.name}) is a {unit.kind}, expected "
                   f"{' or '.join(kinds)} / {unit.name}不是此处可填的单位类型")
            raise InvalidValue(msg)
        return code
