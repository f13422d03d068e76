"""Configuration: one frozen Settings object built once at start-up from the environment."""

from __future__ import annotations

import re
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
    retention_days: int = 90
    """Message text, notes and flow answers older than this are erased (statistics stay)."""
    retention_topic_days: tuple[tuple[str, int], ...] = ()
    """Shorter periods for conversations on some topics, e.g. (("gbv", 30),)."""
    inactive_days: int = 365
    """Contacts silent for this long lose their identifiers (pseudonym, address, state)."""
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
    outbox_rate: float | None = None
    """Messages per second per channel from one sending process (unset: each provider's default)."""
    desk_hours: str | None = None
    """Caseworkers' hours, Bogotá time (``mon-fri 08:00-17:00; sat 09:00-12:00``); unset: always."""
    handoff_routing: str | None = None
    """Routing of new cases to teams (``gbv@villa_del_rosario=gbv_vdr, legal_aid=legal``)."""
    console_cookie_secure: bool = True
    """Mark the console's session cookie Secure (turn off only for local http)."""
    console_session_minutes: int = 480
    """A console login ends after this long, whatever happens."""
    console_idle_minutes: int = 30
    """A console login ends after this long without a request."""

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
        shown.update(_channel_states(self))
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


def _days(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number of days (1 or more), got {raw!r}")
    return int(raw)


def _topic_days(environ: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
    """PUENTE_RETENTION_TOPIC_DAYS, e.g. ``gbv:30,child_protection:30``."""
    from nlu.types import TOPICS

    raw = environ.get("PUENTE_RETENTION_TOPIC_DAYS", "").strip()
    pairs: list[tuple[str, int]] = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        topic, _, days = part.partition(":")
        if topic not in TOPICS or not days.isdigit() or int(days) < 1:
            raise SettingsError(
                f"PUENTE_RETENTION_TOPIC_DAYS entries look like 'gbv:30' with a topic id of intents.yaml, got {part!r}"
            )
        pairs.append((topic, int(days)))
    return tuple(pairs)


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
        retention_days=_days(environ, "PUENTE_RETENTION_DAYS", 90),
        retention_topic_days=_topic_days(environ),
        inactive_days=_days(environ, "PUENTE_INACTIVE_DAYS", 365),
        public_url=_url(environ, "PUENTE_PUBLIC_URL"),
        twilio_account_sid=_twilio_account(environ),
        twilio_auth_token=_secret(environ, "TWILIO_AUTH_TOKEN"),
        twilio_whatsapp_from=_prefixed(environ, "TWILIO_WHATSAPP_FROM", "whatsapp:+"),
        twilio_sms_from=_optional(environ, "TWILIO_SMS_FROM"),
        twilio_template_sid=_prefixed(environ, "TWILIO_TEMPLATE_SID", "HX"),
        twilio_api_base_url=_url(environ, "TWILIO_API_BASE_URL"),
        telegram_bot_token=_secret(environ, "TELEGRAM_BOT_TOKEN"),
        telegram_webhook_secret=_telegram_secret(environ),
        telegram_api_base_url=_url(environ, "TELEGRAM_API_BASE_URL", suffix="/bot"),
        outbox_rate=_rate(environ, "PUENTE_OUTBOX_RATE"),
        desk_hours=_desk_hours(environ),
        handoff_routing=_handoff_routing(environ),
        console_cookie_secure=_flag(environ, "PUENTE_CONSOLE_COOKIE_SECURE", default=True),
        console_session_minutes=_minutes(environ, "PUENTE_CONSOLE_SESSION_MINUTES", 480),
        console_idle_minutes=_minutes(environ, "PUENTE_CONSOLE_IDLE_MINUTES", 30),
    )


def _desk_hours(environ: Mapping[str, str]) -> str | None:
    from bot.handoff.schedule import ScheduleError, parse_week

    value = _optional(environ, "PUENTE_DESK_HOURS")
    try:
        if value is not None:
            parse_week(value)
    except ScheduleError as exc:
        raise SettingsError(f"PUENTE_DESK_HOURS: {exc}") from None
    return value


def _handoff_routing(environ: Mapping[str, str]) -> str | None:
    from bot.handoff.routing import RoutingError, parse_rules

    value = _optional(environ, "PUENTE_HANDOFF_ROUTING")
    try:
        if value is not None:
            parse_rules(value)
    except RoutingError as exc:
        raise SettingsError(f"PUENTE_HANDOFF_ROUTING: {exc}") from None
    return value


def _flag(environ: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _minutes(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= 7 * 24 * 60:
        raise SettingsError(f"{name} must be whole minutes from 1 to 10080, got {raw!r}")
    return int(raw)


# -- channels (bot/channels) ------------------------------------------------------------------

_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_SCHEMES = ("https://", "http://")


def _url(environ: Mapping[str, str], name: str, *, suffix: str = "") -> str | None:
    value = _optional(environ, name)
    if value is not None and not (value.startswith(_SCHEMES) and value.endswith(suffix)):
        ending = f" and end with {suffix!r}" if suffix else ""
        raise SettingsError(f"{name} must start with https:// (http:// for local tests){ending}")
    return value


def _rate(environ: Mapping[str, str], name: str) -> float | None:
    raw = _optional(environ, name)
    if raw is None:
        return None
    try:
        rate = float(raw)
    except ValueError:
        rate = 0.0
    if not 0 < rate <= 10_000:
        raise SettingsError(f"{name} must be a number of messages per second above 0 (at most 10000), got {raw!r}")
    return rate


def _prefixed(environ: Mapping[str, str], name: str, prefix: str) -> str | None:
    value = _optional(environ, name)
    if value is not None and not value.startswith(prefix):
        raise SettingsError(f"{name} must start with {prefix!r}")
    return value


def _twilio_account(environ: Mapping[str, str]) -> str | None:
    """TWILIO_ACCOUNT_SID, checked together with the variables it cannot work without."""
    sid = _prefixed(environ, "TWILIO_ACCOUNT_SID", "AC")
    token = _optional(environ, "TWILIO_AUTH_TOKEN")
    if bool(sid) != bool(token):
        raise SettingsError("set both TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or neither")
    if sid and not _optional(environ, "PUENTE_PUBLIC_URL"):
        raise SettingsError(
            "TWILIO_ACCOUNT_SID is set: PUENTE_PUBLIC_URL is needed too (Twilio signs that URL)"
        )
    return sid


def _telegram_secret(environ: Mapping[str, str]) -> Secret | None:
    secret = _secret(environ, "TELEGRAM_WEBHOOK_SECRET")
    if secret is not None and not _TELEGRAM_SECRET.match(secret.reveal()):
        raise SettingsError(
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters from A-Z, a-z, 0-9, _ and -"
        )
    return secret


def _channel_states(settings: Settings) -> dict[str, str]:
    def twilio(sender: str | None, variable: str) -> str:
        if not settings.twilio_enabled:
            return "off (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN unset)"
        return "on" if sender else f"off ({variable} unset)"

    if not settings.telegram_enabled:
        telegram = "off (TELEGRAM_BOT_TOKEN unset)"
    elif settings.telegram_webhook_secret is None:
        telegram = "on, polling only (TELEGRAM_WEBHOOK_SECRET unset)"
    else:
        telegram = "on, webhook (or polling)"
    template = settings.twilio_template_sid or "(unset: late WhatsApp replies fail visibly)"
    return {
        "channel.whatsapp": twilio(settings.twilio_whatsapp_from, "TWILIO_WHATSAPP_FROM"),
        "channel.sms": twilio(settings.twilio_sms_from, "TWILIO_SMS_FROM"),
        "channel.telegram": telegram,
        "channel.whatsapp_template": template,
    }
