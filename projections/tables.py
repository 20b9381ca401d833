"""Read-model tables, each declared once: its name, its columns with their SQL types, its
indexes. The DDL that creates it and the columns a batch's cache writes back are both read
from that one declaration, so a column is spelled once. A row about one part of an
aggregate is keyed `<aggregate id>:<part>` (`part_key`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Table:
    """A read-model table, declared once: its name, its columns as SQL (`schema`, from which
    the columns a cache writes are read), its unique and plain indexes (suffix of the
    index's name → its columns). In SQL text it stands for its name. Every read-model table
    is keyed by its `id` column."""

    key = "id"

    def __init__(self, name: str, schema: str, *,
                 unique: Mapping[str, str] | None = None,
                 index: Mapping[str, str] | None = None) -> None:
        self.name = name
        self.schema = " ".join(schema.split())
        self.columns = tuple(column.split()[0] for column in self.schema.split(","))
        self.unique = dict(unique or {})
        self.index = dict(index or {})

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"Table({self.name!r})"

    @property
    def ddl(self) -> tuple[str, ...]:
        return (
            f"CREATE TABLE IF NOT EXISTS {self.name} ({self.schema})",
            *(f"CREATE UNIQUE INDEX IF NOT EXISTS {self.name}_{suffix} ON {self.name} ({on})"
              for suffix, on in self.unique.items()),
            *(f"CREATE INDEX IF NOT EXISTS {self.name}_{suffix} ON {self.name} ({on})"
              for suffix, on in self.index.items()),
        )


def part_key(e: Any, part: object) -> str:
    """The key of a row about one part of `e`'s aggregate (a permit item, a year's listing,
    an action item): `<aggregate id>:<part>`."""
    return f"{e.originator_id}:{part}"
