"""Two receivers, two Celery workers and one Redis, end to end, with a worker killed.

The run itself is tests/support/e2e_scaling.py (``python -m tests.support.e2e_scaling`` prints its
figures for 2,000 POSTs); it starts first when collection ends and runs beside the
rest of the suite.
"""

from __future__ import annotations

from functools import partial

import pytest

from tests.conftest import IN_CI
from tests.support.e2e_scaling import run
from tests.support.early import Early

POSTS = 2000 if IN_CI else 500
"""About 2,000 POSTs (about 20,000 hooks) in CI, on every interpreter; a quarter in a
local run."""
RUN = partial(run, POSTS)


@pytest.mark.early(job=RUN, first=True)
def test_nothing_is_lost_and_only_the_killed_workers_hooks_are_processed_twice(
    early: Early,
) -> None:
    outcome = early.result(RUN)
    assert outcome.clean.posts + outcome.faulty.posts == POSTS
    assert 7.5 * POSTS < outcome.clean.hooks + outcome.faulty.hooks < 12.5 * POSTS
    # Nothing lost: every distinct hook's write is there, and nothing else.
    assert outcome.written == outcome.distinct_keys
    # No fault, no hook processed twice, despite replays and repeated hookIds.
    assert outcome.attempts_after_clean_phase
    assert set(outcome.attempts_after_clean_phase.values()) == {1}
    # The killed worker held two claims; its messages came back to the survivor while
    # those claims were live (the lease outlasts the visibility timeout), so the
    # survivor found them held, not completed, and looked again after the lease.
    assert len(outcome.stalled) == 2
    assert outcome.stalled <= outcome.held.get("survivor", set())
    # With the fault, only the hooks the killed worker held were processed again.
    reprocessed = {key for key, count in outcome.attempts.items() if count > 1}
    assert reprocessed == outcome.stalled
    assert {outcome.attempts[key] for key in outcome.stalled} == {2}
    assert set(outcome.attempts) == outcome.distinct_keys
