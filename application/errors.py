"""Errors raised by use cases, mapped to HTTP status codes in api/errors.py."""

from __future__ import annotations


class ApplicationError(Exception):
    """Base of use-case errors."""


class NotFound(ApplicationError):
    """No item with that id (HTTP 404)."""


class Unauthenticated(ApplicationError):
    """Missing, unknown or revoked token (HTTP 401)."""


class Forbidden(ApplicationError):
    """The caller's role or unit may not do this (HTTP 403)."""


class StaleVersion(ApplicationError):
    """If-Match names a version that is no longer current (HTTP 412)."""


class ConcurrentUpdate(ApplicationError):
    """Another writer saved the same item first (HTTP 409); reload and try again."""


class TooManyRequests(ApplicationError):
    """A caller without an account went past a rate limit (HTTP 429, Retry-After)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NotReady(ApplicationError):
    """A read model has not yet reached the asked position (HTTP 503)."""


class NotConfigured(ApplicationError):
    """The deployment lacks a setting this request needs, such as a signing key (HTTP 503)."""


class HistoryDamaged(ApplicationError):
    """An item's stored events are not in sequence — one was removed or moved outside the
    application — so its state cannot be rebuilt (HTTP 500, naming the item)."""


class ChainBroken(ApplicationError):
    """The audit chain's stored links are not in sequence, so no proof can be made (HTTP 409)."""
