"""代办员名下: which enterprises and projects an agent's agency cases name, read from the
agent's `AgentCases` index (saved with each case step that changes it, so strongly
consistent) — what the policy's `agent_case` relation asks."""

from __future__ import annotations

from application.errors import NotFound
from application.store import Store
from domain.agency_case import AgentCases


def agent_cases(store: Store, agent: str) -> AgentCases:
    """The agent's index, or a new one (saved with the agent's first case)."""
    try:
        return store.load(AgentCases, AgentCases.create_id(agent))
    except NotFound:
        return AgentCases(agent=agent)


def agent_items(store: Store, agent: str) -> frozenset[str]:
    """Ids of the enterprises and projects the agent's cases name."""
    return agent_cases(store, agent).named()
