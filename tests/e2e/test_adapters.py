"""Each adapter in its real framework, behind a real server process on 127.0.0.1.

Per framework, two server processes (tests/support/adapter_apps.py) share the session's
redis-server: a signed POST, a replay, a wrong signature, a malformed and an oversize
body, an unknown event, a partial batch and a handler that fails once are each sent
over HTTP and answered as documented; the same POST sent to both servers at once is
handled exactly once.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

import nhn_webhooks as nw
from tests.conftest import to_body
from tests.support.adapter_apps import MAX_BODY_BYTES
from tests.support.early import child_environment
from tests.support.redis_server import RedisServer, free_port

ROOT = Path(__file__).parents[2]
SECRET = "console-signature"
SIGNED = {nw.SIGNATURE_HEADER: SECRET, "Content-Type": "application/json;charset=UTF-8"}
WRONG = {**SIGNED, nw.SIGNATURE_HEADER: "guessed"}
STARTUP_SECONDS = 60.0

UVICORN = ("asgi", "fastapi", "starlette")
COMMANDS = {
    **{
        name: [sys.executable, "-m", "uvicorn", f"tests.support.adapter_apps:{name}_app", "--port"]
        for name in UVICORN
    },
    **{
        name: [sys.executable, "-m", "tests.support.adapter_apps", name]
        for name in ("wsgi", "flask", "django", "aiohttp")
    },
}


@dataclass
class Server:
    """One server process and its port."""

    process: subprocess.Popen[bytes]
    port: int

    def post(self, body: bytes, headers: dict[str, str] = SIGNED) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("POST", "/nhn/webhook", body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()


@dataclass
class Framework:
    """Two servers of one framework, sharing a store prefix in one Redis."""

    name: str
    servers: tuple[Server, Server]
    prefix: str
    results: redis.Redis

    def post(self, body: bytes, headers: dict[str, str] = SIGNED) -> tuple[int, str]:
        return self.servers[0].post(body, headers)

    def handled(self) -> dict[str, int]:
        counts = self.results.hgetall(f"{self.prefix}handled")
        return {key.decode(): int(value) for key, value in counts.items()}

    def listed(self, name: str) -> list[str]:
        return [item.decode() for item in self.results.lrange(f"{self.prefix}{name}", 0, -1)]


def start(name: str, redis_url: str, prefix: str) -> Server:
    port = free_port()
    command = [*COMMANDS[name], str(port)]
    if name in UVICORN:
        command += ["--host", "127.0.0.1", "--log-level", "warning"]
    env = child_environment(NHN_WEBHOOK_SIGNATURE=SECRET, REDIS_URL=redis_url, STORE_PREFIX=prefix)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    return Server(process, port)


def wait_until_listening(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
        except OSError:
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"server on port {server.port} did not start")


@pytest.fixture(scope="module")
def frameworks(redis_server: RedisServer) -> Iterator[dict[str, Framework]]:
    """Every framework's two servers, started at once and stopped at the end."""
    results = redis.Redis.from_url(redis_server.url)
    started: dict[str, Framework] = {}
    try:
        for name in COMMANDS:
            prefix = f"adapters:{name}:"
            pair = (start(name, redis_server.url, prefix), start(name, redis_server.url, prefix))
            started[name] = Framework(name, pair, prefix, results)
        for framework in started.values():
            for server in framework.servers:
                wait_until_listening(server)
        yield started
    finally:
        for framework in started.values():
            for server in framework.servers:
                server.process.terminate()
        for framework in started.values():
            for server in framework.servers:
                server.process.wait(timeout=30)
        results.close()


@pytest.fixture(params=sorted(COMMANDS))
def framework(request: pytest.FixtureRequest, frameworks: dict[str, Framework]) -> Framework:
    return frameworks[request.param]


def sms_body(hooks_id: str, *hook_ids: str) -> bytes:
    data = nw.testing.sample_data(nw.SmsMessageResultUpdate, hooks=len(hook_ids))
    data["hooksId"] = hooks_id
    for hook, hook_id in zip(data["hooks"], hook_ids, strict=True):
        # A hook repeated in another POST is the same message again: its key says so.
        hook.update(hookId=hook_id, requestId=f"request-{hook_id}", recipientSeq=1)
    return to_body(data)


