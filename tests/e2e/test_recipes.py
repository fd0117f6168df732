"""The framework recipes in docs/recipes/ work, driven by each framework's test client.

Every bundled sample with the right signature is answered 200 and handed off as its
class; a bad body is answered 400 with the JSON path; a missing or wrong signature is
answered 401 before the body is read. The asyncio recipes hand each hook off once,
with the idempotency store in the session's real redis-server; the Celery recipe
enqueues raw bodies on that Redis and its task processes each hook once.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import queue
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import redis

import nhn_webhooks as nw
from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body
from tests.conftest import sample_dict, to_body
from tests.support.redis_server import RedisServer, free_port

RECIPES = Path(__file__).parents[2] / "docs" / "recipes"
SECRET = "console-signature"
SIGNED = {nw.SIGNATURE_HEADER: SECRET, "Content-Type": "application/json;charset=UTF-8"}
UNSIGNED = {"Content-Type": "application/json;charset=UTF-8"}
WRONG = {**SIGNED, nw.SIGNATURE_HEADER: "guessed"}
BAD_RECIPIENT_SEQ = (
    b'{"hooksId": "h", "webhookConfigId": "c", "productName": "SMS", "appKey": "k",'
    b' "event": "MESSAGE_RESULT_UPDATE", "hooks": [{"recipientSeq": "abc"}]}'
)

Post = Callable[[bytes, dict[str, str]], tuple[int, str]]


@dataclass
class Receiver:
    """A recipe module, a way to POST a body to its endpoint, and a way to stop it."""

    module: ModuleType
    post: Post
    close: Callable[[], None] = lambda: None


REDIS: dict[str, str] = {}  # "url": the session's redis-server, once redis_client runs


def load_recipe(name: str) -> ModuleType:
    """Import docs/recipes/<name>.py as a module, with the signature and Redis configured."""
    spec = importlib.util.spec_from_file_location(f"recipe_{name}", RECIPES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Flask and Django look their module up by name
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NHN_WEBHOOK_SIGNATURE", SECRET)
        patch.setenv("REDIS_URL", REDIS["url"])
        spec.loader.exec_module(module)
    return module


def asgi_receiver(name: str) -> Receiver:
    from starlette.testclient import TestClient

    module = load_recipe(name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDIS_URL", REDIS["url"])
        client = TestClient(module.app).__enter__()  # runs the lifespan: the Redis client

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        response = client.post("/nhn/webhook", content=body, headers=headers)
        return response.status_code, response.text

    return Receiver(module, post, close=lambda: client.__exit__(None, None, None))


def fastapi_receiver() -> Receiver:
    return asgi_receiver("fastapi_app")


def starlette_receiver() -> Receiver:
    return asgi_receiver("starlette_app")


def flask_receiver(name: str = "flask_app") -> Receiver:
    module = load_recipe(name)
    client = module.app.test_client()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        response = client.post("/nhn/webhook", data=body, headers=headers)
        return response.status_code, response.get_data(as_text=True)

    return Receiver(module, post)


def django_receiver() -> Receiver:
    import django
    from django.conf import settings
    from django.test import Client

    settings.configure(
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF="recipe_django_app",
        MIDDLEWARE=[
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",  # as in a new project
        ],
        NHN_WEBHOOK_SIGNATURE=SECRET,
        SECRET_KEY="only-for-the-test-client",
    )
    django.setup()
    module = load_recipe("django_app")
    client = Client(enforce_csrf_checks=True)  # as a real POST from NHN meets it

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        response = client.generic("POST", "/nhn/webhook", body, headers=headers)
        return response.status_code, response.content.decode()

    return Receiver(module, post)


def aiohttp_receiver() -> Receiver:
    from aiohttp.test_utils import TestClient, TestServer

    module = load_recipe("aiohttp_app")

    async def post_async(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        async with TestClient(TestServer(module.create_app(), host="127.0.0.1")) as client:
            response = await client.post("/nhn/webhook", data=body, headers=headers)
            return response.status, await response.text()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("REDIS_URL", REDIS["url"])  # read by each app's start-up
            return asyncio.run(post_async(body, headers))

    return Receiver(module, post)


FRAMEWORKS: dict[str, Callable[[], Receiver]] = {
    "fastapi": fastapi_receiver,
    "starlette": starlette_receiver,
    "flask": flask_receiver,
    "django": django_receiver,
    "aiohttp": aiohttp_receiver,
}
_loaded: dict[str, Receiver] = {}


ASYNC_STORE = ("aiohttp", "fastapi", "starlette")


@pytest.fixture(scope="module")
def redis_client(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """The session's Redis, emptied before each test that uses a recipe."""
    REDIS["url"] = redis_server.url
    with redis.Redis.from_url(redis_server.url) as client:
        yield client
    for loaded in _loaded.values():
        loaded.close()
    _loaded.clear()


