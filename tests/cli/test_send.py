"""``nhn-webhooks send`` against a real endpoint: a server on 127.0.0.1 that checks
the signature and decodes what it receives, as a user's handler would.

Two tests send from a new process, as a user does, started as soon as collection ends
(``early`` in tests/conftest.py); the others run the command in this process
(tests/support/command_line.py), against the same kind of server.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import nhn_webhooks as nw
from nhn_webhooks import testing
from tests.support.command_line import Result, answering, call, run, run_bytes
from tests.support.early import Early

SECRET = "s3cret"


class Endpoint(ThreadingHTTPServer):
    """A webhook receiver: 204 for a signed webhook, 401 and 400 otherwise."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Receiver)
        self.received: list[dict[str, Any]] = []
        self.redirect = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/webhooks/nhn?tenant=7"


class Receiver(BaseHTTPRequestHandler):
    server: Endpoint

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        record: dict[str, Any] = {"path": self.path, "headers": dict(self.headers), "body": body}
        self.server.received.append(record)
        if self.server.redirect:
            self.answer(307, b"", location="/elsewhere")
            return
        try:
            nw.verify_signature(self.headers, SECRET)
            record["webhook"] = nw.decode(body)
        except nw.SignatureError as exc:
            self.answer(401, str(exc).encode())
        except nw.DecodeError as exc:
            self.answer(400, str(exc).encode())
        else:
            self.answer(204, b"")

    def answer(self, status: int, text: bytes, location: str | None = None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    with serving(Endpoint()) as server:
        yield server


@contextmanager
def serving(server: Endpoint) -> Iterator[Endpoint]:
    """``server`` answering on a thread until the block ends."""
    # shutdown() waits for the loop's next poll: the default half second, per test.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def send(*args: str, stdin: bytes = b"") -> tuple[Result, list[dict[str, Any]]]:
    """``nhn-webhooks send URL ARGS`` in a new process, to an endpoint of its own: what
    the command printed, and what the endpoint received."""
    with serving(Endpoint()) as endpoint:
        return run("send", endpoint.url, *args, stdin=stdin), endpoint.received


def send_here(*args: str, stdin: bytes = b"") -> Result:
    """``nhn-webhooks send ARGS`` run by main() in this process."""
    return call("send", *args, stdin=stdin)


SEND_BUILT = partial(
    send, "--product", "sms", "--event", "message-result-update",
    "--hooks", "3", "--set", "message_status=FAILED", "--signature", SECRET,
)  # fmt: skip


@pytest.mark.early(job=SEND_BUILT)
def test_send_posts_a_built_body_with_nhns_headers(early: Early) -> None:
    result, everything_received = early.result(SEND_BUILT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "204 No Content\n"
    (received,) = everything_received
    assert received["path"] == "/webhooks/nhn?tenant=7"
    assert received["headers"]["Content-Type"] == "application/json;charset=UTF-8"
    assert received["headers"][nw.SIGNATURE_HEADER] == SECRET
    webhook = received["webhook"]
    assert isinstance(webhook, nw.SmsMessageResultUpdate)
    assert [hook.message_status for hook in webhook.hooks] == ["FAILED"] * 3
    expected = testing.sample(nw.SmsMessageResultUpdate, hooks=3, message_status="FAILED")
    assert without_ids(received["body"]) == without_ids(expected)  # the ids are new


def without_ids(body: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(body)
    del data["hooksId"]
    for hook in data["hooks"]:
        hook.pop("hookId", None)
    return data


def test_send_file_posts_its_bytes_unchanged(endpoint: Endpoint, tmp_path: Path) -> None:
    body = testing.load_sample(nw.KakaoTemplateStatusUpdate)
    (tmp_path / "body.json").write_bytes(body)
    result = send_here(endpoint.url, "--file", str(tmp_path / "body.json"), "--signature", SECRET)
    assert result.returncode == 0, result.stderr
    assert endpoint.received[0]["body"] == body
    assert isinstance(endpoint.received[0]["webhook"], nw.KakaoTemplateStatusUpdate)


SEND_STDIN = partial(
    send, "--file", "-", "--signature", SECRET, stdin=testing.sample(nw.EmailUnsubscribe)
)


@pytest.mark.early(job=SEND_STDIN)
def test_send_reads_the_body_from_stdin(early: Early) -> None:
    result, received = early.result(SEND_STDIN)
    assert result.returncode == 0, result.stderr
    assert received[0]["body"] == testing.sample(nw.EmailUnsubscribe)


def test_refusal_prints_status_and_answer_and_exits_1(endpoint: Endpoint) -> None:
    result = send_here(
        endpoint.url, "--product", "email", "--event", "unsubscribe", "--signature", "x"
    )
    assert result.returncode == 1
    assert result.stdout == (
        "401 Unauthorized\nX-Toast-Webhook-Signature does not match the configured signature\n"
    )


def test_without_signature_no_header_is_sent(endpoint: Endpoint) -> None:
    result = send_here(endpoint.url, "--product", "email", "--event", "unsubscribe")
    assert result.returncode == 1
    assert nw.SIGNATURE_HEADER not in endpoint.received[0]["headers"]
    assert result.stdout.startswith("401 Unauthorized\n")


def test_a_bad_body_gets_the_handlers_400(endpoint: Endpoint) -> None:
    result = send_here(endpoint.url, "--file", "-", "--signature", SECRET, stdin=b'{"hooks": 1}')
    assert result.returncode == 1
    assert result.stdout.startswith("400 Bad Request\n")


def test_redirects_are_reported_not_followed(endpoint: Endpoint) -> None:
    endpoint.redirect = True
    result = send_here(endpoint.url, "--product", "sms", "--event", "unsubscribe")
    assert result.returncode == 1
    assert result.stdout == "307 Temporary Redirect\n"
    assert len(endpoint.received) == 1


def test_no_server_is_one_line_and_exit_code_1() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), Receiver) as server:
        port = server.server_address[1]  # a port nothing listens on once closed
    result = send_here(f"http://127.0.0.1:{port}/", "--product", "sms", "--event", "unsubscribe")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: no answer from http://127.0.0.1:{port}/: ")
    assert result.stderr.count("\n") == 1


# --- endpoints that never finish: the exchange is bounded, the answer read only as
# far as it is printed --------------------------------------------------------------


class Endless:
    """A raw HTTP endpoint on 127.0.0.1 that never finishes its answer: it trickles
    header bytes one every 0.2 s (``trickle``), or streams a body without end. It
    stops when the client goes away or the block ends; ``sent`` counts body bytes."""

    def __init__(self, trickle: bool) -> None:
        self.trickle = trickle
        self.sent = 0
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self.serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/"

    def __enter__(self) -> Endless:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()
        self.listener.close()
        self.thread.join(timeout=10)

    def serve(self) -> None:
        try:
            client, _ = self.listener.accept()
        except OSError:  # closed before anyone connected
            return
        with client:
            client.settimeout(5)
            try:
                client.recv(65536)
                if self.trickle:
                    client.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    while not self.stop.wait(0.2):
                        client.sendall(b"a")
                else:
                    client.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
                    chunk = "가나다라".encode() * 16384
                    while not self.stop.is_set():
                        client.sendall(chunk)
                        self.sent += len(chunk)
            except OSError:  # the command hung up, as it should
                return


def send_to_endless(trickle: bool) -> tuple[Result | None, int]:
    """``send --timeout 1`` to an endless endpoint: the result (None if the command
    was still running after 60 s), and how many body bytes the endpoint sent."""
    with Endless(trickle) as endpoint:
        try:
            result = subprocess.run(
                [sys.executable, "-m", "nhn_webhooks", "send", endpoint.url,
                 "--product", "sms", "--event", "unsubscribe", "--timeout", "1"],
                capture_output=True, text=True, timeout=60, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return None, endpoint.sent
        return result, endpoint.sent


SEND_TO_A_TRICKLE = partial(send_to_endless, trickle=True)
SEND_TO_AN_ENDLESS_BODY = partial(send_to_endless, trickle=False)


@pytest.mark.early(job=SEND_TO_A_TRICKLE)
def test_timeout_bounds_the_whole_exchange(early: Early) -> None:
    result, _ = early.result(SEND_TO_A_TRICKLE)
    assert result is not None, "send kept reading a trickling answer past its --timeout"
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: no complete answer from http://127.0.0.1:")
    assert result.stderr.endswith(" in 1 s\n")


@pytest.mark.early(job=SEND_TO_AN_ENDLESS_BODY)
def test_an_endless_answer_is_read_only_as_far_as_it_is_printed(early: Early) -> None:
    result, sent = early.result(SEND_TO_AN_ENDLESS_BODY)
    assert result is not None, "send kept reading an endless answer"
    assert result.returncode == 0, result.stderr
    status, text = result.stdout.split("\n", 1)
    assert status == "200 OK"
    assert text == "가나다라" * 500 + "...\n"  # the first 2,000 characters
    assert sent < 64 << 20  # socket buffers, not the whole stream


def test_send_accepts_a_sample_name_for_the_product(endpoint: Endpoint) -> None:
    result = send_here(endpoint.url, "--product", "email-unsubscribe", "--signature", SECRET)
    assert result.returncode == 0, result.stderr
    assert isinstance(endpoint.received[0]["webhook"], nw.EmailUnsubscribe)


# --- ids: a second send is a new webhook unless --replay asks for a repeat ------------

SEND_SMS = ("--product", "sms", "--event", "message-result-update", "--hooks", "2")


def ids(received: dict[str, Any]) -> tuple[str, list[str]]:
    webhook = received["webhook"]
    return webhook.hooks_id, [hook.hook_id for hook in webhook.hooks]


def send_twice() -> dict[str, Any]:
    """Each case of sending from new processes, to one endpoint: what it printed and
    what the endpoint received."""
    cases = {
        "default": SEND_SMS,
        "replay": (*SEND_SMS, "--replay"),
        "fixed hook id": ("--product", "sms", "--event", "unsubscribe", "--set", "hook_id=x"),
        "fixed ids, two hooks": (*SEND_SMS, "--set", "hook_id=x"),
    }
    found: dict[str, Any] = {}
    with serving(Endpoint()) as endpoint:
        for name, args in cases.items():
            results = [run("send", endpoint.url, *args, "--signature", SECRET) for _ in (1, 2)]
            found[name] = (results, endpoint.received[:])
            endpoint.received.clear()
        empty = run("send", endpoint.url, "--file", "-", stdin=b"")
        found["empty stdin"] = ([empty], endpoint.received[:])
    return found


@pytest.mark.early(job=send_twice)
def test_each_send_carries_new_hooks_id_and_hook_ids(early: Early) -> None:
    results, received = early.result(send_twice)["default"]
    assert [result.returncode for result in results] == [0, 0], results
    (first_post, first_hooks), (second_post, second_hooks) = map(ids, received)
    assert first_post != second_post
    assert len(set(first_hooks) | set(second_hooks)) == 4
    assert first_post != testing.sample_webhook(nw.SmsMessageResultUpdate).hooks_id
    # Shaped like NHN's: the send time, then letters and digits.
    assert re.fullmatch(r"20[0-9]{12}[0-9A-Za-z]{10}[0-9]", first_post), first_post
    for new_id in first_hooks:
        assert re.fullmatch(r"20[0-9]{12}[0-9A-Za-z]{11}", new_id), new_id


@pytest.mark.early(job=send_twice)
def test_replay_sends_the_same_body_every_time(early: Early) -> None:
    results, received = early.result(send_twice)["replay"]
    assert [result.returncode for result in results] == [0, 0], results
    expected = testing.sample(nw.SmsMessageResultUpdate, hooks=2)
    assert [post["body"] for post in received] == [expected, expected]


@pytest.mark.early(job=send_twice)
def test_a_hook_id_set_for_one_hook_is_kept_and_the_hooks_id_is_still_new(early: Early) -> None:
    _, received = early.result(send_twice)["fixed hook id"]
    (first_post, first_hooks), (second_post, second_hooks) = map(ids, received)
    assert first_hooks == second_hooks == ["x"]
    assert first_post != second_post


@pytest.mark.early(job=send_twice)
def test_one_hook_id_for_several_hooks_is_refused(early: Early) -> None:
    results, received = early.result(send_twice)["fixed ids, two hooks"]
    assert received == []
    for result in results:
        assert result.returncode == 2
        assert result.stderr.startswith("nhn-webhooks send: error: --set hook_id would give ")
        assert result.stderr.count("\n") == 1


@pytest.mark.early(job=send_twice)
def test_an_empty_stdin_is_not_sent(early: Early) -> None:
    (result,), received = early.result(send_twice)["empty stdin"]
    assert received == []
    assert result.returncode == 2
    assert result.stderr == "nhn-webhooks send: error: nothing to send: stdin is empty\n"


# --- what the endpoint says is escaped ---------------------------------------------

HOSTILE_REASON = "OK \x1b[31mred\x1b[0m \x85 \x9b2J"  # Latin-1, as a status line is
HOSTILE_BODY = "first \x1b]0;title\x07 \u202eevil\r\nsecond \u2028 \x9b2J done\rover\n".encode()


def send_to_a_hostile_endpoint() -> subprocess.CompletedProcess[bytes]:
    with answering(200, HOSTILE_REASON, HOSTILE_BODY) as url:
        return run_bytes("send", url, "--product", "sms-unsubscribe")


def send_to_a_hostile_status_line() -> subprocess.CompletedProcess[bytes]:
    """An endpoint whose status line is not HTTP: http.client quotes it in its error."""
    with socket.create_server(("127.0.0.1", 0)) as server:

        def answer() -> None:
            connection, _ = server.accept()
            with connection:
                connection.recv(65536)
                connection.sendall(b"\x1b[2J\x9bgarbage\r\n\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        url = f"http://127.0.0.1:{server.getsockname()[1]}/"
        result = run_bytes("send", url, "--product", "sms-unsubscribe", "--timeout", "30")
        thread.join(30)
        return result


@pytest.mark.early(job=send_to_a_hostile_endpoint)
def test_send_escapes_the_endpoints_reason_and_body(early: Early) -> None:
    result = early.result(send_to_a_hostile_endpoint)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().split("\n")
    assert lines == [
        "200 OK \\u001b[31mred\\u001b[0m \\u0085 \\u009b2J",
        "first \\u001b]0;title\\u0007 \\u202eevil",  # a CR LF line break is kept
        "second \\u2028 \\u009b2J done\\u000dover",
        "",
        "",
    ]


@pytest.mark.early(job=send_to_a_hostile_status_line)
def test_send_escapes_what_an_error_quotes_from_the_endpoint(early: Early) -> None:
    result = early.result(send_to_a_hostile_status_line)
    assert result.returncode == 1
    assert result.stdout == b""
    error = result.stderr.decode()
    assert error.startswith("error: no answer from http://127.0.0.1:")
    assert error.endswith("\n")
    assert error[:-1].isprintable(), error
    assert "\\u001b[2J\\u009bgarbage" in error
