"""Protection of personal data at rest: keyed pseudonyms for lookups, encryption for text.

A sealed value is ``<key id>:`` and then, since 2026-11, ``0x01``, a random 12-byte nonce and the
AES-256-GCM ciphertext with its tag (the key id is authenticated with it). The AES key is
derived with HKDF-SHA256 from the configured key (``PUENTE_ENCRYPTION_KEYS`` keeps Fernet's
format, so the same keys open both). Values sealed earlier are Fernet tokens (they start with
``g``) and still open; new values always use the current key and AES-GCM, which costs a fifth of
a Fernet token's CPU on the busiest path (every queued webhook). Random nonces are safe for far
more values than one key will ever seal here (about 2**32); rotate keys as usual.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

AES_GCM = b"\x01"  # the first byte of a value sealed with AES-256-GCM (a Fernet token starts with "g")
NONCE_BYTES = 12
HKDF_INFO = b"puente seal v1 aes-256-gcm"


class KeyError_(ValueError):
    """A key is missing, malformed, or cannot open a sealed value."""


class Protector:
    """Pseudonymises identifiers and seals/opens text with the configured keys."""

    def __init__(self, hmac_key: bytes, fernet_keys: dict[str, bytes], current_key_id: str) -> None:
        if len(hmac_key) < 32:
            raise KeyError_("the pseudonymisation (HMAC) key must be at least 32 bytes")
        if current_key_id not in fernet_keys:
            raise KeyError_(f"current encryption key id {current_key_id!r} is not among the keys")
        self._hmac_key = hmac_key
        self._current = current_key_id.encode()
        try:
            self._fernets = {kid.encode(): Fernet(key) for kid, key in fernet_keys.items()}
        except ValueError as exc:
            raise KeyError_(f"an encryption key is not a valid Fernet key: {exc}") from None
        self._aeads = {kid.encode(): AESGCM(_aes_key(key)) for kid, key in fernet_keys.items()}

    def pseudonym(self, channel: str, user_id: str) -> str:
        """A stable keyed hash of a channel user id (hex, 64 characters)."""
        data = f"{channel}\x00{user_id}".encode()
        return hmac.new(self._hmac_key, data, hashlib.sha256).hexdigest()

    def seal(self, text: str) -> bytes:
        """Encrypt text with the current key."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aeads[self._current].encrypt(nonce, text.encode(), self._current)
        return b"".join((self._current, b":", AES_GCM, nonce, sealed))

    def open_or_none(self, sealed: bytes) -> str | None:
        """Like ``open``, but None for a value erased by retention (stored as empty bytes)."""
        return self.open(sealed) if sealed else None

    def open(self, sealed: bytes) -> str:
        """Decrypt a value sealed with any known key (AES-GCM, or a Fernet token from before)."""
        key_id, sep, token = bytes(sealed).partition(b":")
        name = key_id.decode(errors="replace")
        aead, fernet = (self._aeads.get(key_id), self._fernets.get(key_id)) if sep else (None, None)
        if aead is None or fernet is None:
            raise KeyError_(f"no encryption key with id {name!r}")
        try:
            if token[:1] == AES_GCM:
                return aead.decrypt(token[1 : 1 + NONCE_BYTES], token[1 + NONCE_BYTES :], key_id).decode()
            return fernet.decrypt(token).decode()
        except (InvalidTag, InvalidToken):
            raise KeyError_(f"encryption key {name!r} cannot open this value") from None


def _aes_key(fernet_key: bytes) -> bytes:
    """The AES-256 key for one configured key: HKDF-SHA256 over its 32 bytes."""
    raw = base64.urlsafe_b64decode(fernet_key)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(raw)
