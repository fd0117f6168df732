"""Public names imported on first use: ``import nhn_webhooks`` leaves out the modules
``decode()`` does not need, and every way of reaching such a name still works."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

import nhn_webhooks as nw

DEFERRED = (
    "nhn_webhooks._models._values",
    "nhn_webhooks._encode",
    "nhn_webhooks._once._keys",
    "nhn_webhooks._once._memory",
    "nhn_webhooks._once._protocols",
    "nhn_webhooks._once._tokens",
    "nhn_webhooks._result_codes._outcome",
    "nhn_webhooks._result_codes._table",
    "nhn_webhooks._result_codes._email",
    "nhn_webhooks._result_codes._kakao",
    "nhn_webhooks._result_codes._sms",
    "nhn_webhooks._receive._receiver",
    "nhn_webhooks._careful",
    "nhn_webhooks._error_messages",
    "nhn_webhooks._lenient",
    "logging",
)


def test_import_leaves_out_the_modules_decode_does_not_need() -> None:
    code = f"import sys, nhn_webhooks\nprint(sorted(m for m in {DEFERRED!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_deferred_name_is_the_object_of_its_module() -> None:
    from nhn_webhooks._encode import encode
    from nhn_webhooks._models._values import SmsMessageStatus
    from nhn_webhooks._once._memory import MemoryIdempotencyStore
    from nhn_webhooks._result_codes._outcome import result_code

    assert nw.SmsMessageStatus is SmsMessageStatus
    assert nw.encode is encode
    assert nw.MemoryIdempotencyStore is MemoryIdempotencyStore
    assert nw.result_code is result_code
    from nhn_webhooks._receive._receiver import Receiver

    assert nw.Receiver is Receiver


def test_the_first_outcome_read_loads_the_tables_in_every_thread_at_once() -> None:
    # A fresh interpreter: decoding leaves the tables out, and threads reading
    # ``outcome`` together all get the answer; the rule then replaces the first-read
    # property, keeping its docstring.
    code = """
import sys, threading, nhn_webhooks as nw
from nhn_webhooks.testing import sample
webhooks = [nw.decode(sample(cls)) for cls in nw.WEBHOOK_CLASSES]
assert "nhn_webhooks._result_codes._outcome" not in sys.modules
hooks = [w.hooks[0] for w in webhooks if hasattr(w.hooks[0], "outcome")]
barrier = threading.Barrier(8)
seen = []
def read():
    barrier.wait()
    seen.append(tuple(str(hook.outcome) for hook in hooks))
threads = [threading.Thread(target=read) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
assert len(hooks) == 4 and len(set(seen)) == 1 and len(seen) == 8, seen
for hook in hooks:
    rule = type(hook).__dict__["outcome"]
    assert rule.fget.__module__ == "nhn_webhooks._result_codes._outcome", rule.fget
    assert "Delivered" in rule.__doc__
print(*seen[0])
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    from nhn_webhooks.testing import sample

    hooks = [nw.decode(sample(cls)).hooks[0] for cls in nw.WEBHOOK_CLASSES]
    expected = [str(hook.outcome) for hook in hooks if hasattr(hook, "outcome")]
    assert done.stdout.split() == expected


def test_from_import_and_star_import_reach_deferred_names() -> None:
    namespace: dict[str, object] = {}
    exec("from nhn_webhooks import *", namespace)
    assert set(nw.__all__) <= set(namespace)
    exec("from nhn_webhooks import Code, idempotency_key", namespace)
    assert namespace["Code"] is nw.Code


def test_dir_lists_every_public_name() -> None:
    assert set(nw.__all__) <= set(dir(nw))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NotAName'"):
        _ = nw.NotAName  # type: ignore[attr-defined]


def test_threads_arriving_at_once_in_a_fresh_interpreter_get_one_object() -> None:
    # A fresh interpreter, so the names are still unresolved when the threads start.
    code = """
import threading, nhn_webhooks as nw
names = ("SmsMessageStatus", "Code", "encode", "IdempotencyStore", "MemoryIdempotencyStore")
barrier = threading.Barrier(16)
seen = []
def reach():
    barrier.wait()
    seen.append(tuple(getattr(nw, name) for name in names))
threads = [threading.Thread(target=reach) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
assert len(seen) == 16 and len(set(map(lambda s: tuple(map(id, s)), seen))) == 1, seen
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "ok"


def test_threads_in_this_process_agree() -> None:
    found: list[object] = []
    threads = [
        threading.Thread(target=lambda: found.append(nw.KakaoTemplateStatus)) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [nw.KakaoTemplateStatus] * 8


def test_the_careful_path_loads_on_the_first_body_that_needs_it_in_every_thread() -> None:
    # A fresh interpreter: bodies the fast path takes, whole or partial, leave the
    # careful path unloaded; then 16 threads meet their first body needing it at once.
    code = """
import json, sys, threading, nhn_webhooks as nw
from nhn_webhooks.testing import sample
careful = ("nhn_webhooks._careful", "nhn_webhooks._error_messages")
good = sample(nw.SmsMessageResultUpdate)
nw.decode(good), nw.decode_partial(good)
assert not [m for m in careful if m in sys.modules], "the fast path loaded the careful path"
data = json.loads(good)
data["hooks"][0]["requestDate"] = "2024-04-29"  # a date only: only the careful path reads it
repaired = json.dumps(data)
data["hooks"].append({"hookId": []})
broken = json.dumps(data)
barrier = threading.Barrier(16)
seen = []
def first_use():
    barrier.wait()
    partial = nw.decode_partial(broken)
    seen.append((nw.decode(repaired), partial.webhook, [f.index for f in partial.failures]))
threads = [threading.Thread(target=first_use) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
assert len(seen) == 16 and all(s == seen[0] for s in seen), seen
assert seen[0][0] == seen[0][1] and seen[0][2] == [1], seen[0]
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "ok"
