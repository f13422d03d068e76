"""Protection of personal data at rest: keyed pseudonyms for lookups, encryption for text.

A sealed value is ``<key id>:<Fernet token>``; the key id lets old rows be read after a key
rotation (new rows always use the current key).
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken


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
        self._current = current_key_id
        try:
            self._fernets = {kid: Fernet(key) for kid, key in fernet_keys.items()}
        except ValueError as exc:
            raise KeyError_(f"an encryption key is not a valid Fernet key: {exc}") from None

    def pseudonym(self, channel: str, user_id: str) -> str:
        """A stable keyed hash of a channel user id (hex, 64 characters)."""
        data = f"{channel}\x00{user_id}".encode()
        return hmac.new(self._hmac_key, data, hashlib.sha256).hexdigest()

    def seal(self, text: str) -> bytes:
        """Encrypt text with the current key."""
        token = self._fernets[self._current].encrypt(text.encode())
        return self._current.encode() + b":" + token

    def open_or_none(self, sealed: bytes) -> str | None:
        """Like ``open``, but None for a value erased by retention (stored as empty bytes)."""
        return self.open(sealed) if sealed else None

    def open(self, sealed: bytes) -> str:
        """Decrypt a value sealed with any known key."""
        key_id, sep, token = bytes(sealed).partition(b":")
        fernet = self._fernets.get(key_id.decode(errors="replace")) if sep else None
        if fernet is None:
            raise KeyError_(f"no encryption key with id {key_id.decode(errors='replace')!r}")
        try:
            return fernet.decrypt(token).decode()
        except InvalidToken:
            raise KeyError_(f"encryption key {key_id.decode()!r} cannot open this value") from None
