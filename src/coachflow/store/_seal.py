"""Sealed stores: each stored event's text sealed with AES-256-GCM, in a chain.

The `cryptography` package's AEAD is used as it is: a fresh 96-bit nonce per text and
the authentication tag checked before any byte is trusted. Each row of an engagement is
bound, as associated data, to the engagement's id, its version and the *seal* of the
row before it (that row's tag): a row deleted, moved, reordered or replaced by an older
one breaks the chain. The last seal and a MAC of it (the *head*, kept beside the rows)
bind the end of the chain, so rows cut from the end are found too; an erasure's record
carries the mark of the chain it left, so rows restored from before it are found even
with their head. A sealed text is ``"aead2:" + base64(previous seal + nonce +
ciphertext)``; texts of coachflow 0.2 (``"aead1:"``, without the chain) are sealed
anew when such a store is first opened.

The MACs (the heads, the erasures' marks, the key check value) use HMAC-SHA256 with a
key derived from the store's key by HKDF, never the encryption key itself.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Sequence
from typing import Any

from coachflow._values.errors import StoreError
from coachflow._values.failures import InvalidValue, MissingExtra
from coachflow.store._records import StoredEvent

__all__ = ["CHAINED", "SEALED", "Sealer", "is_sealed"]

SEALED = "aead1:"
"""How a text sealed by coachflow 0.2 begins (no chain)."""

CHAINED = "aead2:"
"""How a sealed text begins (plain event texts begin with ``{``)."""

_START = bytes(16)  # the "previous seal" of an engagement's first row
_TAG = 16


def is_sealed(body: str) -> bool:
    """Whether a stored text is sealed (of either kind)."""
    return body.startswith((CHAINED, SEALED))


class Sealer:
    """Seals and opens the rows of a store with one 32-byte key."""

    __slots__ = ("_aead", "_invalid", "_mac_key")

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) != 32:
            what = (
                f"{len(key)} bytes" if isinstance(key, bytes | bytearray) else type(key).__name__
            )
            raise InvalidValue(f"'key' must be 32 random bytes, e.g. os.urandom(32) (got {what})")
        if len(set(key)) == 1:
            raise InvalidValue(
                "'key' must be 32 random bytes, e.g. os.urandom(32) (got one byte value 32 "
                "times, which is no secret)"
            )
        try:
            from cryptography.exceptions import InvalidTag
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF
        except ModuleNotFoundError as error:  # pragma: no cover - CI installs the extra
            raise MissingExtra(
                'sealed stores need the cryptography package: pip install "coachflow[encryption]"'
            ) from error
        self._aead: Any = AESGCM(bytes(key))
        self._invalid: type[Exception] = InvalidTag
        derive = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"coachflow mac")
        self._mac_key = derive.derive(bytes(key))

    # -- marks ---------------------------------------------------------------------------

    def _mac(self, *parts: str) -> str:
        text = "\x1f".join(parts).encode()
        return hmac.new(self._mac_key, text, hashlib.sha256).hexdigest()[:32]

    def check_value(self) -> str:
        """The key check value a sealed store records: which key seals it, never the key."""
        return self._mac("coachflow key check")

    def mark(self, engagement_id: str, version: int, seal: str) -> str:
        """The MAC of the chain of *engagement_id* ending at *version* with *seal*."""
        return f"{version}:{seal}:{self._mac('chain', engagement_id, str(version), seal)}"

    def _marked(self, engagement_id: str, mark: str) -> tuple[int, str]:
        """The version and seal a *mark* vouches for, or `StoreError`."""
        version, _, rest = mark.partition(":")
        seal, _, _ = rest.partition(":")
        if not version.isdigit() or not hmac.compare_digest(
            mark, self.mark(engagement_id, int(version), seal)
        ):
            raise StoreError(f"engagement {engagement_id!r}: its seal does not hold (tampered)")
        return int(version), seal

    # -- rows ----------------------------------------------------------------------------

    @staticmethod
    def _bound(engagement_id: str, version: int, previous: bytes) -> bytes:
        return f"coachflow:2:{engagement_id}:{version}:".encode() + previous

    def chain(
        self, engagement_id: str, rows: Sequence[StoredEvent], head: str | None
    ) -> tuple[list[StoredEvent], str]:
        """*rows* (plain texts, the versions after *head*'s) sealed in the chain that
        *head* ends (None: from the start); the rows and the new head."""
        previous = _START if head is None else _seal(self._marked(engagement_id, head)[1])
        sealed = []
        for row in rows:
            nonce = os.urandom(12)
            bound = self._bound(engagement_id, row.version, previous)
            cipher = self._aead.encrypt(nonce, row.body.encode(), bound)
            body = CHAINED + base64.b64encode(previous + nonce + cipher).decode("ascii")
            sealed.append(StoredEvent(row.version, body, row.format_version, row.type, row.at))
            previous = cipher[-_TAG:]
        last = rows[-1].version if rows else 0
        return sealed, self.mark(engagement_id, last, _text(previous))

    @staticmethod
    def seal_of(row: StoredEvent) -> str:
        """The seal of a row this store sealed (its tag: no key needed to read it)."""
        return _text(base64.b64decode(row.body[len(CHAINED) :])[-_TAG:])

    def open_one(self, engagement_id: str, row: StoredEvent) -> tuple[StoredEvent, str, str]:
        """One sealed row opened: the row, the seal it claims before it, its own seal."""
        where = f"engagement {engagement_id!r} version {row.version}"
        if row.body.startswith(SEALED):
            raise StoreError(f"{where} is sealed without a chain: open the store with its key")
        if not row.body.startswith(CHAINED):
            raise StoreError(f"{where} has no seal, in a sealed store (a row put in by hand?)")
        try:
            raw = base64.b64decode(row.body[len(CHAINED) :], validate=True)
            previous, nonce, cipher = raw[:_TAG], raw[_TAG : _TAG + 12], raw[_TAG + 12 :]
            plain = self._aead.decrypt(
                nonce, cipher, self._bound(engagement_id, row.version, previous)
            )
        except (self._invalid, ValueError, binascii.Error) as error:
            raise StoreError(
                f"{where} does not open with this key (a wrong key, or a damaged or moved row)"
            ) from error
        opened = StoredEvent(row.version, plain.decode(), row.format_version, row.type, row.at)
        return opened, _text(previous), _text(cipher[-_TAG:])

    def open_legacy(self, engagement_id: str, row: StoredEvent) -> StoredEvent:
        """A row sealed by coachflow 0.2 (``"aead1:"``: bound to its engagement and
        version only) opened, to be sealed anew in the chain."""
        try:
            raw = base64.b64decode(row.body[len(SEALED) :], validate=True)
            bound = f"coachflow:{engagement_id}:{row.version}".encode()
            plain = self._aead.decrypt(raw[:12], raw[12:], bound)
        except (self._invalid, ValueError, binascii.Error) as error:
            raise StoreError(
                f"engagement {engagement_id!r} version {row.version} does not open with this "
                "key (a wrong key, or a damaged or moved row)"
            ) from error
        return StoredEvent(row.version, plain.decode(), row.format_version, row.type, row.at)

    def open_chain(
        self,
        engagement_id: str,
        rows: Sequence[StoredEvent],
        head: str | None,
        erased: str | None,
    ) -> list[StoredEvent]:
        """Every row of an engagement opened, the chain and its *head* checked (and the
        mark its last erasure left, *erased*); `StoreError` at the first break."""
        where = f"engagement {engagement_id!r}"
        seals = [_text(_START)]
        opened = []
        for row in rows:
            plain, previous, seal = self.open_one(engagement_id, row)
            if previous != seals[-1]:
                raise StoreError(
                    f"{where} version {row.version} does not follow the row before it "
                    "(rows deleted, reordered or restored from another time)"
                )
            seals.append(seal)
            opened.append(plain)
        if head is None:
            raise StoreError(f"{where} has no head in a sealed store (tampered)")
        version, seal = self._marked(engagement_id, head)
        if version != len(rows) or seal != seals[-1]:
            raise StoreError(
                f"{where} ends at version {len(rows)}, its head at {version}: rows were "
                "deleted from its end, or restored from another time"
            )
        if erased is not None:
            version, seal = self._marked(engagement_id, erased)
            if version >= len(seals) or seals[version] != seal:
                raise StoreError(
                    f"{where} is not the history its last erasure left (restored from "
                    "before the erasure?)"
                )
        return opened


def _text(seal: bytes) -> str:
    return base64.b64encode(seal).decode("ascii")


def _seal(text: str) -> bytes:
    return base64.b64decode(text)
