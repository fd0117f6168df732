"""nw.Receiver: each status for its reason, each hook handled once, and what it logs."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nhn_webhooks as nw
from nhn_webhooks._models._samples import sample_body
from tests.conftest import examples, to_body

SECRET = "console-signature"
SIGNED = {nw.SIGNATURE_HEADER: SECRET}
WRONG = {nw.SIGNATURE_HEADER: "guessed"}


def sms_body(hooks_id: str, *hook_ids: str, **changes: Any) -> bytes:
    """An SMS result POST whose hooks carry ``hook_ids``; ``changes`` go in every hook."""
    data = nw.testing.sample_data(nw.SmsMessageResultUpdate, hooks=len(hook_ids))
    data["hooksId"] = hooks_id
    for hook, hook_id in zip(data["hooks"], hook_ids, strict=True):
        # A hook repeated in another POST is the same message again: its key says so.
        hook.update(hookId=hook_id, requestId=f"request-{hook_id}", recipientSeq=1, **changes)
    return to_body(data)


class Recorder:
    """A receiver with one SMS result hook handler that records, and fails on demand."""

    def __init__(self, **options: Any) -> None:
        self.receiver = nw.Receiver(signature=SECRET, **options)
        self.handled: list[str] = []
        self.envelopes: list[tuple[str, str]] = []
        self.fail: dict[str, BaseException] = {}
        self.receiver.on(nw.SmsMessageResultHook)(self.handle)

    def handle(self, hook: nw.SmsMessageResultHook, webhook: nw.Webhook) -> None:
        error = self.fail.pop(hook.hook_id, None)
        if error is not None:
            raise error
        self.handled.append(hook.hook_id)
        self.envelopes.append((webhook.hooks_id, webhook.app_key))

    def post(self, body: bytes, headers: Any = SIGNED) -> nw.Answer:
        return self.receiver.receive(body, headers)


# --- the statuses ----------------------------------------------------------------------


def test_signed_post_is_answered_200_and_each_hook_reaches_its_handler_with_its_envelope() -> None:
    recorder = Recorder()
    answer = recorder.post(sms_body("P1", "H1", "H2"))
    assert (answer.status, answer.ok, answer.error) == (200, True, None)
    assert recorder.handled == ["H1", "H2"]
    assert recorder.envelopes[0][0] == "P1"
    assert answer.report.hooks == answer.report.handled == 2


def test_replayed_post_is_answered_200_and_not_handled_again() -> None:
    recorder = Recorder()
    body = sms_body("P1", "H1", "H2")
    recorder.post(body)
    answer = recorder.post(body)
    assert answer.status == 200
    assert (answer.report.replays, answer.report.handled) == (2, 0)
    assert recorder.handled == ["H1", "H2"]


def test_hook_repeated_in_another_post_is_handled_once() -> None:
    recorder = Recorder()
    recorder.post(sms_body("P1", "H1"))
    assert recorder.post(sms_body("P2", "H2", "H1")).report.replays == 1
    assert recorder.handled == ["H1", "H2"]


def test_the_same_hook_twice_in_one_post_is_handled_once() -> None:
    recorder = Recorder()
    data = json.loads(sms_body("P1", "H1"))
    data["hooks"].append(data["hooks"][0])
    answer = recorder.post(to_body(data))
    assert (answer.status, recorder.handled, answer.report.replays) == (200, ["H1"], 1)


@pytest.mark.parametrize("headers", [{}, WRONG, None], ids=["missing", "wrong", "none"])
def test_missing_or_wrong_signature_is_answered_401_and_nothing_is_read(headers: Any) -> None:
    recorder = Recorder()
    answer = recorder.post(sms_body("P1", "H1"), headers)
    assert answer.status == 401
    assert isinstance(answer.error, nw.SignatureError)
    assert SECRET not in answer.text
    assert "guessed" not in answer.text
    assert recorder.handled == []


def test_body_over_the_limit_is_answered_413() -> None:
    recorder = Recorder(max_body_bytes=100)
    answer = recorder.post(sms_body("P1", "H1"))
    assert answer.status == 413
    assert isinstance(answer.error, nw.BodyTooLargeError)
    assert recorder.handled == []


def test_more_hooks_than_the_limit_is_answered_413() -> None:
    recorder = Recorder(max_hooks=2)
    answer = recorder.post(sms_body("P1", "H1", "H2", "H3"))
    assert answer.status == 413
    assert "3 hooks exceed the limit of 2" in answer.text
    assert recorder.handled == []


def test_default_limits_take_a_10000_hook_post_and_say_their_numbers() -> None:
    receiver = nw.Receiver(signature=SECRET)
    assert (receiver.max_body_bytes, receiver.max_hooks) == (16 * 1024 * 1024, 10_000)
    hook = json.loads(sample_body("kakao-template-status-update"))["hooks"][0]
    assert 10_000 * len(json.dumps(hook).encode()) < receiver.max_body_bytes / 3


@pytest.mark.parametrize(
    ("body", "path"),
    [(b"{not json", "$: malformed JSON"), (b'{"hooksId": 1}', "$"), (b"[]", "$")],
)
def test_malformed_envelope_is_answered_400_naming_the_path(body: bytes, path: str) -> None:
    recorder = Recorder()
    answer = recorder.post(body)
    assert answer.status == 400
    assert answer.text.startswith(path)
    assert isinstance(answer.error, nw.DecodeError)


def test_undecodable_hook_without_a_dead_letter_handler_is_answered_400() -> None:
    recorder = Recorder()
    data = json.loads(sms_body("P1", "H1", "H2"))
    data["hooks"][1]["recipientSeq"] = "abc"
    answer = recorder.post(to_body(data))
    assert answer.status == 400
    assert answer.text.startswith("$.hooks[1].recipientSeq")
    assert recorder.handled == []


def test_partial_batch_is_answered_200_with_the_bad_hook_dead_lettered_raw() -> None:
    recorder = Recorder()
    letters: list[nw.DeadLetter] = []
    recorder.receiver.on_dead_letter(letters.append)
    data = json.loads(sms_body("P1", "H1", "H2", "H3"))
    data["hooks"][1]["recipientSeq"] = "abc"
    answer = recorder.post(to_body(data))
    assert answer.status == 200
    assert recorder.handled == ["H1", "H3"]
    [letter] = letters
    assert json.loads(letter.raw) == data["hooks"][1]
    assert letter.reason.startswith("$.hooks[1].recipientSeq")
    assert (letter.index, letter.undecodable, letter.webhook.hooks_id) == (1, True, "P1")
    assert (answer.report.dead_letters, answer.report.handled) == (1, 2)


UNKNOWN_EVENT = (
    b'{"hooksId":"P1","webhookConfigId":"C","productName":"Push","appKey":"A",'
    b'"event":"SENT","hooks":[{"token":"t"}]}'
)


def test_unknown_event_is_kept_by_its_handler_and_answered_200() -> None:
    receiver = nw.Receiver(signature=SECRET)
    kept: list[nw.UnknownWebhook] = []
    receiver.on(nw.UnknownWebhook)(kept.append)
    body = UNKNOWN_EVENT
    assert receiver.receive(body, SIGNED).status == 200
    assert receiver.receive(body, SIGNED).report.replays == 1
    [webhook] = kept
    assert (webhook.product_name, webhook.hooks) == ("Push", [{"token": "t"}])
    assert nw.encode(webhook) == nw.encode(nw.decode(body))  # nothing dropped


def test_hook_without_a_handler_is_acknowledged_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder()
    with caplog.at_level(logging.INFO, logger="nhn_webhooks"):
        answer = recorder.post(sample_body("sms-unsubscribe"))
    assert (answer.status, answer.report.unhandled) == (200, 1)
    assert any("no handler" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")


def test_handler_that_raises_is_answered_500_and_the_post_handled_when_sent_again() -> None:
    recorder = Recorder()
    recorder.fail["H2"] = OSError("database down")
    body = sms_body("P1", "H1", "H2", "H3")
    answer = recorder.post(body)
    assert answer.status == 500
    assert isinstance(answer.error, OSError)
    assert "database down" not in answer.text
    assert answer.report.released == 2  # H2, and H3 not reached
    assert recorder.post(body).status == 200
    assert recorder.handled == ["H1", "H2", "H3"]


def test_error_handlers_hear_of_a_failed_handler() -> None:
    recorder = Recorder()
    heard: list[tuple[Exception, str]] = []
    recorder.receiver.on_error(lambda error, webhook: heard.append((error, webhook.hooks_id)))
    failure = ValueError("bug")
    recorder.fail["H1"] = failure
    recorder.post(sms_body("P1", "H1"))
    assert heard == [(failure, "P1")]


def test_hook_refused_by_its_handler_is_dead_lettered_once_and_answered_200() -> None:
    recorder = Recorder()
    letters: list[nw.DeadLetter] = []
    recorder.receiver.on_dead_letter(letters.append)
    for _ in range(2):
        recorder.fail["H1"] = nw.Unprocessable("unknown recipient")
        assert recorder.post(sms_body("P1", "H1")).status == 200
    [letter] = letters
    assert (json.loads(letter.raw)["hookId"], letter.reason, letter.undecodable) == (
        "H1",
        "unknown recipient",
        False,
    )


def test_hook_held_by_another_live_worker_is_answered_503_and_the_rest_handled() -> None:
    store = nw.MemoryIdempotencyStore()
    recorder = Recorder(store=store)
    webhook = nw.decode(sms_body("P1", "H1", "H2"))
    held = nw.idempotency_key(webhook, webhook.hooks[1])
    other = asyncio.run(_claim_elsewhere(store, [held]))  # another caller's claim
    assert other == [nw.ClaimStatus.CLAIMED]
    answer = recorder.post(sms_body("P1", "H1", "H2"))
    assert (answer.status, answer.report.held, recorder.handled) == (503, 1, ["H1"])


async def _claim_elsewhere(store: Any, keys: Sequence[str]) -> list[nw.ClaimStatus]:
    async def claim() -> list[nw.ClaimStatus]:
        result: list[nw.ClaimStatus] = store.claim_many(keys)
        return result

    return await asyncio.create_task(claim())


class BrokenStore:
    """A store whose every call fails, as a Redis that does not answer."""

    def claim(self, key: str) -> bool:
        raise nw.StoreError("Redis failed to claim")

    def complete(self, key: str) -> None:
        raise nw.StoreError("Redis failed to complete")

    def release(self, key: str) -> None:
        raise nw.StoreError("Redis failed to release")


def test_store_down_is_answered_503_and_nothing_handled() -> None:
    recorder = Recorder(store=BrokenStore())
    answer = recorder.post(sms_body("P1", "H1"))
    assert answer.status == 503
    assert isinstance(answer.error, nw.StoreError)
    assert recorder.handled == []


class PerKeyStore:
    """A user's store with only the protocol's three per-key calls."""

    def __init__(self) -> None:
        self.state: dict[str, str] = {}
        self.calls: list[str] = []

    def claim(self, key: str) -> bool:
        self.calls.append("claim")
        return self.state.setdefault(key, "claimed") == "claimed" and self._fresh(key)

    def _fresh(self, key: str) -> bool:
        fresh = key not in getattr(self, "_seen", set())
        self._seen = {*getattr(self, "_seen", set()), key}
        return fresh

    def complete(self, key: str) -> None:
        self.state[key] = "completed"

    def release(self, key: str) -> None:
        self.state.pop(key, None)
        self._seen.discard(key)


def test_a_store_without_batch_calls_is_claimed_key_by_key() -> None:
    store = PerKeyStore()
    recorder = Recorder(store=store)
    assert recorder.post(sms_body("P1", "H1", "H2")).status == 200
    assert store.calls == ["claim", "claim"]
    # Refused and no completed() to ask: counted held, answered 503, never lost.
    assert recorder.post(sms_body("P1", "H1", "H2")).status == 503
    assert recorder.handled == ["H1", "H2"]


def test_store_none_handles_every_delivery() -> None:
    recorder = Recorder(store=None)
    recorder.post(sms_body("P1", "H1"))
    recorder.post(sms_body("P1", "H1"))
    assert recorder.handled == ["H1", "H1"]


def test_keyboard_interrupt_in_a_handler_releases_the_claims_and_propagates() -> None:
    recorder = Recorder()
    recorder.fail["H1"] = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        recorder.post(sms_body("P1", "H1"))
    assert recorder.post(sms_body("P1", "H1")).status == 200
    assert recorder.handled == ["H1"]


# --- the raw body of what was not answered 200 ------------------------------------------


def test_every_post_not_answered_2xx_is_given_to_the_unanswered_handlers() -> None:
    recorder = Recorder(max_body_bytes=10_000)
    kept: list[tuple[bytes, int]] = []
    recorder.receiver.on_unanswered(lambda body, answer: kept.append((body, answer.status)))
    recorder.fail["H2"] = OSError("down")
    bodies = [sms_body("P1", "H1"), b"{", sms_body("P2", "H2"), b"x" * 10_001]
    statuses = [recorder.post(body).status for body in bodies]
    recorder.post(b"{}", WRONG)
    assert statuses == [200, 400, 500, 413]
    assert kept == [(b"{", 400), (bodies[2], 500), (bodies[3], 413), (b"{}", 401)]


# --- the console's verification request --------------------------------------------------

PLACEHOLDER_SMS = (
    b'{"hooksId":"String","webhookConfigId":"String","productName":"SMS","appKey":"String",'
    b'"event":"UNSUBSCRIBE","hooks":[{"hookId":"String","recipientNo":"String",'
    b'"unsubscribeNo":"String","enterpriseName":"String","createdDateTime":"String"}]}'
)
PLACEHOLDER_KAKAO = (
    b'{"hooksId":"hooks-1","webhookConfigId":"c","productName":"KakaoTalk Bizmessage",'
    b'"appKey":"appkey-1","event":"MESSAGE_RESULT_UPDATE","hooks":[{"hookId":"h",'
    b'"kakaoMessageType":"String","requestId":"String","recipientSeq":"Integer",'
    b'"requestDate":"String","recipientNo":"String","isAddedChannel":"Boolean"}]}'
)


@pytest.mark.parametrize(
    "body", [PLACEHOLDER_SMS, PLACEHOLDER_KAKAO, b"", b"{}"], ids=["sms", "kakao", "empty", "{}"]
)
def test_signed_console_check_is_answered_200_and_reaches_no_handler(
    body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    checks: list[bytes] = []
    letters: list[nw.DeadLetter] = []
    recorder.receiver.on_console_check(checks.append)
    recorder.receiver.on_dead_letter(letters.append)
    recorder.receiver.on_any(lambda webhook: pytest.fail("a handler ran"))
    with caplog.at_level(logging.INFO, logger="nhn_webhooks"):
        answer = recorder.post(body)
    assert (answer.status, answer.report.console_check) == (200, True)
    assert (checks, letters, recorder.handled) == ([body], [], [])
    assert any("console check" in r.getMessage() for r in caplog.records)


def test_unsigned_console_check_is_answered_401() -> None:
    assert Recorder().post(PLACEHOLDER_SMS, WRONG).status == 401


def test_a_real_post_is_never_taken_for_a_console_check() -> None:
    recorder = Recorder()
    answer = recorder.post(sms_body("P1", "H1", senderGroupingKey="String"))
    assert (answer.report.console_check, recorder.handled) == (False, ["H1"])


# --- asyncio ------------------------------------------------------------------------------


class AsyncMemoryStore:
    """The memory store behind coroutines, as an asyncio store would be."""

    def __init__(self) -> None:
        self.inner = nw.MemoryIdempotencyStore()

    async def claim_many(self, keys: Sequence[str]) -> list[nw.ClaimStatus]:
        return self.inner.claim_many(keys)

    async def complete_many(self, keys: Sequence[str]) -> None:
        self.inner.complete_many(keys)

    async def release_many(self, keys: Sequence[str]) -> None:
        self.inner.release_many(keys)

    async def claim(self, key: str) -> bool:
        return self.inner.claim(key)

    async def complete(self, key: str) -> None:
        self.inner.complete(key)

    async def release(self, key: str) -> None:
        self.inner.release(key)


def test_areceive_awaits_async_handlers_and_stores_and_runs_plain_ones() -> None:
    receiver = nw.Receiver(signature=SECRET, store=AsyncMemoryStore())
    seen: list[str] = []

    @receiver.on(nw.SmsMessageResultHook)
    async def on_result(hook: nw.SmsMessageResultHook, webhook: nw.Webhook) -> None:
        await asyncio.sleep(0)
        seen.append(hook.hook_id)

    receiver.on_any(lambda webhook: seen.append(webhook.hooks_id))

    async def main() -> list[int]:
        body = sms_body("P1", "H1")
        return [(await receiver.areceive(body, SIGNED)).status for _ in range(2)]

    assert asyncio.run(main()) == [200, 200]
    assert seen == ["P1", "H1"]


def test_receive_refuses_an_async_handler_or_store() -> None:
    receiver = nw.Receiver(signature=SECRET, store=AsyncMemoryStore())
    with pytest.raises(TypeError, match="areceive"):
        receiver.receive(sms_body("P1", "H1"), SIGNED)


# --- workers and front ends ---------------------------------------------------------------


def test_process_handles_a_verified_body_without_a_signature() -> None:
    receiver = nw.Receiver()
    seen: list[str] = []
    receiver.on_any(lambda webhook: seen.append(webhook.hooks_id))
    assert receiver.process(sms_body("P1", "H1")).status == 200
    assert seen == ["P1"]
    with pytest.raises(TypeError, match="signature"):
        receiver.receive(sms_body("P1", "H1"), SIGNED)


def test_front_end_receiver_queues_signed_raw_bodies_and_answers_503_when_it_cannot() -> None:
    queued: list[bytes] = []
    receiver = nw.Receiver(signature=SECRET, enqueue=queued.append)
    assert receiver.receive(b"{not json", SIGNED).status == 200
    assert receiver.receive(b"{}", WRONG).status == 401
    assert queued == [b"{not json"]

    def full(body: bytes) -> None:
        raise OSError("broker down")

    assert nw.Receiver(signature=SECRET, enqueue=full).receive(b"{}", SIGNED).status == 503


# --- logging -----------------------------------------------------------------------------


def test_one_info_line_per_post_with_its_counts_in_extra(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder()
    body = sms_body("P1", "H1", "H2")
    recorder.post(body)
    with caplog.at_level(logging.INFO, logger="nhn_webhooks"):
        recorder.post(body)
    [record] = caplog.records
    assert record.levelno == logging.INFO
    assert "2 hooks, 0 handled, 2 replays, 0 dead letters" in record.getMessage()
    fields = {k: v for k, v in vars(record).items() if k.startswith("nhn_")}
    assert fields["nhn_status"] == 200
    assert (fields["nhn_hooks"], fields["nhn_replays"], fields["nhn_hooks_id"]) == (2, 2, "P1")


def test_failures_are_warnings_that_never_hold_the_signature_or_a_recipient(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder = Recorder()
    recorder.receiver.on_dead_letter(lambda letter: None)
    data = json.loads(sms_body("P1", "H1"))
    data["hooks"][0].update(recipientNo=1012345678, sendNo="kim@example.com")
    with caplog.at_level(logging.INFO, logger="nhn_webhooks"):
        recorder.post(to_body(data), {nw.SIGNATURE_HEADER: "guessed-01098765432"})
        recorder.post(to_body(data))
        data["hooks"][0]["sendNo"] = 5
        recorder.post(to_body(data))
    text = "\n".join(r.getMessage() + repr(vars(r)) for r in caplog.records)
    assert {r.levelname for r in caplog.records} >= {"WARNING"}
    for secret in (SECRET, "guessed", "1012345678", "01098765432", "kim@example.com"):
        assert secret not in text


def test_mask_hides_phone_numbers_and_mail_addresses_but_not_counts() -> None:
    from nhn_webhooks._receive._log import mask

    assert mask("got 01012345678, +82 10-1234-5678") == "got *******5678, +** **-****-5678"
    assert mask("kim.chulsoo@example.co.kr") == "k***@example.co.kr"
    assert mask("$.hooks[12]: 1000 hooks") == "$.hooks[12]: 1000 hooks"


# --- decode() mistakes a newcomer makes ----------------------------------------------------


def test_decode_with_signature_but_no_headers_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="without headers"):
        nw.decode(sample_body("sms-unsubscribe"), signature=SECRET)


def test_decode_with_headers_none_is_a_missing_header() -> None:
    with pytest.raises(nw.SignatureError, match="missing"):
        nw.decode(sample_body("sms-unsubscribe"), signature=SECRET, headers=None)


def test_decode_over_the_limit_is_a_body_too_large_error() -> None:
    with pytest.raises(nw.BodyTooLargeError):
        nw.decode(sample_body("sms-unsubscribe"), max_body_bytes=10)
    with pytest.raises(nw.BodyTooLargeError):
        nw.decode_partial(sms_body("P", "H1", "H2"), max_hooks=1)
    assert issubclass(nw.BodyTooLargeError, nw.DecodeError)


# --- a property: nothing lost, nothing handled twice while its claim lives -----------------

HOOK_IDS = ("H1", "H2", "H3", "H4", "H5")
POSTS = (("P1", ("H1", "H2")), ("P2", ("H2", "H3", "H4")), ("P3", ("H5", "H1")))
LEASE = 10.0

actions = st.lists(
    st.one_of(
        st.tuples(st.just("deliver"), st.integers(0, 2), st.frozensets(st.sampled_from(HOOK_IDS))),
        st.tuples(st.just("die"), st.integers(0, 2), st.just(frozenset[str]())),
        st.tuples(st.just("advance"), st.just(0), st.just(frozenset[str]())),
    ),
    max_size=25,
)


@settings(max_examples=examples(thorough=2000), deadline=None)
@given(actions)
def test_no_hook_is_lost_or_handled_twice_while_its_claim_lives(
    steps: list[tuple[str, int, frozenset[str]]],
) -> None:
    now = [0.0]
    store = nw.MemoryIdempotencyStore(ttl_seconds=1e9, lease_seconds=LEASE, clock=lambda: now[0])
    recorder = Recorder(store=store)
    dead_claims: dict[str, float] = {}  # hook id -> when a worker that died claimed it
    done: dict[str, int] = {}

    def check(hook: nw.SmsMessageResultHook, webhook: nw.Webhook) -> None:
        claimed = dead_claims.get(hook.hook_id)
        assert claimed is None or now[0] >= claimed + LEASE, "handled under a live claim"

    recorder.receiver.on(nw.SmsMessageResultHook)(check)
    bodies = [sms_body(hooks_id, *ids) for hooks_id, ids in POSTS]
    for action, post, failing in steps:
        if action == "advance":
            now[0] += LEASE
        elif action == "die":  # claims, maybe does the work, and never completes or releases
            webhook = nw.decode(bodies[post])
            keys = [nw.idempotency_key(webhook, hook) for hook in webhook.hooks]
            statuses = asyncio.run(_claim_elsewhere(store, keys))
            for hook, status in zip(webhook.hooks, statuses, strict=True):
                if status is nw.ClaimStatus.CLAIMED:
                    dead_claims[hook.hook_id] = now[0]
        else:
            recorder.fail.update(dict.fromkeys(failing, OSError("down")))
            recorder.post(bodies[post])
            recorder.fail.clear()
        for hook_id in recorder.handled:
            done[hook_id] = done.get(hook_id, 0) + 1
        recorder.handled.clear()
        assert all(count == 1 for count in done.values()), done
    now[0] += LEASE  # every claim of a worker that died has ended: resend everything
    assert [recorder.post(body).status for body in bodies] == [200, 200, 200]
    for hook_id in recorder.handled:
        done[hook_id] = done.get(hook_id, 0) + 1
    assert done == dict.fromkeys(HOOK_IDS, 1)


# --- the less travelled paths ---------------------------------------------------------------


def test_any_hook_handler_gets_each_dict_hook_of_an_unknown_webhook_claimed_as_one() -> None:
    receiver = nw.Receiver(signature=SECRET)
    seen: list[Any] = []
    receiver.on_any_hook(lambda hook, webhook: seen.append(hook))
    data = json.loads(UNKNOWN_EVENT)
    data["hooks"].append({"token": "u"})
    body = to_body(data)
    assert receiver.receive(body, SIGNED).report.handled == 2
    assert receiver.receive(body, SIGNED).report.replays == 2
    assert seen == [{"token": "t"}, {"token": "u"}]


def test_webhook_handler_refusing_dead_letters_the_whole_webhook_once() -> None:
    receiver = nw.Receiver(signature=SECRET)
    letters: list[nw.DeadLetter] = []
    receiver.on_dead_letter(letters.append)

    @receiver.on(nw.SmsMessageResultUpdate)
    def refuse(webhook: nw.SmsMessageResultUpdate) -> None:
        raise nw.Unprocessable("not ours")

    body = sms_body("P1", "H1", "H2")
    assert [receiver.receive(body, SIGNED).status for _ in range(2)] == [200, 200]
    [letter] = letters
    assert (letter.index, letter.reason) == (None, "not ours")
    assert [hook["hookId"] for hook in json.loads(letter.raw)["hooks"]] == ["H1", "H2"]


def test_unprocessable_without_a_dead_letter_handler_is_a_failure() -> None:
    recorder = Recorder()
    recorder.fail["H1"] = nw.Unprocessable("cannot keep it anywhere")
    assert recorder.post(sms_body("P1", "H1")).status == 500
    assert recorder.post(sms_body("P1", "H1")).status == 200


def test_dead_letter_handler_that_raises_is_answered_500() -> None:
    recorder = Recorder()

    def broken(letter: nw.DeadLetter) -> None:
        raise OSError("dead-letter table down")

    recorder.receiver.on_dead_letter(broken)
    data = json.loads(sms_body("P1", "H1", "H2"))
    data["hooks"][1]["recipientSeq"] = "abc"
    answer = recorder.post(to_body(data))
    assert (answer.status, recorder.handled) == (500, [])


class AsyncPerKeyStore:
    """An asyncio store with only the protocol's three calls, and ``completed``."""

    def __init__(self) -> None:
        self.inner = nw.MemoryIdempotencyStore()

    async def claim(self, key: str) -> bool:
        return self.inner.claim(key)

    async def complete(self, key: str) -> None:
        self.inner.complete(key)

    async def release(self, key: str) -> None:
        self.inner.release(key)

    async def completed(self, key: str) -> bool:
        return self.inner.completed(key)


