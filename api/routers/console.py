"""The web console: one self-contained read-only page (api/static/console.html).

The page itself needs no token; every API call it makes sends the bearer token the user
typed (kept in the browser's sessionStorage). It is served with a Content-Security-Policy
that allows only its own inline script and style (by hash) and calls to this origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

router = APIRouter(include_in_schema=False)

_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


@cache
def page() -> tuple[str, dict[str, str]]:
    """The console's HTML and its response headers."""
    html = (resources.files("api") / "static" / "console.html").read_text(encoding="utf-8")
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, body in _INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {' '.join(hashes['script']) or 'none'}",
        f"style-src {' '.join(hashes['style']) or 'none'}",
        "connect-src 'self'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }
    return html, headers


@router.get("/console", response_class=HTMLResponse)
def console() -> HTMLResponse:
    html, headers = page()
    return HTMLResponse(html, headers=headers)


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/console", status_code=307)
