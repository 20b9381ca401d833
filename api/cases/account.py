"""Accounts: not a case, but aggregates the store snapshots and the journal shows."""

from __future__ import annotations

from application.cases import CaseType
from domain.account import Account, TokenIndex

CASE = CaseType(
    kind="account", label="账号", aggregates=(Account, TokenIndex),
    event_labels={"Registered": "开设账号", "TokenIssued": "签发令牌", "Deactivated": "停用账号"},
)
