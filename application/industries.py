"""Industries (产业类别): the reference list projects and parks name their industries from.

Bundled as application/data/industries.json and replaceable by a deployment's own file
(`LEDGER_INDUSTRIES_FILE`), loaded like the units list. Inputs name an industry by its code
(`auto`) or its Chinese name (`汽车`); what is stored is the code. Projects registered before
the list keep their free-text industry as a label until it is revised to a listed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from application.units import reference_list
from domain.errors import InvalidValue


@dataclass(frozen=True)
class Industry:
    code: str
    name: str


class Industries:
    """The industry reference list: [{code, name}]."""

    def __init__(self, industries: list[Industry]) -> None:
        self._by_code = {i.code: i for i in industries}
        self._by_name = {i.name: i for i in industries}

    @classmethod
    def load(cls, path: Path | None = None) -> Industries:
        found = [Industry(code=str(i["code"]), name=str(i["name"]))
                 for i in reference_list("industries.json", path)]
        codes, names = [i.code for i in found], [i.name for i in found]
        twice = sorted({x for x in codes + names if codes.count(x) + names.count(x) > 1})
        if twice:
            msg = f"industries list names {', '.join(twice)} more than once / 产业目录有重复代码"
            raise ValueError(msg)
        return cls(found)

    def all(self) -> list[Industry]:
        return list(self._by_code.values())

    def find(self, value: object) -> Industry | None:
        """The industry named by its code or its Chinese name (blanks stripped); None for
        anything else, such as a free-text label recorded before the list."""
        if not isinstance(value, str):
            return None
        given = value.strip()
        return self._by_code.get(given) or self._by_name.get(given)

    def name(self, code: str) -> str:
        """The Chinese name of a code; a label not in the list stays as it is."""
        found = self.find(code)
        return found.name if found else code

    def require(self, value: object, field: str) -> str:
        """The code of the industry `value` names; 422 listing the valid values otherwise."""
        found = self.find(value)
        if found is None:
            choices = ", ".join(f"{i.code} ({i.name})" for i in self.all())
            msg = (f"{field}: unknown industry {value!r}; give a code or Chinese name of the "
                   f"industry list (GET /api/v1/industries): {choices} / "
                   f"{field}须为产业目录中的代码或名称")
            raise InvalidValue(msg)
        return found.code