@pytest.fixture(params=sorted(FRAMEWORKS))
def receiver(request: pytest.FixtureRequest, redis_client: redis.Redis) -> Receiver:
    """Each recipe, loaded once (Django's settings can be configured only once)."""
    name: str = request.param
    if name not in _loaded:
        _loaded[name] = FRAMEWORKS[name]()
    redis_client.flushdb()  # no hook handed off yet
    return _loaded[name]


@pytest.fixture(params=ASYNC_STORE)
def async_receiver(request: pytest.FixtureRequest, redis_client: redis.Redis) -> Receiver:
    """The recipes that hand each hook off once, with the asyncio Redis store."""
    name: str = request.param
    if name not in _loaded:
        _loaded[name] = FRAMEWORKS[name]()
    redis_client.flushdb()
    return _loaded[name]


@pytest.fixture
def handed_off(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> list[nw.Webhook]:
    """What the recipe's handler hands off, in order."""
    webhooks: list[nw.Webhook] = []
    monkeypatch.setattr(receiver.module, "hand_off", webhooks.append)
    return webhooks


@pytest.mark.parametrize(("cls", "name"), SAMPLE_NAMES.items(), ids=SAMPLE_NAMES.values())
def test_signed_sample_is_answered_200_and_handed_off_decoded(
    receiver: Receiver, handed_off: list[nw.Webhook], cls: type[nw.Envelope], name: str
) -> None:
    status, _ = receiver.post(sample_body(name), SIGNED)
    assert status == 200
    assert handed_off == [nw.decode(sample_body(name))]
    assert type(handed_off[0]) is cls


def test_unknown_event_is_accepted_and_handed_off(
    receiver: Receiver, handed_off: list[nw.Webhook]
) -> None:
    body = (
        b'{"hooksId": "P1", "webhookConfigId": "C1", "productName": "Push", "appKey": "A",'
        b' "event": "SENT", "hooks": [{"token": "t"}]}'
    )
    status, _ = receiver.post(body, SIGNED)
    assert status == 200
    [webhook] = handed_off
    assert isinstance(webhook, nw.UnknownWebhook)
    assert (webhook.product_name, webhook.hooks) == ("Push", [{"token": "t"}])


@pytest.mark.parametrize(
    ("body", "path"), [(b"{not json", "$: malformed JSON"), (BAD_RECIPIENT_SEQ, "$.hooks[0]")]
)
def test_bad_body_is_answered_400_naming_the_path(
    receiver: Receiver, handed_off: list[nw.Webhook], body: bytes, path: str
) -> None:
    status, text = receiver.post(body, SIGNED)
    assert status == 400
    assert text.startswith(path)
    assert handed_off == []


@pytest.mark.parametrize("headers", [UNSIGNED, WRONG], ids=["missing", "wrong"])
@pytest.mark.parametrize("name", ["sms-message-result-update", "bad-body"])
def test_unsigned_post_is_answered_401_before_the_body_is_read(
    receiver: Receiver, handed_off: list[nw.Webhook], headers: dict[str, str], name: str
) -> None:
    body = BAD_RECIPIENT_SEQ if name == "bad-body" else sample_body(name)
    status, text = receiver.post(body, headers)
    assert status == 401
    assert SECRET not in text
    assert handed_off == []


def results_with_one_failure() -> tuple[nw.Webhook, str]:
    """An SMS result POST of two hooks: the second says its message failed; its hookId."""
    data = nw.testing.sample_data(nw.SmsMessageResultUpdate, hooks=2)
    data["hooks"][1].update(hookId="H-FAILED", messageStatus="FAILED", resultCode="3015")
    webhook = nw.decode(to_body(data))
    assert [hook.outcome for hook in webhook.hooks] == [nw.Outcome.DELIVERED, nw.Outcome.FAILED]
    return webhook, "H-FAILED"


def failure_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_hand_off_warns_of_each_failed_message_by_its_outcome(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    webhook, failed = results_with_one_failure()
    with caplog.at_level(logging.INFO):
        receiver.module.hand_off(webhook)
    [warning] = failure_warnings(caplog)
    assert f"failed (hook {failed})" in warning


# --- each hook once: the asyncio Redis store ------------------------------------------


def hook_ids(webhooks: list[nw.Webhook]) -> list[list[str]]:
    return [[hook.hook_id for hook in webhook.hooks] for webhook in webhooks]  # type: ignore[union-attr]


def sms_body(hooks_id: str, *hook_ids: str) -> bytes:
    data = nw.testing.sample_data(nw.SmsMessageResultUpdate, hooks=len(hook_ids))
    data["hooksId"] = hooks_id
    for hook, hook_id in zip(data["hooks"], hook_ids, strict=True):
        # A hook repeated in another POST is the same message again: its key says so.
        hook.update(hookId=hook_id, requestId=f"request-{hook_id}", recipientSeq=1)
    return to_body(data)


def test_replayed_post_is_answered_200_and_handed_off_once(
    async_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    webhooks: list[nw.Webhook] = []
    monkeypatch.setattr(async_receiver.module, "hand_off", webhooks.append)
    body = sms_body("P1", "H1", "H2")
    assert [async_receiver.post(body, SIGNED)[0] for _ in range(3)] == [200, 200, 200]
    assert hook_ids(webhooks) == [["H1", "H2"]]


def test_repeated_hook_in_a_new_post_is_left_out(
    async_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    webhooks: list[nw.Webhook] = []
    monkeypatch.setattr(async_receiver.module, "hand_off", webhooks.append)
    async_receiver.post(sms_body("P1", "H1", "H2"), SIGNED)
    assert async_receiver.post(sms_body("P2", "H2", "H3", "H1", "H4"), SIGNED)[0] == 200
    assert hook_ids(webhooks) == [["H1", "H2"], ["H3", "H4"]]
    assert webhooks[1].hooks_id == "P2"


def test_failed_hand_off_lets_the_next_delivery_through(
    async_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    webhooks: list[nw.Webhook] = []

    def broken(webhook: nw.Webhook) -> None:
        raise OSError("queue down")

    monkeypatch.setattr(async_receiver.module, "hand_off", broken)
    try:
        status = async_receiver.post(sms_body("P1", "H1"), SIGNED)[0]
    except OSError:  # Starlette's test client raises what the app raised
        status = 500
    assert status == 500
    monkeypatch.setattr(async_receiver.module, "hand_off", webhooks.append)
    assert async_receiver.post(sms_body("P1", "H1"), SIGNED)[0] == 200
    assert hook_ids(webhooks) == [["H1"]]


def test_hook_held_by_a_request_that_died_is_answered_503_until_claimable(
    async_receiver: Receiver, monkeypatch: pytest.MonkeyPatch, redis_client: redis.Redis
) -> None:
    from nhn_webhooks.redis import RedisIdempotencyStore

    webhooks: list[nw.Webhook] = []
    monkeypatch.setattr(async_receiver.module, "hand_off", webhooks.append)
    body = sms_body("P1", "H1", "H2")
    webhook = nw.decode(body)
    dead_request = RedisIdempotencyStore(redis_client)
    held = nw.idempotency_key(webhook, webhook.hooks[1])
    assert dead_request.claim(held)
    assert async_receiver.post(body, SIGNED)[0] == 503  # NHN: send it again later
    dead_request.release(held)  # as its lease runs out
    assert async_receiver.post(body, SIGNED)[0] == 200
    assert hook_ids(webhooks) == [["H1"], ["H2"]]


def test_unreachable_store_is_answered_503_and_nothing_handed_off(
    async_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    import redis.asyncio

    from nhn_webhooks.redis import AsyncRedisIdempotencyStore

    webhooks: list[nw.Webhook] = []
    monkeypatch.setattr(async_receiver.module, "hand_off", webhooks.append)
    nowhere = f"redis://127.0.0.1:{free_port()}/0"
    if hasattr(async_receiver.module, "app"):  # FastAPI, Starlette: made at start-up
        dead = AsyncRedisIdempotencyStore(redis.asyncio.Redis.from_url(nowhere))
        monkeypatch.setattr(async_receiver.module.receiver, "store", dead)
    else:  # aiohttp: each test server starts the app again, reading REDIS_URL
        monkeypatch.setitem(REDIS, "url", nowhere)
    assert async_receiver.post(sms_body("P1", "H1"), SIGNED)[0] == 503
    assert webhooks == []


# --- many processes: Celery on Redis --------------------------------------------------


@pytest.fixture
def celery_recipe(redis_client: redis.Redis) -> Iterator[Receiver]:
    """The Celery recipe's receiver (Starlette, its lifespan run) and its module."""
    from starlette.testclient import TestClient

    redis_client.flushdb()
    module = load_recipe("celery_app")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NHN_WEBHOOK_SIGNATURE", SECRET)
        client = TestClient(module.app).__enter__()  # the lifespan reads the signature

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        response = client.post("/nhn/webhook", content=body, headers=headers)
        return response.status_code, response.text

    try:
        yield Receiver(module, post)
    finally:
        client.__exit__(None, None, None)
        module.celery.close()
        module.store._client.close()


def queued_arguments(client: redis.Redis) -> list[Any]:
    """The arguments of every task message in Celery's default queue, oldest first."""
    import base64

    from kombu.utils.json import loads

    messages = [json.loads(raw) for raw in reversed(client.lrange("celery", 0, -1))]
    return [loads(base64.b64decode(message["body"]))[0] for message in messages]


def test_celery_receiver_enqueues_the_raw_body_bytes(
    celery_recipe: Receiver, redis_client: redis.Redis
) -> None:
    bodies = [sample_body(name) for name in SAMPLE_NAMES.values()] + [b"{not json"]
    for body in bodies:
        assert celery_recipe.post(body, SIGNED)[0] == 200
    assert queued_arguments(redis_client) == [[body] for body in bodies]


@pytest.mark.parametrize("headers", [UNSIGNED, WRONG], ids=["missing", "wrong"])
def test_celery_receiver_keeps_unsigned_bodies_out_of_the_queue(
    celery_recipe: Receiver, redis_client: redis.Redis, headers: dict[str, str]
) -> None:
    assert celery_recipe.post(sample_body("sms-unsubscribe"), headers)[0] == 401
    assert redis_client.llen("celery") == 0


@pytest.fixture
def celery_worked(celery_recipe: Receiver, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """What the task handled (hook ids) and dead-lettered (raw JSON, reason)."""
    seen: dict[str, list[Any]] = {"handled": [], "dead": []}
    monkeypatch.setattr(
        celery_recipe.module, "handle", lambda webhook, hook: seen["handled"].append(hook.hook_id)
    )
    monkeypatch.setattr(
        celery_recipe.module, "dead_letter", lambda raw, reason: seen["dead"].append((raw, reason))
    )
    return seen


def test_celery_task_processes_each_hook_once_and_dead_letters_bad_hooks_raw(
    celery_recipe: Receiver, celery_worked: dict[str, list[Any]]
) -> None:
    process_body = celery_recipe.module.process_body
    data = json.loads(sms_body("P1", "H1", "H2", "H3"))
    data["hooks"][1]["recipientSeq"] = "abc"
    body = to_body(data)
    process_body(body)
    process_body(body)  # the same POST replayed
    process_body(sms_body("P2", "H3", "H4"))  # H3 repeated
    assert celery_worked["handled"] == ["H1", "H3", "H4"]
    (raw, reason), again = celery_worked["dead"]
    assert json.loads(raw) == data["hooks"][1]
    assert reason.startswith("$.hooks[1].recipientSeq")
    assert again == (raw, reason)


def test_celery_task_dead_letters_an_unreadable_body_whole(
    celery_recipe: Receiver, celery_worked: dict[str, list[Any]]
) -> None:
    celery_recipe.module.process_body(b"{not json")
    assert celery_worked["dead"] == [(b"{not json", celery_worked["dead"][0][1])]
    assert celery_worked["dead"][0][1].startswith("$: malformed JSON")
    assert celery_worked["handled"] == []


def test_celery_task_failure_releases_the_hook_for_the_retry(
    celery_recipe: Receiver, celery_worked: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = celery_recipe.module
    record = module.handle

    def flaky(webhook: nw.Webhook, hook: Any) -> None:
        if hook.hook_id == "H2":
            raise OSError("database down")
        record(webhook, hook)

    monkeypatch.setattr(module, "handle", flaky)
    with pytest.raises(OSError, match="database down"):  # a worker would retry the task
        module.process_body(sms_body("P1", "H1", "H2", "H3"))
    monkeypatch.setattr(module, "handle", record)
    module.process_body(sms_body("P1", "H1", "H2", "H3"))
    assert celery_worked["handled"] == ["H1", "H2", "H3"]


def test_celery_task_failing_for_good_dead_letters_its_body_and_loses_no_hook(
    celery_recipe: Receiver, celery_worked: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = celery_recipe.module
    record = module.handle

    def buggy(webhook: nw.Webhook, hook: Any) -> None:
        if hook.hook_id == "H2":
            raise KeyError("a bug in handle()")  # neither retried nor Unprocessable
        record(webhook, hook)

    monkeypatch.setattr(module, "handle", buggy)
    body = sms_body("P1", "H1", "H2", "H3")
    assert module.process_body.apply(args=(body,)).failed()  # as a worker runs it
    [(raw, reason)] = celery_worked["dead"]
    assert (raw, reason) == (body, "task failed: KeyError: 'a bug in handle()'")
    assert celery_worked["handled"] == ["H1"]
    monkeypatch.setattr(module, "handle", record)
    module.process_body(raw)  # a person feeds the dead-lettered body back, once fixed
    assert celery_worked["handled"] == ["H1", "H2", "H3"]


def test_celery_task_retries_a_hook_claimed_by_a_worker_that_died(
    celery_recipe: Receiver, celery_worked: dict[str, list[Any]], redis_client: redis.Redis
) -> None:
    from celery.exceptions import Retry

    from nhn_webhooks.redis import RedisIdempotencyStore

    module = celery_recipe.module
    body = sms_body("P1", "H1", "H2", "H3")
    webhook = nw.decode(body)
    dead_worker = RedisIdempotencyStore(redis_client)
    assert dead_worker.claim(nw.idempotency_key(webhook, webhook.hooks[1]))
    with pytest.raises(Retry):  # a worker retries it after the lease
        module.process_body(body)
    assert celery_worked["handled"] == ["H1", "H3"]
    dead_worker.release(nw.idempotency_key(webhook, webhook.hooks[1]))  # as the lease ends
    module.process_body(body)
    assert celery_worked["handled"] == ["H1", "H3", "H2"]


def test_celery_handle_warns_of_each_failed_message_by_its_outcome(
    celery_recipe: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    webhook, failed = results_with_one_failure()
    with caplog.at_level(logging.INFO):
        for hook in webhook.hooks:
            celery_recipe.module.handle(webhook, hook)
    [warning] = failure_warnings(caplog)
    assert f"failed (hook {failed})" in warning


def test_celery_task_dead_letters_an_unprocessable_hook_once(
    celery_recipe: Receiver, celery_worked: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = celery_recipe.module

    def refuse(webhook: nw.Webhook, hook: Any) -> None:
        raise module.Unprocessable("unknown recipient")

    monkeypatch.setattr(module, "handle", refuse)
    module.process_body(sms_body("P1", "H1"))
    module.process_body(sms_body("P1", "H1"))
    [(raw, reason)] = celery_worked["dead"]
    assert (json.loads(raw)["hookId"], reason) == ("H1", "unknown recipient")


# --- moving work off the request path ----------------------------------------------


@pytest.fixture(scope="module")
def queued(redis_client: redis.Redis) -> Iterator[Receiver]:
    """The queue recipe with its worker thread running; stopped at the end."""
    receiver = flask_receiver("queue_worker")
    yield receiver
    receiver.module.bodies.put(None)
    receiver.module.worker.join(timeout=10)
    assert not receiver.module.worker.is_alive()


@pytest.fixture
def worked(queued: Receiver, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """What the worker handled and dead-lettered."""
    seen: dict[str, list[Any]] = {"handled": [], "dead": []}
    monkeypatch.setattr(queued.module, "handle", seen["handled"].append)
    monkeypatch.setattr(
        queued.module, "dead_letter", lambda body, error: seen["dead"].append((body, error))
    )
    return seen


def test_queue_recipe_answers_200_and_the_worker_decodes_every_sample(
    queued: Receiver, worked: dict[str, list[Any]]
) -> None:
    bodies = [sample_body(name) for name in SAMPLE_NAMES.values()]
    for body in bodies:
        assert queued.post(body, SIGNED)[0] == 200
    queued.module.bodies.join()
    assert worked["handled"] == [nw.decode(body) for body in bodies]
    assert worked["dead"] == []


def test_queue_recipe_dead_letters_a_bad_body_with_its_decode_error(
    queued: Receiver, worked: dict[str, list[Any]]
) -> None:
    assert queued.post(BAD_RECIPIENT_SEQ, SIGNED)[0] == 200
    queued.module.bodies.join()
    [(body, error)] = worked["dead"]
    assert body == BAD_RECIPIENT_SEQ
    assert isinstance(error, nw.DecodeError)
    assert error.path.startswith("$.hooks[0]")
    assert worked["handled"] == []


@pytest.mark.parametrize("headers", [UNSIGNED, WRONG], ids=["missing", "wrong"])
def test_queue_recipe_keeps_unsigned_bodies_out_of_the_queue(
    queued: Receiver, headers: dict[str, str]
) -> None:
    assert queued.post(sample_body("sms-unsubscribe"), headers)[0] == 401
    assert queued.module.bodies.empty()


def test_queue_recipe_answers_503_when_the_queue_is_full(
    queued: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    full: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
    full.put(b"{}")
    monkeypatch.setattr(queued.module, "bodies", full)
    assert queued.post(sample_body("sms-unsubscribe"), SIGNED)[0] == 503


def test_queue_recipe_handler_logs_each_failed_message(
    queued: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    data = sample_dict("sms-message-result-update")
    data["hooks"].append({**data["hooks"][0], "hookId": "H2", "resultCode": "3015"})
    with caplog.at_level(logging.INFO, logger=queued.module.log.name):
        queued.module.handle(nw.decode(to_body(data)))  # COMPLETED + 1000, COMPLETED + 3015
    failures = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert failures == [f"NHN message {data['hooks'][1]['requestId']} failed (hook H2)"]
