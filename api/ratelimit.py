"""Rate limits on what anyone may do without an account: filing a complaint on the public
channel and following one by receipt code, per client address (the `limits` library,
moving window, in this process's memory: with N API processes each allows the rate)."""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import RateLimitItem, parse, storage, strategies

from application.errors import TooManyRequests


class PublicLimits:
    """The public channel's limits: filings and receipt look-ups per client address."""

    def __init__(self, filing: str, lookup: str) -> None:
        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self.filing = parse(filing)
        self.lookup = parse(lookup)

    def hit(self, item: RateLimitItem, request: Request, what: str) -> None:
        """Count one `what` from the request's address; 429 past the limit."""
        address = request.client.host if request.client else "unknown"
        if self._limiter.hit(item, what, address):
            return
        reset = self._limiter.get_window_stats(item, what, address).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        msg = (f"too many {what} from this address: at most {item} ; retry in {wait} s "
               f"/ 请求过于频繁，请稍后再试")
        raise TooManyRequests(msg, retry_after=wait)
