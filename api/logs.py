"""Keeps secrets and personal data out of the logs: bearer tokens (`api_key` in Open311 query
strings, `il_…` anywhere) and complaint receipt codes (回执码, which let anyone follow a
complaint) are masked in uvicorn's access and error lines before they are written."""

from __future__ import annotations

import logging
import re
from typing import Any

# api_key=… in a query string; a token anywhere; a receipt code in a path or query.
_PATTERNS = (
    (re.compile(r"(?i)(api_key=)[^&\s\"]*"), r"\1[redacted]"),
    (re.compile(r"\bil_[A-Za-z0-9_\-]{8,}"), "il_[redacted]"),
    (re.compile(r"\bTS[2-9A-HJKMNP-Z]{12}\b"), "TS[redacted]"),
)
LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn")


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class Redact(logging.Filter):
    """Masks tokens and receipt codes in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        return True


def install_redaction(loggers: Any = LOGGERS) -> None:
    """Add the filter to uvicorn's loggers (once), after uvicorn configured them."""
    for name in loggers:
        logger = logging.getLogger(name)
        if not any(isinstance(f, Redact) for f in logger.filters):
            logger.addFilter(Redact())
