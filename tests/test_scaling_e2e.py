"""Two receivers, two Celery workers and one Redis, end to end, with a worker killed.

The run itself is tests/e2e_scaling.py (``python -m tests.e2e_scaling`` prints its
figures); it starts as soon as collection ends and runs beside the rest of the suite.
"""

from __future__ import annotations

import pytest

from tests.e2e_scaling import run
from tests.early import Early


@pytest.mark.early(job=run)
def test_nothing_is_lost_and_only_the_killed_workers_hooks_are_processed_twice(
    early: Early,
) -> None:
    outcome = early.result(run)
    assert outcome.clean.posts + outcome.faulty.posts == 2000
    assert 15_000 < outcome.clean.hooks + outcome.faulty.hooks < 25_000
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
