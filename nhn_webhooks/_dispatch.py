"""Which classes a body can be, from the envelope's productName, event and hook shape.

Those names sit beside the hooks rather than inside them, so msgspec's tagged unions
cannot pick the class. This module is the rule alone, with no decoding:
:func:`candidates` lists the classes to try in order, :func:`classify` names the
first. The fast path (``_decode``) applies it to names found in the raw bytes, the
careful path (``_careful``) to the parsed envelope.
"""

from __future__ import annotations

from ._models._envelope import Envelope
from ._models._kakao import KakaoMessageResultUpdate, KakaoTemplateStatusUpdate
from ._models._registry import WEBHOOK_CLASSES

__all__ = ["candidates", "carries_template_code", "classify", "fold_name"]


def classify(
    product_name: object, event: object, carries_template_code: bool
) -> type[Envelope] | None:
    """The class for an envelope's productName and event, or None if not modelled.

    Names match ignoring case, spaces, hyphens and underscores (``Sms``, ``E-mail``).
    NHN never documented the name of the KakaoTalk Bizmessage template event, so
    under that product any other event whose hooks carry ``templateCode`` is a
    template status update. ``MESSAGE_RESULT_UPDATE`` is always a message result
    first (AlimTalk results may one day carry a template code too); should its hooks
    not fit, a body whose hooks carry ``templateCode`` is tried as a template update.
    """
    found = candidates(product_name, event, carries_template_code)
    return found[0] if found else None


def candidates(
    product_name: object, event: object, carries_template_code: bool
) -> tuple[type[Envelope], ...]:
    """The classes to try, in order, for an envelope's names and hook shape."""
    if not isinstance(product_name, str):
        return ()
    product = fold_name(product_name)
    folded_event = fold_name(event) if isinstance(event, str) else None
    if product == _KAKAO:
        found: tuple[type[Envelope], ...] = ()
        if folded_event == _KAKAO_RESULT_EVENT:
            found = (KakaoMessageResultUpdate,)
        if carries_template_code:
            found += (KakaoTemplateStatusUpdate,)
        return found
    cls = _DOCUMENTED.get((product, folded_event or ""))
    return () if cls is None else (cls,)


def carries_template_code(hooks: object) -> bool:
    """Whether a parsed ``hooks`` value has a hook with ``templateCode`` (the shape rule)."""
    return isinstance(hooks, list) and any(
        isinstance(hook, dict) and "templateCode" in hook for hook in hooks
    )


def fold_name(name: str) -> str:
    """A productName or event as compared: case, whitespace, ``-`` and ``_`` ignored."""
    return "".join(name.split()).replace("-", "").replace("_", "").casefold()


_DOCUMENTED: dict[tuple[str, str], type[Envelope]] = {
    (fold_name(cls.PRODUCT_NAME), fold_name(cls.EVENT)): cls
    for cls in WEBHOOK_CLASSES
    if cls.EVENT is not None
}
_KAKAO = fold_name(KakaoTemplateStatusUpdate.PRODUCT_NAME)
_KAKAO_RESULT_EVENT = fold_name(KakaoMessageResultUpdate.EVENT or "")
