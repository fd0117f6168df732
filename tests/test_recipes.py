"""The framework recipes in docs/recipes/ work, driven by each framework's test client.

Every bundled sample with the right signature is answered 200 and handed off as its
class; a bad body is answered 400 with the JSON path; a missing or wrong signature is
answered 401 before the body is read.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import queue
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import nhn_webhooks as nw
from nhn_webhooks._samples import SAMPLE_NAMES, sample_body
from tests.conftest import sample_dict, to_body

RECIPES = Path(__file__).parent.parent / "docs" / "recipes"
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
    """A recipe module and a way to POST a body to its endpoint."""

    module: ModuleType
    post: Post


def load_recipe(name: str) -> ModuleType:
    """Import docs/recipes/<name>.py as a module, with the signature configured."""
    spec = importlib.util.spec_from_file_location(f"recipe_{name}", RECIPES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # Flask and Django look their module up by name
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NHN_WEBHOOK_SIGNATURE", SECRET)
        spec.loader.exec_module(module)
    return module


def fastapi_receiver() -> Receiver:
    from fastapi.testclient import TestClient

    module = load_recipe("fastapi_app")
    client = TestClient(module.app)

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        response = client.post("/nhn/webhook", content=body, headers=headers)
        return response.status_code, response.text

    return Receiver(module, post)


def starlette_receiver() -> Receiver:
    from starlette.testclient import TestClient

    module = load_recipe("starlette_app")
    client = TestClient(module.app)

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        response = client.post("/nhn/webhook", content=body, headers=headers)
        return response.status_code, response.text

    return Receiver(module, post)


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


@pytest.fixture(params=sorted(FRAMEWORKS))
def receiver(request: pytest.FixtureRequest) -> Receiver:
    """Each recipe, loaded once (Django's settings can be configured only once)."""
    name: str = request.param
    if name not in _loaded:
        _loaded[name] = FRAMEWORKS[name]()
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
    body = b'{"productName": "Push", "event": "SENT", "hooks": [{"token": "t"}]}'
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


# --- moving work off the request path ----------------------------------------------


@pytest.fixture(scope="module")
def queued() -> Iterator[Receiver]:
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
