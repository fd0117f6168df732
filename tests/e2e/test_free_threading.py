"""On a free-threaded Python (3.14t, 3.15t) the package runs with the GIL off.

These tests run only on such a build. None is installed where the suite runs today:
pyenv's builds and Debian's python3.X packages all have the GIL, and msgspec publishes
no build for 3.13t (it does for 3.14t and 3.15t). `.ci/pythons` runs the suite on any
free-threaded Python it finds, so these tests run as soon as one is installed.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from nhn_webhooks._models._samples import SAMPLE_NAMES

from ..conftest import child_environment

pytestmark = pytest.mark.skipif(
    not sysconfig.get_config_var("Py_GIL_DISABLED"),
    reason="needs a free-threaded Python (3.14t, 3.15t); this one has the GIL",
)

STRESS = Path(__file__).parents[1] / "support" / "thread_stress.py"
RUNS = 20


def test_importing_the_package_leaves_the_gil_off() -> None:
    # An extension module that does not declare itself free-threading safe turns the
    # GIL back on at import, with a RuntimeWarning.
    code = "import nhn_webhooks, sys; print(sys._is_gil_enabled())"
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env=child_environment(),
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr[-500:]


def test_first_calls_from_sixteen_threads_without_the_gil() -> None:
    expected = []
    for cls in SAMPLE_NAMES:
        expected += [cls.__name__, cls.__name__, "UnknownWebhook"]
    for _ in range(RUNS):
        result = subprocess.run(
            [sys.executable, "-X", "gil=0", str(STRESS), "1e-4"],
            capture_output=True,
            text=True,
            check=False,
            env=child_environment(),
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-500:]
        assert result.stdout.splitlines() == [" ".join(expected)] * 16
