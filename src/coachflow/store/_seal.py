"""Encryption at rest: each stored event's text sealed with AES-256-GCM.

The `cryptography` package's AEAD is used as it is: a fresh 96-bit nonce per text, the
engagement's id and the row's version as associated data (a sealed row moved to
another place does not open), and the authentication tag checked before any byte is
trusted. A sealed text is ``"aead1:" + base64(nonce + ciphertext)``.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from coachflow._values.errors import StoreError
from coachflow._values.failures import InvalidValue, MissingExtra

__all__ = ["SEALED", "Sealer"]

SEALED = "aead1:"
"""How a sealed text begins (plain event texts begin with ``{``)."""


class Sealer:
    """Seals and opens event texts with one 32-byte key."""

    __slots__ = ("_aead", "_invalid")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) != 32:
            what = (
                f"{len(key)} bytes" if isinstance(key, bytes | bytearray) else type(key).__name__
            )
            raise InvalidValue(f"'key' must be 32 random bytes, e.g. os.urandom(32) (got {what})")
        try:
            from cryptography.exceptions import InvalidTag
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        except ModuleNotFoundError as error:  # pragma: no cover - CI installs the extra
            raise MissingExtra(
                "encryption at rest needs the cryptography package: "
                'pip install "coachflow[encryption]"'
            ) from error
        self._aead: Any = AESGCM(bytes(key))
        self._invalid: type[Exception] = InvalidTag

    @staticmethod
    def _bound(engagement_id: str, version: int) -> bytes:
        return f"coachflow:{engagement_id}:{version}".encode()

    def seal(self, text: str, engagement_id: str, version: int) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, text.encode(), self._bound(engagement_id, version))
        return SEALED + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, text: str, engagement_id: str, version: int) -> str:
        try:
            raw = base64.b64decode(text[len(SEALED) :], validate=True)
            plain = self._aead.decrypt(raw[:12], raw[12:], self._bound(engagement_id, version))
        except (self._invalid, ValueError) as error:
            raise StoreError(
                f"engagement {engagement_id!r} version {version} does not open with this key "
                "(a wrong key, or a damaged or moved row)"
            ) from error
        text_: str = plain.decode()
        return text_
