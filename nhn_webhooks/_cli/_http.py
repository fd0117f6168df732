"""The HTTP exchange of ``nhn-webhooks send``: POST a body to your own endpoint the
way NHN does.

http.client rather than urllib.request: NHN neither follows redirects nor goes
through the proxy set in the caller's environment, and neither should a test of the
endpoint. Only ``send`` imports this module, when it runs: the other commands do not
pay for http.client (and the email parser behind it), sockets and threads.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.parse
from typing import NamedTuple

from .._signature import header_value_problem

__all__ = ["Response", "check_header_value", "check_url", "post"]


class Response(NamedTuple):
    """What the endpoint answered: at most the first ``shown`` characters of the body
    (``cut`` when there was more)."""

    status: int
    reason: str
    body: bytes
    cut: bool


def check_url(url: str) -> str | None:
    """Why ``url`` cannot be posted to, or None if it can."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError:  # an unclosed [IPv6 address, a port out of range
        return f"bad host or port in {url!r}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an http:// or https:// URL, got {url!r}"
    try:
        # What the socket layer does to a name before it looks it up: an empty label
        # (a..b) or one over 63 characters fails here rather than deep in a connect.
        parts.hostname.encode("idna")
    except UnicodeError:
        return f"bad host name {parts.hostname!r} in {url!r}"
    if not (parts.path + parts.query).isascii():  # http.client sends the target as ASCII
        return f"the path of {url!r} must be ASCII: percent-encode other characters"
    return None


def check_header_value(value: str | None) -> str | None:
    """Why ``value`` cannot be sent as an HTTP header value, or None if it can."""
    if value is None:
        return None
    problem = header_value_problem(value)
    if problem:
        return f"--signature {problem}"
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return "--signature must be Latin-1 text (an HTTP header value), e.g. ASCII"
    return None


def post(url: str, body: bytes, headers: dict[str, str], timeout: float, *, shown: int) -> Response:
    """POST ``body`` and read the answer, all within ``timeout`` seconds.

    Reads the body only as far as ``shown`` characters of UTF-8 can reach. Raises
    TimeoutError when the exchange takes longer, OSError or http.client.HTTPException
    when there is no answer.
    """
    parts = urllib.parse.urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    limit = 4 * shown + 4  # UTF-8 needs at most four bytes a character
    # The socket timeout bounds each read; a server trickling a byte at a time would
    # pass every one of them, so the whole exchange gets a deadline too.
    expired = threading.Event()
    watchdog = threading.Timer(timeout, _cut_off, (connection, expired))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.connect()
        if expired.is_set():  # the deadline passed while connecting
            raise TimeoutError
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(limit + 1)
    except (OSError, http.client.HTTPException):
        if expired.is_set():
            raise TimeoutError from None
        raise
    finally:
        watchdog.cancel()
        connection.close()
    if expired.is_set():
        raise TimeoutError
    return Response(response.status, response.reason, text[:limit], len(text) > limit)


def _cut_off(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    """Wake the reading thread: its blocked read returns, and the exchange ends."""
    expired.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)
