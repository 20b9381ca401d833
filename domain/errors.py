"""Domain errors: what a command refuses, and why."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises."""


class RuleViolation(DomainError):
    """A business rule refuses the command in the item's current state (HTTP 409)."""


class InvalidValue(DomainError, ValueError):
    """A value is malformed or out of range, whatever the item's state (HTTP 422)."""
