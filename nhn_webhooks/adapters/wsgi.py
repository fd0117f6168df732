"""A WSGI application serving a :class:`~nhn_webhooks.Receiver`: for Flask or any WSGI server.

Serve it directly (``gunicorn app:app``), or mount it beside a Flask app with
Werkzeug's dispatcher::

    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from nhn_webhooks.adapters.wsgi import ReceiverApp

    flask_app.wsgi_app = DispatcherMiddleware(
        flask_app.wsgi_app, {"/nhn/webhook": ReceiverApp(receiver)}
    )

Every path it is given is the webhook; a method other than POST is answered 405, and
a chunked body the server does not end for the app (``wsgi.input_terminated``) 411. The
body is read up to ``receiver.max_body_bytes`` and one byte more: a longer body is
answered 413 without being read to the end. Written against PEP 3333; it imports
nothing beyond the library. ``receiver.receive()`` runs in the server's thread, so
every handler and the store must be plain (not async).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .._receive._answer import Answer
from .._receive._receiver import Receiver

__all__ = ["ReceiverApp"]

StartResponse = Callable[..., Any]

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Content Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class ReceiverApp:
    """A WSGI application answering NHN's webhook POSTs with ``receiver.receive()``."""

    def __init__(self, receiver: Receiver) -> None:
        self.receiver = receiver

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve one WSGI request."""
        if environ.get("REQUEST_METHOD") != "POST":
            return respond(
                start_response, Answer(status=405, text="POST only"), [("Allow", "POST")]
            )
        body = read_body(environ, self.receiver.max_body_bytes)
        if body is None:
            return respond(start_response, Answer(status=411, text="Content-Length required"))
        # The environ is a headers mapping the signature check reads (HTTP_X_TOAST_...).
        return respond(start_response, self.receiver.receive(body, environ))


def read_body(environ: dict[str, Any], limit: int) -> bytes | None:
    """The request body, read no further than one byte past ``limit``.

    None for a chunked body the server does not end for us (no ``Content-Length``, no
    ``wsgi.input_terminated``): PEP 3333 forbids reading on, and taking it for empty
    would answer a real POST as if it carried nothing. It is answered 411.
    """
    stream = environ["wsgi.input"]
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        length = -1
    if length >= 0:
        return bytes(stream.read(min(length, limit + 1)))
    if environ.get("wsgi.input_terminated"):
        return bytes(stream.read(limit + 1))
    if "chunked" in str(environ.get("HTTP_TRANSFER_ENCODING", "")).lower():
        return None
    return b""


def respond(
    start_response: StartResponse, answer: Answer, headers: Iterable[tuple[str, str]] = ()
) -> list[bytes]:
    """Start the response for ``answer``; its body, for the server to send."""
    text = answer.text.encode()
    reason = _REASONS.get(answer.status, "")
    start_response(
        f"{answer.status} {reason}".rstrip(),
        [("Content-Type", answer.content_type), ("Content-Length", str(len(text))), *headers],
    )
    return [text]