def test_an_async_store_without_batch_calls_is_claimed_key_by_key() -> None:
    receiver = nw.Receiver(signature=SECRET, store=AsyncPerKeyStore())
    seen: list[str] = []
    receiver.on(nw.SmsMessageResultHook)(lambda hook, webhook: seen.append(hook.hook_id))

    async def main() -> list[nw.Answer]:
        body = sms_body("P1", "H1", "H2")
        return [await receiver.areceive(body, SIGNED) for _ in range(2)]

    first, again = asyncio.run(main())
    assert (first.report.handled, again.report.replays, seen) == (2, 2, ["H1", "H2"])


def test_front_end_receiver_awaits_an_async_enqueue() -> None:
    queued: list[bytes] = []

    async def enqueue(body: bytes) -> None:
        await asyncio.sleep(0)
        queued.append(body)

    receiver = nw.Receiver(signature=SECRET, enqueue=enqueue)
    assert asyncio.run(receiver.areceive(b"{}", SIGNED)).text == "ok: queued"
    assert queued == [b"{}"]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"max_body_bytes": 0}, ValueError),
        ({"max_hooks": True}, ValueError),
        ({"store": object()}, TypeError),
        ({"enqueue": "queue"}, TypeError),
        ({"signature": None, "max_body_bytes": -1}, ValueError),
    ],
)
def test_a_bad_setting_is_refused_at_construction(
    options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        nw.Receiver(**options)


def test_registering_anything_but_a_webhook_or_hook_class_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="webhook class"):
        nw.Receiver().on(dict)  # type: ignore[type-var]


def test_the_answer_text_counts_as_a_person_reads() -> None:
    from nhn_webhooks._receive._answer import Report
    from nhn_webhooks._receive._batch import ok_text

    assert ok_text(Report(hooks=1, handled=1)) == "ok: 1 hook, 1 handled"
    assert ok_text(Report(hooks=3, handled=1, replays=1, dead_letters=1)) == (
        "ok: 3 hooks, 1 handled, 1 replay, 1 dead letter"
    )
    assert ok_text(Report(hooks=4, handled=0, replays=2, dead_letters=2)) == (
        "ok: 4 hooks, 0 handled, 2 replays, 2 dead letters"
    )
