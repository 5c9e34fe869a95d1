"""File names from a tenant's folder, made safe to store and to show.

A name on disk is bytes: it may not be UTF-8, and it may hold a newline or other control
characters (a tab, an escape sequence, a right-to-left override). Such a name must neither stop
a scan (SQLite and the status file take only valid text) nor add a line to ``STATUS.txt`` or to
the command's listing. So a name is stored in its *safe* form: bytes that are not UTF-8 read as
``\\xff``, control characters as ``\\n``, ``\\x1b``, ``\\u202e``, and a backslash as ``\\\\``. The
mapping is one-to-one, so two different names never share a safe form, and a name that needs
none of this (the usual case, Hangul included) is stored exactly as it is.
"""

from __future__ import annotations

import os
import unicodedata

SHOWN_CHARS = 80  # a longer name is shown with its middle elided (the extension stays visible)
_KEPT_FORMAT = {"\u200c", "\u200d"}  # zero-width (non-)joiners: part of emoji and some scripts
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def readable(name: str) -> bool:
    """True when the name on disk is valid UTF-8 (``os`` gives other bytes as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _control(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cc", "Zl", "Zp", "Cs") or (category == "Cf" and ch not in _KEPT_FORMAT)


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if ch in _SHORT:
        return _SHORT[ch]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_name(name: str) -> str:
    """The stored form of a name from ``os.scandir``: valid UTF-8, one line, one-to-one."""
    text = os.fsencode(name).decode("utf-8", "surrogateescape")
    return "".join("\\\\" if ch == "\\" else _escape(ch) if _control(ch) else ch for ch in text)


def shown_name(name: str, limit: int = SHOWN_CHARS) -> str:
    """A name for a line of text (status file, listing, log): control characters escaped (a
    stored safe name has none left, so it shows unchanged) and a long name elided in the middle."""
    text = "".join(_escape(ch) if _control(ch) else ch for ch in name)
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return f"{text[:head]}…{text[len(text) - (limit - 1 - head):]}"
