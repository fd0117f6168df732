"""pytest fixtures for testing a webhook handler: ``nhn_webhook``, ``nhn_webhook_signature``.

Installed with the package and loaded by pytest automatically (entry point
``pytest11``). Where plugin autoloading is off (``PYTEST_DISABLE_PLUGIN_AUTOLOAD``),
load it with ``-p nhn_webhooks.testing.pytest_plugin`` or in a conftest.py::

    pytest_plugins = ["nhn_webhooks.testing.pytest_plugin"]
"""

from __future__ import annotations

import pytest

from ._builders import DEFAULT_SIGNATURE, WebhookRequestBuilder

__all__ = ["nhn_webhook", "nhn_webhook_signature"]


@pytest.fixture
def nhn_webhook_signature() -> str | None:
    """The signature ``nhn_webhook`` sends: ``"test-signature"`` unless you override it.

    Override it in your conftest.py with the value your application is configured
    with (or None to send no signature header)::

        @pytest.fixture
        def nhn_webhook_signature() -> str:
            return settings.NHN_WEBHOOK_SIGNATURE
    """
    return DEFAULT_SIGNATURE


@pytest.fixture
def nhn_webhook(nhn_webhook_signature: str | None) -> WebhookRequestBuilder:
    """Builds a webhook request, body and signed headers, for a handler test::

    def test_failed_results_are_stored(client, nhn_webhook):
        body, headers = nhn_webhook(nw.SmsMessageResultUpdate, hooks=3)
        assert client.post("/nhn", content=body, headers=headers).status_code == 200
    """
    return WebhookRequestBuilder(nhn_webhook_signature)
