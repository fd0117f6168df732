"""A Django view serving a :class:`~nhn_webhooks.Receiver`: CSRF-exempt, reading the raw body.

::

    # urls.py
    from django.urls import path
    from nhn_webhooks.adapters.django import receiver_view

    urlpatterns = [path("nhn/webhook", receiver_view(receiver))]

NHN cannot send Django's CSRF token, so the view is exempt; the signature check stands
in for it. The body is read from the request stream up to
``receiver.max_body_bytes`` and one byte more, so Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) does not turn a large POST into a 400 before
the receiver sees it. A method other than POST is answered 405; a chunked body, which
Django reads as empty, 411. Synchronous: every
handler and the store must be plain (not async).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse  # type: ignore[import-untyped]

from .._receive._answer import Answer
from .._receive._receiver import Receiver

__all__ = ["receiver_view"]


def receiver_view(receiver: Receiver) -> Callable[[Any], Any]:
    """A CSRF-exempt Django view answering NHN's webhook POSTs with ``receiver.receive()``."""

    def nhn_webhook(request: Any) -> Any:
        if request.method != "POST":
            response = respond(Answer(status=405, text="POST only"))
            response["Allow"] = "POST"
            return response
        meta = request.META
        if not meta.get("CONTENT_LENGTH") and "chunked" in meta.get("HTTP_TRANSFER_ENCODING", ""):
            # Django reads no body without a length: a real POST would look empty.
            return respond(Answer(status=411, text="Content-Length required"))
        body = request.read(receiver.max_body_bytes + 1)
        return respond(receiver.receive(body, request.headers))

    # What django.views.decorators.csrf.csrf_exempt sets, and CsrfViewMiddleware reads.
    nhn_webhook.csrf_exempt = True  # type: ignore[attr-defined]
    return nhn_webhook


def respond(answer: Answer) -> Any:
    """``answer`` as a Django response."""
    return HttpResponse(answer.text, status=answer.status, content_type=answer.content_type)
