"""An aiohttp handler serving a :class:`~nhn_webhooks.Receiver`.

::

    from aiohttp import web
    from nhn_webhooks.adapters.aiohttp import receiver_handler

    app = web.Application()
    app.router.add_post("/nhn/webhook", receiver_handler(receiver))

The body is read from the request stream up to ``receiver.max_body_bytes`` and one
byte more, so aiohttp's ``client_max_size`` (1 MiB) does not refuse a large POST
before the receiver sees it; a longer body is answered 413 without being read to the
end.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from .._receive._answer import Answer
from .._receive._receiver import Receiver

__all__ = ["receiver_handler"]


def receiver_handler(receiver: Receiver) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An aiohttp request handler answering NHN's webhook POSTs with ``receiver.areceive()``."""

    async def nhn_webhook(request: web.Request) -> web.Response:
        body = await read_body(request, receiver.max_body_bytes)
        return respond(await receiver.areceive(body, request.headers))

    return nhn_webhook


async def read_body(request: web.Request, limit: int) -> bytes:
    """The request body, read no further than one byte past ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = await request.content.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def respond(answer: Answer) -> web.Response:
    """``answer`` as an aiohttp response."""
    return web.Response(
        text=answer.text, status=answer.status, content_type="text/plain", charset="utf-8"
    )
