"""Key loading: from the environment, or a local key file generated on first start."""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.fernet import Fernet

from bot.settings import SettingsError
from bot.storage.protection import KeyError_, Protector

log = logging.getLogger(__name__)

KEY_FILE_NAME = "keys.json"


def protector_from_environ(environ: Mapping[str, str], var_dir: Path, *, create: bool) -> Protector:
    """Build the Protector from PUENTE_HMAC_KEY / PUENTE_ENCRYPTION_KEYS, else var/keys.json.

    PUENTE_ENCRYPTION_KEYS is ``id:key[,id:key...]``; the first is the current key. With neither
    variable set, the key file is read, or generated when ``create`` is true (``make run``).
    """
    hmac_raw = environ.get("PUENTE_HMAC_KEY", "").strip()
    enc_raw = environ.get("PUENTE_ENCRYPTION_KEYS", "").strip()
    if hmac_raw or enc_raw:
        if not (hmac_raw and enc_raw):
            raise SettingsError("set both PUENTE_HMAC_KEY and PUENTE_ENCRYPTION_KEYS, or neither")
        return _build(hmac_raw, _parse_keys(enc_raw))
    path = var_dir / KEY_FILE_NAME
    if not path.exists():
        if not create:
            raise SettingsError(
                f"no keys: set PUENTE_HMAC_KEY and PUENTE_ENCRYPTION_KEYS, or run `puente serve` "
                f"once to create {path}"
            )
        _write_new_key_file(path)
        log.warning("generated new local keys in %s: back this file up, data is unreadable without it", path)
    try:
        stored = json.loads(path.read_text())
        return _build(stored["hmac_key"], _parse_keys(stored["encryption_keys"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SettingsError(f"cannot read keys from {path}: {exc}") from None


def _parse_keys(raw: str) -> list[tuple[str, bytes]]:
    keys: list[tuple[str, bytes]] = []
    for part in raw.split(","):
        key_id, sep, key = part.strip().partition(":")
        if not sep or not key_id or not key:
            raise SettingsError("PUENTE_ENCRYPTION_KEYS must look like 'k1:<fernet key>[,k0:<old key>]'")
        keys.append((key_id, key.encode()))
    return keys


def _build(hmac_key: str, keys: list[tuple[str, bytes]]) -> Protector:
    try:
        return Protector(base64.urlsafe_b64decode(hmac_key + "=="), dict(keys), keys[0][0])
    except (KeyError_, ValueError) as exc:
        raise SettingsError(f"bad key configuration: {exc}") from None


def _write_new_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {
        "hmac_key": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "encryption_keys": f"k1:{Fernet.generate_key().decode()}",
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(content, handle)


def new_test_environ() -> dict[str, str]:
    """Fresh key variables (for tests and benchmarks)."""
    return {
        "PUENTE_HMAC_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "PUENTE_ENCRYPTION_KEYS": f"k1:{Fernet.generate_key().decode()}",
    }
