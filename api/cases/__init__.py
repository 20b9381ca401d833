"""The case types of investledger, each declared once in a module of this package.

A module here holds one `CASE = CaseType(...)`: its aggregates, event labels, use cases,
routers, projections and ledger readers. The store (snapshots), the journal (kinds and
labels), the composition root (services, projections, readers, deadline recomputation) and
the app (routers) all read `CASE_TYPES`; a new case type is a new module here and edits no
shared list (README: "Adding a case type").
"""

from __future__ import annotations

import importlib
import pkgutil

from application.cases import CaseType


def _discover() -> tuple[CaseType, ...]:
    found = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        case = getattr(importlib.import_module(f"{__name__}.{module.name}"), "CASE", None)
        if isinstance(case, CaseType):
            found.append(case)
    return tuple(found)


CASE_TYPES = _discover()
