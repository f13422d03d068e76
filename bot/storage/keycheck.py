"""Start-up check that the configured keys can read what is already stored (never run blind)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.settings import SettingsError
from bot.storage.models import Contact
from bot.storage.protection import KeyError_, Protector


def verify_keys(db: Engine, protector: Protector) -> None:
    """Open the newest stored address; raise SettingsError when the keys cannot."""
    try:
        with db.connect() as conn:
            sealed = conn.scalar(
                select(Contact.address_enc).where(Contact.address_enc != b"").order_by(Contact.id.desc()).limit(1)
            )
    except (OperationalError, ProgrammingError):
        return  # no schema yet: nothing stored to check against
    if sealed is None:
        return
    try:
        protector.open(sealed)
    except KeyError_ as exc:
        raise SettingsError(
            f"the configured encryption keys cannot read the stored data ({exc}); "
            "set PUENTE_ENCRYPTION_KEYS / PUENTE_HMAC_KEY (or var/keys.json) to the keys this database was written with"
        ) from None
