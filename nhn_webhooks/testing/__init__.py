"""Helpers for testing code that receives NHN webhooks.

Build realistic bodies and signed requests for your handler's tests, without
hand-writing JSON::

    from nhn_webhooks import testing

    body = testing.sample(nw.SmsMessageResultUpdate, hooks=3, message_status="FAILED")
    body, headers = testing.WebhookRequestBuilder("s3cret")(nw.EmailUnsubscribe)

These helpers need nothing beyond the library. The pytest fixtures
(:mod:`nhn_webhooks.testing.pytest_plugin`, loaded automatically when pytest runs)
and the hypothesis strategies (:mod:`nhn_webhooks.testing.strategies`) come with the
``testing`` extra: ``pip install "nhn-webhooks[testing]"``.
"""

from ._builders import (
    WebhookRequest,
    WebhookRequestBuilder,
    load_sample,
    sample,
    sample_data,
    sample_webhook,
    webhook_headers,
)

__all__ = [
    "WebhookRequest",
    "WebhookRequestBuilder",
    "load_sample",
    "sample",
    "sample_data",
    "sample_webhook",
    "webhook_headers",
]
