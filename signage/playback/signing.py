"""The hall's signing key and the signature of a certificate (Ed25519, ``cryptography``).

The key is made once, on first use, in ``var/keys/hall-ed25519.pem`` (mode 0600, in a 0700
folder). A signed file is the document's own bytes followed by one line::

    %SIGNAGE-SIGNATURE ed25519 <key fingerprint> <subject, base64 JSON> <signature, base64>

``%`` starts a comment in PDF and PDF readers ignore what follows ``%%EOF``, so the file still
opens everywhere. The signature covers the document's bytes and the subject, so changing a
single byte of either (or the line) fails ``verify``. ``verify`` checks with the hall's own
key, never with anything the file carries: a certificate signed by another key is not genuine.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

MARKER = b"\n%SIGNAGE-SIGNATURE ed25519 "
KEY_FILE = "hall-ed25519.pem"


def key_path(var: Path) -> Path:
    return var / "keys" / KEY_FILE


def load_or_make_key(var: Path):
    """The hall's private key; made (once) when there is none."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(var)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made meanwhile by another process: use that one
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key(var: Path):
    from cryptography.hazmat.primitives import serialization

    path = key_path(var)
    if not path.exists():
        return None
    return serialization.load_pem_private_key(path.read_bytes(), password=None).public_key()


def fingerprint(public) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _message(document: bytes, subject_b64: bytes) -> bytes:
    return hashlib.sha256(document).digest() + b"|" + subject_b64


def sign(document: bytes, subject: dict, var: Path) -> bytes:
    """``document`` with its signature line appended."""
    key = load_or_make_key(var)
    subject_b64 = base64.b64encode(json.dumps(subject, ensure_ascii=False, sort_keys=True).encode())
    signature = key.sign(_message(document, subject_b64))
    fp = fingerprint(key.public_key()).encode()
    return document + MARKER + fp + b" " + subject_b64 + b" " + base64.b64encode(signature) + b"\n"


@dataclass(frozen=True)
class Verdict:
    ok: bool
    key: str  # message id
    kw: dict


def verify(data: bytes, var: Path) -> Verdict:
    from cryptography.exceptions import InvalidSignature

    at = data.rfind(MARKER)
    if at < 0:
        return Verdict(False, "verify_unsigned", {})
    document, line = data[:at], data[at + len(MARKER):]
    parts = line.rstrip(b"\n").split(b" ")
    if len(parts) != 3 or not line.endswith(b"\n") or line.count(b"\n") != 1:
        return Verdict(False, "verify_altered", {})
    fp, subject_b64, sig_b64 = parts
    public = public_key(var)
    if public is None:
        return Verdict(False, "verify_no_key", {"path": key_path(var)})
    ours = fingerprint(public)
    if fp.decode(errors="replace") != ours:
        return Verdict(False, "verify_other_key", {"fingerprint": fp.decode(errors="replace")[:32], "ours": ours})
    try:
        public.verify(base64.b64decode(sig_b64, validate=True), _message(document, subject_b64))
        subject = json.loads(base64.b64decode(subject_b64, validate=True))
    except (InvalidSignature, ValueError):
        return Verdict(False, "verify_altered", {})
    return Verdict(True, "verify_ok", {"fingerprint": ours, "hall": subject.get("hall", ""),
                                      "subject": subject.get("text", "")})
