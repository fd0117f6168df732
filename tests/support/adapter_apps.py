"""One Receiver behind each adapter, served by a real server process (tests/e2e/test_adapters.py).

Configured from the environment: ``NHN_WEBHOOK_SIGNATURE``, ``REDIS_URL`` and
``STORE_PREFIX`` (the idempotency store's key prefix, shared by the two servers of a
framework). The handlers write what they did to the same Redis, under ``STORE_PREFIX``,
so the test reads it from its own process:

- ``handled`` (a hash): how many times each hookId was handled to the end;
- ``unknown`` / ``dead`` (lists): unknown webhooks kept, dead letters' reasons.

A hook whose id starts with ``FAIL-ONCE`` raises the first time it is handled; one
starting with ``SLOW`` takes 300 ms, so two servers given the same POST overlap.

    uvicorn tests.support.adapter_apps:asgi_app          # and fastapi_app, starlette_app
    python -m tests.support.adapter_apps wsgi|flask|django|aiohttp PORT
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis
import redis.asyncio

import nhn_webhooks as nw
from nhn_webhooks.redis import AsyncRedisIdempotencyStore, RedisIdempotencyStore

MAX_BODY_BYTES = 64 * 1024
SIGNATURE = os.environ.get("NHN_WEBHOOK_SIGNATURE", "console-signature")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PREFIX = os.environ.get("STORE_PREFIX", "adapters:")
results = redis.Redis.from_url(REDIS_URL, socket_timeout=5)


def make_receiver(store: object) -> nw.Receiver:
    """The receiver every server runs: record hooks, keep unknown events and dead letters."""
    receiver = nw.Receiver(signature=SIGNATURE, store=store, max_body_bytes=MAX_BODY_BYTES)
    receiver.on_any_hook(handle)
    receiver.on(nw.UnknownWebhook)(keep_unknown)
    receiver.on_dead_letter(keep_dead)
    return receiver


def handle(hook: Any, webhook: nw.Webhook) -> None:
    hook_id = str(getattr(hook, "hook_id", None) or hook.get("hookId"))
    if hook_id.startswith("SLOW"):
        time.sleep(0.3)
    if hook_id.startswith("FAIL-ONCE") and results.set(f"{PREFIX}failed:{hook_id}", 1, nx=True):
        raise OSError("the database is down, this once")
    results.hincrby(f"{PREFIX}handled", hook_id, 1)


def keep_unknown(webhook: nw.UnknownWebhook) -> None:
    results.rpush(f"{PREFIX}unknown", webhook.product_name)


def keep_dead(letter: nw.DeadLetter) -> None:
    results.rpush(f"{PREFIX}dead", letter.reason)


def sync_store() -> RedisIdempotencyStore:
    return RedisIdempotencyStore(redis.Redis.from_url(REDIS_URL, socket_timeout=5), prefix=PREFIX)


# --- ASGI: the bare app, FastAPI and Starlette (uvicorn) ------------------------------

receiver = make_receiver(None)  # the asyncio store is made on the server's event loop


@asynccontextmanager
async def lifespan(*app: object) -> AsyncIterator[None]:
    client = redis.asyncio.Redis.from_url(REDIS_URL, socket_timeout=5)
    async with client:
        receiver.store = AsyncRedisIdempotencyStore(client, prefix=PREFIX)
        yield


def _asgi_app() -> Any:
    from nhn_webhooks.adapters.asgi import ReceiverApp

    return ReceiverApp(receiver, lifespan=lifespan)


def _fastapi_app() -> Any:
    from fastapi import FastAPI
    from starlette.routing import Route

    from nhn_webhooks.adapters.asgi import ReceiverApp

    app = FastAPI(lifespan=lifespan)
    app.router.routes.append(Route("/nhn/webhook", ReceiverApp(receiver), methods=["POST"]))
    return app


def _starlette_app() -> Any:
    from starlette.applications import Starlette
    from starlette.routing import Route

    from nhn_webhooks.adapters.asgi import ReceiverApp

    routes = [Route("/nhn/webhook", ReceiverApp(receiver), methods=["POST"])]
    return Starlette(routes=routes, lifespan=lifespan)


def __getattr__(name: str) -> Any:  # each app built only when its server asks for it
    makers = {"asgi_app": _asgi_app, "fastapi_app": _fastapi_app, "starlette_app": _starlette_app}
    if name in makers:
        return makers[name]()
    raise AttributeError(name)


# --- WSGI, Flask, Django (wsgiref's server), aiohttp (its own) -----------------------


def serve_wsgi(app: Any, port: int) -> None:
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    make_server("127.0.0.1", port, app, handler_class=Quiet).serve_forever()


def wsgi(port: int) -> None:
    from nhn_webhooks.adapters.wsgi import ReceiverApp

    serve_wsgi(ReceiverApp(make_receiver(sync_store())), port)


def flask(port: int) -> None:
    from flask import Flask
    from werkzeug.middleware.dispatcher import DispatcherMiddleware
    from werkzeug.serving import run_simple

    from nhn_webhooks.adapters.wsgi import ReceiverApp

    app = Flask(__name__)
    app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, {"/nhn/webhook": ReceiverApp(make_receiver(sync_store()))}
    )
    run_simple("127.0.0.1", port, app, threaded=True)


urlpatterns: list[Any] = []


def django(port: int) -> None:
    import django as django_package
    from django.conf import settings

    settings.configure(
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",  # as in a new project
        ],
        SECRET_KEY="only-for-the-test-server",
    )
    django_package.setup()
    from django.core.wsgi import get_wsgi_application
    from django.urls import path

    from nhn_webhooks.adapters.django import receiver_view

    urlpatterns.append(path("nhn/webhook", receiver_view(make_receiver(sync_store()))))
    serve_wsgi(get_wsgi_application(), port)


def aiohttp(port: int) -> None:
    from aiohttp import web

    from nhn_webhooks.adapters.aiohttp import receiver_handler

    async def store(app: web.Application) -> AsyncIterator[None]:
        async with lifespan():
            yield

    app = web.Application()
    app.cleanup_ctx.append(store)
    app.router.add_post("/nhn/webhook", receiver_handler(receiver))
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    {"wsgi": wsgi, "flask": flask, "django": django, "aiohttp": aiohttp}[sys.argv[1]](
        int(sys.argv[2])
    )
