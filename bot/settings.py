"""Configuration: one frozen Settings object built once at start-up from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from bot.secret import Secret

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every setting Puente reads; see README for the variables."""

    database_url: str
    """SQLAlchemy URL; SQLite under var/ by default, ``postgresql+psycopg://...`` in production."""
    var_dir: Path
    """Where local state lives (SQLite file, NLU model cache, generated keys)."""
    content_dir: Path
    """The curated content (routes_content/)."""
    nlu_data_dir: Path
    """Rasa-format NLU training data."""
    nlu_cache_dir: Path
    """Where trained NLU models are cached (keyed by a hash of the data)."""
    nlu_backend: str = "local"
    """``local`` (in-process model) or ``rasa`` (a running Rasa server)."""
    rasa_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    default_language: str = "es"
    public_url: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: Secret | None = None
    twilio_whatsapp_from: str | None = None
    twilio_sms_from: str | None = None
    twilio_template_sid: str | None = None
    twilio_api_base_url: str | None = None
    telegram_bot_token: Secret | None = None
    telegram_webhook_secret: Secret | None = None
    telegram_api_base_url: str | None = None

    @property
    def twilio_enabled(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token)

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None

    def describe(self) -> dict[str, str]:
        """The effective configuration for display, with secrets masked."""
        shown: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            shown[f.name] = "(unset)" if value is None else str(value)
        shown["database_url"] = _mask_url_password(self.database_url)
        shown["channel.whatsapp"] = "on" if self.twilio_enabled else "off (TWILIO_* unset)"
        shown["channel.telegram"] = "on" if self.telegram_enabled else "off (TELEGRAM_BOT_TOKEN unset)"
        return shown


def _mask_url_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user, has_password, _ = credentials.partition(":")
    return f"{scheme}://{user}{':***' if has_password else ''}@{host}"


def _optional(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def _secret(environ: Mapping[str, str], name: str) -> Secret | None:
    value = _optional(environ, name)
    return Secret(value) if value else None


def _port(environ: Mapping[str, str]) -> int:
    raw = environ.get("PUENTE_PORT", "8000")
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"PUENTE_PORT must be a whole number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"PUENTE_PORT must be between 1 and 65535, got {port}")
    return port


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build Settings from a mapping of environment variables (tests pass a dict)."""
    var_dir = Path(environ.get("PUENTE_VAR_DIR", str(PROJECT_ROOT / "var")))
    database_url = _optional(environ, "DATABASE_URL") or f"sqlite:///{var_dir / 'puente.sqlite3'}"
    backend = environ.get("PUENTE_NLU_BACKEND", "local")
    if backend not in ("local", "rasa"):
        raise SettingsError(f"PUENTE_NLU_BACKEND must be 'local' or 'rasa', got {backend!r}")
    rasa_url = _optional(environ, "PUENTE_RASA_URL")
    if backend == "rasa" and not rasa_url:
        raise SettingsError("PUENTE_NLU_BACKEND=rasa needs PUENTE_RASA_URL (e.g. http://localhost:5005)")
    language = environ.get("PUENTE_DEFAULT_LANGUAGE", "es")
    if language not in ("es", "en", "pt", "fr", "ht"):
        raise SettingsError(f"PUENTE_DEFAULT_LANGUAGE must be one of es, en, pt, fr, ht, got {language!r}")
    return Settings(
        database_url=database_url,
        var_dir=var_dir,
        content_dir=Path(environ.get("PUENTE_CONTENT_DIR", str(PROJECT_ROOT / "routes_content"))),
        nlu_data_dir=Path(environ.get("PUENTE_NLU_DATA_DIR", str(PROJECT_ROOT / "nlu" / "data"))),
        nlu_cache_dir=Path(environ.get("PUENTE_NLU_CACHE_DIR", str(var_dir / "nlu"))),
        nlu_backend=backend,
        rasa_url=rasa_url,
        host=environ.get("PUENTE_HOST", "127.0.0.1"),
        port=_port(environ),
        default_language=language,
        public_url=_optional(environ, "PUENTE_PUBLIC_URL"),
        twilio_account_sid=_optional(environ, "TWILIO_ACCOUNT_SID"),
        twilio_auth_token=_secret(environ, "TWILIO_AUTH_TOKEN"),
        twilio_whatsapp_from=_optional(environ, "TWILIO_WHATSAPP_FROM"),
        twilio_sms_from=_optional(environ, "TWILIO_SMS_FROM"),
        twilio_template_sid=_optional(environ, "TWILIO_TEMPLATE_SID"),
        twilio_api_base_url=_optional(environ, "TWILIO_API_BASE_URL"),
        telegram_bot_token=_secret(environ, "TELEGRAM_BOT_TOKEN"),
        telegram_webhook_secret=_secret(environ, "TELEGRAM_WEBHOOK_SECRET"),
        telegram_api_base_url=_optional(environ, "TELEGRAM_API_BASE_URL"),
    )
