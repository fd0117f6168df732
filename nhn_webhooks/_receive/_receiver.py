"""The Receiver: a raw POST in, each hook handled once, the right answer out.

Its flow (:meth:`Receiver._flow`) checks the request, decodes it, hands the hooks to a
:class:`~._batch.Batch` and logs the answer; :mod:`._steps` runs it plainly or awaiting.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any, overload

from .._decode import Body, NoHeaders, Signature, check_request, decode_partial
from .._errors import BodyTooLargeError, DecodeError, SignatureError
from .._models._registry import Webhook
from .._once._memory import MemoryIdempotencyStore
from .._partial import HookFailure
from .._signature import Headers, SignatureVerifier
from . import _answer as status
from ._answer import Answer, Report
from ._batch import Batch, dead_letter, failed
from ._console import is_console_check
from ._handlers import (
    DeadLetter,
    Handlers,
    Hook,
    HookRegistration,
    HookT,
    R,
    WebhookRegistration,
    WebhookT,
)
from ._log import log_answer, mask, warn
from ._steps import Call, Flow, Step, adrive, call_logged, drive
from ._store import StoreCalls

__all__ = ["DEFAULT_MAX_BODY_BYTES", "DEFAULT_MAX_HOOKS", "Receiver"]

DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
"""16 MiB, over three times a POST of :data:`DEFAULT_MAX_HOOKS` of the largest hook in
NHN's examples (a KakaoTalk template update with a comment, about 490 bytes)."""
DEFAULT_MAX_HOOKS = 10_000
"""Hooks per POST: NHN documents no batch size; ten times the 1,000-hook POST
the benchmarks measure."""


class _MemoryDefault:
    def __repr__(self) -> str:
        return "<a MemoryIdempotencyStore>"


_MEMORY = _MemoryDefault()


