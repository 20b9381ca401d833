"""The permit items (审批事项) an agent takes through for an enterprise: a catalogue of codes
and names the deployment may replace (LEDGER_AGENCY_ITEMS_FILE, JSON `[{code, name}]`), like
the unit list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from application.units import reference_list
from domain.errors import InvalidValue


@dataclass(frozen=True)
class AgencyItem:
    code: str
    name: str


class AgencyItems:
    """The catalogue, in its order (from filing 立项 to acceptance 竣工验收)."""

    def __init__(self, items: list[AgencyItem]) -> None:
        self._by_code = {item.code: item for item in items}

    @classmethod
    def load(cls, path: Path | None = None) -> AgencyItems:
        entries = reference_list("agency-items.json", path)
        items = [AgencyItem(code=str(e.get("code", "")).strip(),
                            name=str(e.get("name", "")).strip()) for e in entries]
        codes = [item.code for item in items]
        bad = [item.code or "(no code)" for item in items if not (item.code and item.name)]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if bad or twice or not items:
            msg = (f"{path or 'agency-items.json'}: every item needs a code and a name, each code "
                   f"once; missing in {', '.join(bad) or 'none'}, repeated: "
                   f"{', '.join(twice) or 'none'} / 审批事项目录每项须有代码和名称，代码不得重复")
            raise ValueError(msg)
        return cls(items)

    def all(self) -> list[AgencyItem]:
        return list(self._by_code.values())

    def name(self, code: str, recorded: str | None = None) -> str:
        """The item's name; a code no longer listed keeps the name it was recorded with (or
        its code)."""
        item = self._by_code.get(code)
        return item.name if item else recorded or code

    def order(self, code: str) -> int:
        """Where the item stands in the catalogue; codes no longer listed come last."""
        codes = list(self._by_code)
        return codes.index(code) if code in self._by_code else len(codes)

    def require(self, code: str, field: str = "item") -> str:
        """`code` if it is in the catalogue, else 422 listing the codes."""
        if code in self._by_code:
            return code
        choices = ", ".join(f"{i.code} ({i.name})" for i in self._by_code.values())
        msg = (f"{field}: unknown permit item {code!r}; one of {choices} / "
               f"审批事项代码{code!r}不在事项清单中")
        raise InvalidValue(msg)
