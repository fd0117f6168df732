"""``nhn-webhooks send``: POST a body to your own endpoint the way NHN does.

http.client rather than urllib.request: NHN neither follows redirects nor goes
through the proxy set in the caller's environment, and neither should a test of the
endpoint.
"""

from __future__ import annotations

import http.client
import urllib.parse
from typing import NamedTuple

__all__ = ["Response", "check_url", "post"]


class Response(NamedTuple):
    """What the endpoint answered."""

    status: int
    reason: str
    body: bytes


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be posted to, or None if it can."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an http:// or https:// URL, got {url!r}"
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:
        return f"bad port in {url!r}"
    return None


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Response:
    """POST ``body``; raises OSError or http.client.HTTPException if there is no answer."""
    parts = urllib.parse.urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.reason, response.read())
    finally:
        connection.close()