def unique(framework: Framework, name: str) -> str:
    """An id no other test of this framework uses."""
    return f"{name}-{framework.name}-{time.monotonic_ns()}"


def test_signed_post_is_handled_and_a_replay_is_not(framework: Framework) -> None:
    hook = unique(framework, "H")
    body = sms_body(unique(framework, "P"), hook)
    assert framework.post(body)[0] == 200
    assert framework.post(body)[0] == 200
    assert framework.handled()[hook] == 1


def test_wrong_signature_is_answered_401(framework: Framework) -> None:
    hook = unique(framework, "H")
    status, text = framework.post(sms_body("P", hook), WRONG)
    assert status == 401
    assert SECRET not in text
    assert hook not in framework.handled()


def test_malformed_body_is_answered_400_naming_the_path(framework: Framework) -> None:
    status, text = framework.post(b"{not json")
    assert (status, text.startswith("$: malformed JSON")) == (400, True)


def test_oversize_body_is_answered_413(framework: Framework) -> None:
    status, _ = framework.post(b" " * (MAX_BODY_BYTES + 1000))
    assert status == 413


def test_unknown_event_is_kept_and_answered_200(framework: Framework) -> None:
    product = unique(framework, "Push")
    body = json.dumps(
        {
            "hooksId": unique(framework, "P"),
            "webhookConfigId": "C",
            "productName": product,
            "appKey": "A",
            "event": "SENT",
            "hooks": [{"token": "t"}],
        }
    ).encode()
    assert framework.post(body)[0] == 200
    assert product in framework.listed("unknown")


def test_partial_batch_is_answered_200_with_the_bad_hook_dead_lettered(
    framework: Framework,
) -> None:
    good = unique(framework, "H")
    data = json.loads(sms_body(unique(framework, "P"), good, unique(framework, "BAD")))
    data["hooks"][1]["recipientSeq"] = "abc"
    assert framework.post(to_body(data))[0] == 200
    assert framework.handled()[good] == 1
    assert any(reason.startswith("$.hooks[1].recipientSeq") for reason in framework.listed("dead"))


def test_handler_failing_once_is_answered_500_then_handled_on_the_resend(
    framework: Framework,
) -> None:
    first, flaky = unique(framework, "H"), unique(framework, "FAIL-ONCE")
    body = sms_body(unique(framework, "P"), first, flaky)
    assert framework.post(body)[0] == 500
    assert framework.post(body)[0] == 200
    handled = framework.handled()
    assert (handled[first], handled[flaky]) == (1, 1)


def test_two_receivers_given_the_same_post_at_once_handle_each_hook_once(
    framework: Framework,
) -> None:
    hooks = [unique(framework, f"SLOW{index}") for index in range(3)]
    body = sms_body(unique(framework, "P"), *hooks)
    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda server: server.post(body)[0], framework.servers))
    assert sorted(statuses) in ([200, 200], [200, 503])  # 503: held by the other, send again
    for server in framework.servers:  # NHN sends it again: each answer is now 200
        assert server.post(body)[0] == 200
    handled = framework.handled()
    assert [handled[hook] for hook in hooks] == [1, 1, 1]


def test_a_method_other_than_post_is_answered_405(framework: Framework) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", framework.servers[0].port, timeout=30)
    try:
        connection.request("GET", "/nhn/webhook")
        assert connection.getresponse().status == 405
    finally:
        connection.close()


def test_a_chunked_post_is_handled_or_refused_411_never_taken_for_empty(
    framework: Framework,
) -> None:
    hook = unique(framework, "H")
    body = sms_body(unique(framework, "P"), hook)
    headers = "".join(f"{name}: {value}\r\n" for name, value in SIGNED.items())
    request = (
        (
            f"POST /nhn/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        ).encode()
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", framework.servers[0].port), timeout=30) as sock:
        sock.sendall(request)  # all at once: a server answering 411 early finds it sent
        status_line = sock.makefile("rb").readline()
    status = int(status_line.split()[1])
    assert (status, framework.handled().get(hook)) in ((200, 1), (411, None))
