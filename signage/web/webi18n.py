"""The language of one web request: ``?lang=en`` (remembered in a cookie), else the cookie, else Korean.

``signage.i18n.t`` reads a process-wide language; the web serves several people at once, so
pages use ``t_in(lang, …)``. The loader words its problems with ``t``: ``worded_in`` runs it with
the request's language under a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from signage import i18n

LANG_COOKIE = "signage_lang"
LANGS = ("ko", "en")
_LOCK = threading.Lock()
T = TypeVar("T")


def lang_of(request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    kept = request.cookies.get(LANG_COOKIE)
    return kept if kept in LANGS else "ko"


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, /, **kw) -> str:
        return i18n.t_in(lang, key, **kw)

    return t


def worded_in(lang: str, fn: Callable[[], T]) -> T:
    """``fn()`` with ``signage.i18n.t`` speaking ``lang`` (one at a time in this process)."""
    with _LOCK:
        before = i18n._LANG
        i18n.set_language(lang)
        try:
            return fn()
        finally:
            i18n._LANG = before
