"""Pickles written before the package was split into folders still load."""

from __future__ import annotations

import pickle
import pickletools
import subprocess
import sys
from pathlib import Path

import nhn_webhooks as nw
from nhn_webhooks._models._samples import SAMPLE_NAMES, sample_body
from nhn_webhooks._moved import MOVED

# Written by the version before the move: every bundled sample decoded, an unknown
# webhook, a partial result, every code enum member, every Outcome, a ResultCode and
# a DecodeError, pickled with protocol 4.
OLD_PICKLES = Path(__file__).parent / "fixtures" / "pickles-before-folders.pickle"
# Written by the version whose idempotency module was one file: every ClaimStatus.
OLD_CLAIM_PICKLES = Path(__file__).parent / "fixtures" / "pickles-before-idempotency-folder.pickle"


def _old_modules() -> set[str]:
    names = set()
    for fixture in (OLD_PICKLES, OLD_CLAIM_PICKLES):
        for _op, arg, _pos in pickletools.genops(fixture.read_bytes()):
            if isinstance(arg, str) and arg.startswith("nhn_webhooks."):
                names.add(arg)
    return names


def test_the_fixture_names_the_old_modules() -> None:
    assert set(MOVED) <= _old_modules() | {"nhn_webhooks._model", "nhn_webhooks._webhooks"}


def test_old_claim_status_pickles_load_as_the_current_members() -> None:
    objects = pickle.loads(OLD_CLAIM_PICKLES.read_bytes())
    assert objects == {f"claimstatus:{status.name}": status for status in nw.ClaimStatus}
    assert all(objects[f"claimstatus:{status.name}"] is status for status in nw.ClaimStatus)


def test_old_pickles_load_as_the_current_classes() -> None:
    objects = pickle.loads(OLD_PICKLES.read_bytes())
    for name in SAMPLE_NAMES.values():
        assert objects[f"sample:{name}"] == nw.decode(sample_body(name))
    assert type(objects["sample:sms-message-result-update"]) is nw.SmsMessageResultUpdate
    assert objects["outcome:DELIVERED"] is nw.Outcome.DELIVERED
    assert objects["resultcode"] == nw.result_code("SMS", "1000")
    assert objects["enum:SmsMessageStatus.COMPLETED"] is nw.SmsMessageStatus.COMPLETED
    assert str(objects["error"]) == "$.x: bad"


def test_old_pickles_load_in_a_fresh_interpreter() -> None:
    """The old names resolve on their own: unpickling imports nhn_webhooks first."""
    script = f"import pickle; print(len(pickle.loads(open({str(OLD_PICKLES)!r}, 'rb').read())))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(pickle.loads(OLD_PICKLES.read_bytes()))


def test_new_pickles_name_the_new_modules() -> None:
    webhook = nw.decode(sample_body("sms-message-result-update"))
    text = pickle.dumps(webhook, protocol=4)
    assert b"nhn_webhooks._models._sms" in text
    assert pickle.loads(text) == webhook