class Receiver:
    """Turns a raw NHN webhook request into an :class:`Answer`, handling each hook once.

    >>> receiver = nw.Receiver(signature=os.environ["NHN_WEBHOOK_SIGNATURE"])
    >>> @receiver.on(nw.SmsMessageResultHook)
    ... def on_sms_result(hook: nw.SmsMessageResultHook, webhook: nw.Webhook) -> None:
    ...     save(webhook.app_key, hook.request_id, hook.recipient_seq, hook.outcome)
    >>> answer = receiver.receive(request_body, request.headers)
    >>> answer.status, answer.text
    (200, 'ok: 1 hook, 1 handled')

    ``signature`` is the value set in the NHN console (several during a rotation, or a
    :class:`SignatureVerifier`). ``receive()`` requires it; a receiver without one can
    only :meth:`process` bodies another process verified.

    ``store`` remembers which hooks were processed: by default a
    :class:`MemoryIdempotencyStore` of this process (100,000 hooks for a day; a POST
    needing more room is answered 503); a
    :class:`~nhn_webhooks.redis.RedisIdempotencyStore` (or its asyncio twin) shares it
    between processes and hosts; ``None`` processes every delivery (no
    de-duplication). It can be set later (``receiver.store = ...``), in the web
    framework's start-up hook, when its client must be made on the server's event loop.

    ``max_body_bytes`` (default :data:`DEFAULT_MAX_BODY_BYTES`, 16 MiB) and
    ``max_hooks`` (default 10,000; None for no limit) bound a POST: over either it is
    answered 413. ``enqueue``, when given, makes this a front-end receiver: a signed
    body within the limit is passed, as raw bytes, to ``enqueue(body)`` (a task
    queue's ``delay``, a queue's ``put``) and answered 200, or 503 when that raises;
    the worker then calls :meth:`process` on another receiver.

    The answers, and why, are in :mod:`nhn_webhooks._receive._answer`, and on the
    "Receiving" page of the docs. One receiver serves any number of threads or
    asyncio tasks at once; register handlers before serving.
    """

    def __init__(
        self,
        *,
        signature: Signature | None = None,
        store: object = _MEMORY,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_hooks: int | None = DEFAULT_MAX_HOOKS,
        enqueue: Callable[[bytes], object] | None = None,
    ) -> None:
        self._verifier = (
            None
            if signature is None
            else signature
            if isinstance(signature, SignatureVerifier)
            else SignatureVerifier(signature)
        )
        self.max_body_bytes = _limit("max_body_bytes", max_body_bytes)
        self.max_hooks = None if max_hooks is None else _limit("max_hooks", max_hooks)
        if enqueue is not None and not callable(enqueue):
            raise TypeError(f"enqueue must be callable, not {type(enqueue).__name__}")
        self._enqueue = enqueue
        self._handlers = Handlers()
        self._store: StoreCalls | None = None
        self.store = MemoryIdempotencyStore() if store is _MEMORY else store

    # --- configuration ----------------------------------------------------------------

    @property
    def checks_signature(self) -> bool:
        """True when a ``signature`` was given: :meth:`receive` can be used."""
        return self._verifier is not None

    @property
    def store(self) -> object:
        """The idempotency store (None: none); may be replaced, e.g. at start-up."""
        return None if self._store is None else self._store.store

    @store.setter
    def store(self, store: object) -> None:
        self._store = None if store is None else StoreCalls(store)

    @overload
    def on(self, cls: type[WebhookT]) -> WebhookRegistration[WebhookT]: ...
    @overload
    def on(self, cls: type[HookT]) -> HookRegistration[HookT]: ...
    def on(self, cls: type[Any]) -> Any:
        """Register the decorated function as the handler of a webhook or hook class.

        For a webhook class (``nw.SmsMessageResultUpdate``, ``nw.UnknownWebhook``, or
        ``nw.Envelope`` for every webhook), the handler gets the webhook, holding only
        the hooks no earlier delivery processed. For a hook class
        (``nw.SmsMessageResultHook``), it gets each such hook and its webhook, whose
        envelope (``hooks_id``, ``app_key``...) says where the hook came from::

            @receiver.on(nw.SmsMessageResultHook)
            def on_result(hook: nw.SmsMessageResultHook, webhook: nw.Webhook) -> None: ...

        Type checkers reject a handler whose first parameter does not fit ``cls``.
        A handler returns nothing to process the hook, raises :class:`Unprocessable`
        to dead-letter it, or raises anything else to have it sent again (500).
        """
        handlers = self._handlers.register_class(cls)

        def register(handler: Callable[..., R]) -> Callable[..., R]:
            self._handlers.add(handlers, handler)
            return handler

        return register

    def on_any(self, handler: Callable[[Webhook], R]) -> Callable[[Webhook], R]:
        """Register a handler for every webhook, after the handlers of its own class."""
        self._handlers.add(self._handlers.any, handler)
        return handler

    def on_any_hook(
        self, handler: Callable[[Hook | dict[str, Any], Webhook], R]
    ) -> Callable[[Hook | dict[str, Any], Webhook], R]:
        """Register a handler for every hook of every webhook, after those of its class.

        It gets each hook (a model, or a dict in an :class:`UnknownWebhook`) and its
        webhook. Each hook is claimed, completed or released on its own, so when one
        raises, those before it stay done; an unknown webhook's hooks, which may lack
        a ``hookId``, are claimed together under the POST's ``hooksId``.
        """
        self._handlers.add(self._handlers.any_hook, handler)
        return handler

    def on_dead_letter(self, handler: Callable[[DeadLetter], R]) -> Callable[[DeadLetter], R]:
        """Register a handler keeping each :class:`DeadLetter` (a hook that cannot be done).

        With one registered, a hook that does not decode is handed to it and the POST
        is answered 200; without, such a POST is answered 400. A replayed POST hands
        its undecodable hooks over again: key what you keep on ``raw``.
        """
        self._handlers.add(self._handlers.dead_letter, handler)
        return handler

    def on_error(
        self, handler: Callable[[Exception, Webhook], R]
    ) -> Callable[[Exception, Webhook], R]:
        """Register a handler told of each exception a handler raised (the POST gets 500)."""
        self._handlers.add(self._handlers.error, handler)
        return handler

    def on_unanswered(self, handler: Callable[[bytes, Answer], R]) -> Callable[[bytes, Answer], R]:
        """Register a handler given the raw body of every POST not answered 2xx.

        NHN does not document whether it sends a POST again after an error answer;
        keep the body here (a table, a bucket) to process it later whatever NHN does.
        It also gets unsigned (401) bodies, which may come from anyone: check
        ``answer.status``. An over-limit body (413) may be cut just past the limit.
        """
        self._handlers.add(self._handlers.unanswered, handler)
        return handler

    def on_console_check(self, handler: Callable[[bytes], R]) -> Callable[[bytes], R]:
        """Register a handler given the body of each NHN console verification request."""
        self._handlers.add(self._handlers.console_check, handler)
        return handler

    # --- receiving --------------------------------------------------------------------

    def receive(self, body: Body, headers: Headers) -> Answer:
        """Check, decode and handle one POST; the answer to send back.

        Synchronous: every handler and the store must be plain (not async); use
        :meth:`areceive` otherwise. Only BaseExceptions that are not Exceptions
        (KeyboardInterrupt...) escape, after this POST's claims are released.
        """
        self._check_sync("receive")
        return drive(self._flow(body, headers, verified=False), self._store)

    async def areceive(self, body: Body, headers: Headers) -> Answer:
        """:meth:`receive` for asyncio: awaits async handlers and stores, runs plain ones inline.

        Plain handlers run on the event loop: keep them quick, or make them
        coroutine functions that await ``asyncio.to_thread(...)``.
        """
        return await adrive(self._flow(body, headers, verified=False), self._store)

    def process(self, body: Body) -> Answer:
        """Handle a body whose signature was checked when it was received (a queue worker).

        The same flow as :meth:`receive`, without the signature check: for a body a
        front-end receiver (``enqueue=``) or your own code verified and queued as raw
        bytes. The answer says what to do: 2xx done; 500 a handler failed
        (``answer.error``: retry the task); 503 a hook is held by another worker or the
        store failed (retry after the lease); 400 or 413 the body can never be done
        (keep it).
        """
        self._check_sync("process")
        return drive(self._flow(body, NoHeaders(), verified=True), self._store)

    async def aprocess(self, body: Body) -> Answer:
        """:meth:`process` for asyncio."""
        return await adrive(self._flow(body, NoHeaders(), verified=True), self._store)

    def __repr__(self) -> str:
        return (
            f"Receiver(signature={self._verifier!r}, store={self.store!r}, "
            f"max_body_bytes={self.max_body_bytes}, max_hooks={self.max_hooks})"
        )

    # --- the flow ---------------------------------------------------------------------

    def _check_sync(self, method: str) -> None:
        if self._handlers.has_async or (self._store is not None and self._store.is_async):
            raise TypeError(
                f"{method}() cannot await: an async handler or store is registered; use a{method}()"
            )

    def _flow(self, body: Body, headers: Headers | NoHeaders, verified: bool) -> Flow:
        webhook: Any = None
        answer = self._refusal(body, headers, verified)
        if answer is None and self._enqueue is not None:
            answer = yield from self._forward(body)
        if answer is None:
            try:
                result = decode_partial(body, max_hooks=self.max_hooks)
            except DecodeError as error:
                answer = self._undecodable(body, error)
            else:
                webhook = result.webhook
                answer = yield from self._handle(body, webhook, result.failures)
        if answer.report.console_check:
            for handler in self._handlers.console_check:
                yield from call_logged(handler, (_bytes(body),), "console-check handler")
        elif not answer.ok:
            for handler in self._handlers.unanswered:
                yield from call_logged(handler, (_bytes(body), answer), "unanswered handler")
        log_answer(answer, webhook)
        return answer

    def _refusal(self, body: Body, headers: Headers | NoHeaders, verified: bool) -> Answer | None:
        """401 or 413 before the body is read, else None."""
        if not verified and self._verifier is None:
            raise TypeError(
                "this Receiver has no signature= to check: receive() needs one "
                "(process() handles a body verified elsewhere)"
            )
        try:
            check_request(body, None if verified else self._verifier, headers, self.max_body_bytes)
        except SignatureError as error:
            return Answer(status=status.UNSIGNED, text="signature missing or wrong", error=error)
        except BodyTooLargeError as error:
            return _too_large(error)
        return None

    def _forward(self, body: Body) -> Generator[Step, Any, Answer]:
        assert self._enqueue is not None
        error = yield Call(self._enqueue, (_bytes(body),))
        if error is not None:
            warn("could not enqueue an NHN webhook: %s", mask(repr(error)), exc_info=error)
            return Answer(
                status=status.UNAVAILABLE, text="could not queue the body: send again", error=error
            )
        return Answer(status=status.OK, text="ok: queued")

    def _undecodable(self, body: Body, error: DecodeError) -> Answer:
        if isinstance(error, BodyTooLargeError):
            return _too_large(error)
        if is_console_check(body, None, decoded_whole=False):
            return _console_check()
        return Answer(status=status.MALFORMED, text=mask(str(error)), error=error)

    def _handle(
        self, body: Body, webhook: Any, failures: tuple[HookFailure, ...]
    ) -> Generator[Step, Any, Answer]:
        if is_console_check(body, webhook.app_key, decoded_whole=not failures):
            return _console_check()
        total = len(webhook.hooks) + len(failures)
        if failures and not self._handlers.dead_letter:
            first = failures[0].error
            return Answer(
                status=status.MALFORMED,
                text=mask(str(first)),
                error=first,
                report=Report(hooks=total),
            )
        for failure in failures:
            letter = DeadLetter(
                raw=failure.raw,
                reason=str(failure.error),
                error=failure.error,
                webhook=webhook,
                index=failure.index,
            )
            warn("NHN hook dead-lettered: %s", mask(letter.reason), index=failure.index)
            error = yield from dead_letter(self._handlers.dead_letter, letter)
            if error is not None:
                return failed(error, Report(hooks=total))
        batch = yield from self._run(webhook)
        return batch.answer(total, len(failures))

    def _run(self, webhook: Any) -> Generator[Step, Any, Batch]:
        """Claim, handle, then complete or release the hooks of a decoded webhook."""
        webhook_handlers, hook_handlers = self._handlers.plan(type(webhook))
        batch = Batch(webhook)
        if not webhook_handlers and not hook_handlers:
            batch.unhandled = len(webhook.hooks)
            warn(
                "NHN %s: no handler for its %d hooks; acknowledged, not processed",
                type(webhook).__name__,
                batch.unhandled,
                hooks_id=webhook.hooks_id,
            )
            return batch
        try:
            yield from batch.claim(self._store)
        except Exception as error:
            warn("idempotency store failed to claim: %s", mask(repr(error)), exc_info=error)
            batch.store_error = error
            return batch
        try:
            yield from batch.call(self._handlers, webhook_handlers, hook_handlers)
        except BaseException:
            yield from batch.settle(self._store)  # KeyboardInterrupt, cancellation...
            raise
        yield from batch.settle(self._store)
        return batch


def _too_large(error: BodyTooLargeError) -> Answer:
    return Answer(status=status.TOO_LARGE, text=mask(str(error)), error=error)


def _console_check() -> Answer:
    return Answer(status=status.OK, text="ok: console check", report=Report(console_check=True))


def _bytes(body: Body) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8", "surrogateescape")
    return body if type(body) is bytes else bytes(body)


def _limit(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value
