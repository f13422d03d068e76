"""TOTP second factor (RFC 6238, authenticator apps) with pyotp; each code is accepted once."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

ISSUER = "Puente"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (typed in, or as a QR code elsewhere)."""
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER))


def accepted_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side), if not used before."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current, current - 1, current + 1):
        fresh = last_step is None or step > last_step
        if fresh and hmac.compare_digest(str(totp.at(step * STEP_SECONDS)), digits):
            return step
    return None


def code_at(secret: str, moment: datetime) -> str:
    """The code an app shows at ``moment`` (for tests and the CLI)."""
    return str(pyotp.TOTP(secret).at(moment))
