"""The exceptions nhn_webhooks raises.

One tree with a single root, so ``except nw.WebhookError`` catches everything the
library raises on purpose::

    ValueError
    └── WebhookError
        ├── DecodeError            the body is not a webhook we can read
        │   ├── UnknownEventError  decode(strict=True) met a product/event it does not know
        │   └── BodyTooLargeError  the body, or its number of hooks, is over the limit given
        ├── SignatureError         the X-Toast-Webhook-Signature check failed
        ├── StoreError             an idempotency store did not answer, or is full
        └── Unprocessable          raised by a Receiver handler: keep this hook as a dead letter

Every class is also a ``ValueError``: bad input from a client is what ValueError means.
``StoreError`` is the one that is not about the input; it is under the same root so
that one ``except`` still catches everything, and it chains the client's own error.
"""

from __future__ import annotations

__all__ = [
    "BodyTooLargeError",
    "DecodeError",
    "SignatureError",
    "StoreError",
    "UnknownEventError",
    "Unprocessable",
    "WebhookError",
]


class WebhookError(ValueError):
    """Root of every exception nhn_webhooks raises on purpose."""


class DecodeError(WebhookError):
    """The request body could not be decoded into a webhook.

    ``path`` is the JSON path of the offending value (``$.hooks[3].recipientSeq``),
    or ``"$"`` when the body as a whole is wrong (not JSON, not an object).
    ``reason`` says what was wrong there. ``str(error)`` is ``"{path}: {reason}"``, on
    one line and safe to log: line breaks, direction overrides and every other
    character that is not printable are written as ``\\uXXXX`` escapes.

    Both are bounded, whatever the body: a value quoted in ``reason`` is shortened to
    40 characters, a ``path`` longer than ``MAX_PATH`` (200) characters keeps its
    first and last 100 with ``...`` between, and a ``reason`` longer than
    ``MAX_REASON`` (200) characters is cut to that length ending in ``...``. So
    ``str(error)`` never exceeds ``MAX_MESSAGE`` (402) characters.
    """

    path: str
    reason: str

    def __init__(self, path: str, reason: str) -> None:
        self.path = _elide(log_safe(path))
        self.reason = _cut(log_safe(reason))
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str, str]]:
        return (type(self), (self.path, self.reason))


MAX_PATH = 200
"""The longest ``DecodeError.path``, in characters (after escaping)."""
MAX_REASON = 200
"""The longest ``DecodeError.reason``, in characters (after escaping)."""
MAX_MESSAGE = MAX_PATH + len(": ") + MAX_REASON
"""The longest ``str()`` of a DecodeError (UnknownEventError included)."""
MAX_VALUE = 40
"""The longest rendering of a value sent in the body that a message quotes."""


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    """``text`` cut to ``limit`` characters, ending in ``...`` when cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _elide(path: str) -> str:
    """A path of at most ``MAX_PATH`` characters: its two ends, ``...`` between."""
    if len(path) <= MAX_PATH:
        return path
    keep = (MAX_PATH - 3) // 2
    return f"{path[:keep]}...{path[-keep:]}"


def _cut(reason: str) -> str:
    return shorten(reason, MAX_REASON)


def log_safe(text: str) -> str:
    """``text`` with each character that is not printable (line and paragraph
    separators, U+0085, bidirectional controls, C0/C1 controls...) escaped."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


class UnknownEventError(DecodeError):
    """``decode(..., strict=True)`` received a product/event pair it does not model.

    ``product_name`` and ``event`` hold the values as sent (``None`` when absent).
    """

    product_name: str | None
    event: str | None

    def __init__(self, product_name: str | None, event: str | None) -> None:
        self.product_name = product_name
        self.event = event
        shown = f"{_quoted(product_name)}/{_quoted(event)}"
        super().__init__("$", f"unknown product/event {shown} (strict mode)")

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str | None, str | None]]:  # type: ignore[override]
        return (type(self), (self.product_name, self.event))


def _quoted(name: str | None) -> str:
    """A name as the message shows it: ``repr``, at most ``MAX_VALUE`` characters."""
    return shorten(repr(name))


class BodyTooLargeError(DecodeError):
    """The body is larger than ``max_body_bytes``, or carries more than ``max_hooks`` hooks.

    A :class:`DecodeError`, so code catching that still catches it; caught first, it
    lets a receiver answer ``413 Content Too Large`` rather than ``400``.
    """


class SignatureError(WebhookError):
    """The ``X-Toast-Webhook-Signature`` header was missing or did not match."""


class StoreError(WebhookError):
    """An idempotency store could not be reached, refused the command, or is full.

    Raised instead of an answer: a claim that fails is never reported as claimed, so
    the hook must not be processed now (answer NHN with an error, or let the task
    queue retry). From a shared store (Redis), ``__cause__`` is the client's own
    exception; a :class:`~nhn_webhooks.MemoryIdempotencyStore` raises it when its live keys leave
    no room, rather than forget one.
    """


class Unprocessable(WebhookError):
    """Raised by a :class:`~nhn_webhooks.Receiver` handler for a hook that can never succeed.

    The receiver hands the hook (its JSON and ``str(error)``) to the dead-letter
    handlers and marks it processed, rather than asking NHN to send it again.
    """
