"""An ASGI application serving a :class:`~nhn_webhooks.Receiver`: no framework needed.

Serve it directly (``uvicorn app:app``), or route it in FastAPI or Starlette::

    from starlette.routing import Route
    from nhn_webhooks.adapters.asgi import ReceiverApp

    app = ReceiverApp(receiver)                                 # uvicorn app:app
    routes = [Route("/nhn/webhook", ReceiverApp(receiver), methods=["POST"])]  # Starlette
    fastapi_app.router.routes.append(Route("/nhn/webhook", ReceiverApp(receiver)))

Every path it is given is the webhook; a method other than POST is answered 405. The
body is read up to ``receiver.max_body_bytes`` and one byte more: a longer body is
answered 413 without being read to the end. Written against the ASGI 3 specification
(HTTP and lifespan scopes); it imports nothing beyond the library.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from .._receive._answer import Answer
from .._receive._receiver import Receiver

__all__ = ["ReceiverApp"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class ReceiverApp:
    """An ASGI 3 application answering NHN's webhook POSTs with ``receiver.areceive()``.

    ``lifespan``, when given, is entered at server start-up and left at shutdown (an
    ``asynccontextmanager`` that makes the Redis client and sets ``receiver.store``);
    it runs only when this app is the one the server serves, since a framework does
    not pass the lifespan on to a mounted app: there, use the framework's own. Start-up
    fails when the receiver has no signature to check.
    """

    def __init__(
        self,
        receiver: Receiver,
        *,
        lifespan: Callable[[], AbstractAsyncContextManager[object]] | None = None,
    ) -> None:
        self.receiver = receiver
        self.lifespan = lifespan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection: an HTTP request, or the server's lifespan."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            raise ValueError(f"ReceiverApp serves HTTP, not {scope['type']!r}")

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            await respond(send, Answer(status=405, text="POST only"), [(b"allow", b"POST")])
            return
        body = await read_body(receive, self.receiver.max_body_bytes)
        answer = await self.receiver.areceive(body, scope["headers"])
        await respond(send, answer)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        context = None
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    if not self.receiver.checks_signature:
                        raise TypeError("the Receiver has no signature=: it cannot receive()")
                    if self.lifespan is not None:
                        context = self.lifespan()
                        await context.__aenter__()
                except Exception as error:
                    await send({"type": "lifespan.startup.failed", "message": repr(error)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if context is not None:
                    await context.__aexit__(None, None, None)
                await send({"type": "lifespan.shutdown.complete"})
                return


async def read_body(receive: Receive, limit: int) -> bytes:
    """The request body, stopping once it is longer than ``limit`` (then cut there + 1)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if size > limit or not message.get("more_body", False):
            break
    return b"".join(chunks)[: limit + 1]


async def respond(send: Send, answer: Answer, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    """Send ``answer`` as a complete plain-text response."""
    text = answer.text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": answer.status,
            "headers": [
                (b"content-type", answer.content_type.encode()),
                (b"content-length", str(len(text)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})
