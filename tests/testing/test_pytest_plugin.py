"""The pytest plugin: registered by installing the package, fixtures build signed requests."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import nhn_webhooks as nw
from nhn_webhooks.testing import WebhookRequestBuilder
from tests.support.early import Early, child_environment

USER_TESTS = """
import pytest
import nhn_webhooks as nw

SECRET = "from-settings"


def handle(body, headers):
    try:
        webhook = nw.decode(body, signature=SECRET, headers=headers)
    except nw.SignatureError:
        return 401
    return 204 if isinstance(webhook, nw.SmsMessageResultUpdate) else 400


@pytest.fixture
def nhn_webhook_signature():
    return SECRET


def test_signed_request_is_accepted(nhn_webhook):
    body, headers = nhn_webhook(nw.SmsMessageResultUpdate, hooks=3, message_status="FAILED")
    assert handle(body, headers) == 204


def test_wrong_signature_is_refused(nhn_webhook):
    assert handle(*nhn_webhook(nw.SmsMessageResultUpdate, signature="guess")) == 401
"""


def run_pytest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """pytest, in a new process, over USER_TESTS in a scratch directory."""
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "test_handler.py").write_text(textwrap.dedent(USER_TESTS))
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
            cwd=scratch,
            capture_output=True,
            text=True,
            check=False,
            env=child_environment(**env),
        )


def run_users_suite() -> subprocess.CompletedProcess[str]:
    return run_pytest()


def run_users_suite_without_autoload() -> tuple[
    subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]
]:
    """The suite without plugin autoloading: as is, then naming the plugin with -p."""
    without = run_pytest(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    loaded = run_pytest(
        "-p", "nhn_webhooks.testing.pytest_plugin", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"
    )
    return without, loaded


def test_the_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    plugins = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert plugins.get("nhn_webhooks") == "nhn_webhooks.testing.pytest_plugin"


def test_fixture_builds_a_body_and_headers_signed_with_the_default(
    nhn_webhook: WebhookRequestBuilder, nhn_webhook_signature: str
) -> None:
    body, headers = nhn_webhook(nw.EmailMessageResultUpdate, hooks=2)
    webhook = nw.decode(body, signature=nhn_webhook_signature, headers=headers)
    assert isinstance(webhook, nw.EmailMessageResultUpdate)
    assert len(webhook.hooks) == 2
    assert nhn_webhook_signature == "test-signature"


@pytest.mark.early(job=run_users_suite)
def test_a_users_suite_gets_the_fixtures_without_configuration(early: Early) -> None:
    result = early.result(run_users_suite)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


@pytest.mark.early(job=run_users_suite_without_autoload)
def test_without_autoload_the_plugin_loads_by_module_name(early: Early) -> None:
    without, loaded = early.result(run_users_suite_without_autoload)
    assert "fixture 'nhn_webhook' not found" in without.stdout
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
