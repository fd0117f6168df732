"""The module names classes had before the package was split into folders.

A pickle names each class by its module: a webhook pickled by an earlier version
refers to ``nhn_webhooks._sms.SmsMessageResultUpdate``, a name that no longer exists.
:func:`install` puts a finder on ``sys.meta_path`` that answers each old module name
with the module now holding its classes, so those pickles still load. Nothing in the
package imports the old names; new pickles name the new modules.
"""

from __future__ import annotations

import sys
from importlib import import_module
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

# old module -> the module that holds its public classes now
MOVED = {
    "nhn_webhooks._codes": "nhn_webhooks._models._values",
    "nhn_webhooks._common": "nhn_webhooks._models._envelope",
    "nhn_webhooks._email": "nhn_webhooks._models._email",
    "nhn_webhooks._idempotency": "nhn_webhooks._once._protocols",  # ClaimStatus
    "nhn_webhooks._kakao": "nhn_webhooks._models._kakao",
    "nhn_webhooks._model": "nhn_webhooks._models._base",
    "nhn_webhooks._outcome": "nhn_webhooks._result_codes._outcome",
    "nhn_webhooks._sms": "nhn_webhooks._models._sms",
    "nhn_webhooks._webhooks": "nhn_webhooks._models._registry",
}


class _OldNames:
    """A meta path finder and loader: an old name imports as the module it became."""

    @classmethod
    def find_spec(cls, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        return ModuleSpec(fullname, cast("Loader", cls)) if fullname in MOVED else None

    @staticmethod
    def create_module(spec: ModuleSpec) -> ModuleType:
        return import_module(MOVED[spec.name])

    @staticmethod
    def exec_module(module: ModuleType) -> None:
        """Nothing to run: the module it stands for was run when it was imported."""


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if _OldNames not in sys.meta_path:
        sys.meta_path.append(_OldNames)
