"""Console accounts: teams, caseworkers, argon2 passwords, lock-out, and the TOTP second factor.

Lock-out: after MAX_FAILURES wrong passwords or codes in a row an account refuses every login
for LOCKOUT, even with the right password. An unknown username costs the same argon2 work as
a known one, and both get the same answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.console import totp
from bot.handoff import audit
from bot.handoff.actor import ROLES, Actor
from bot.handoff.clock import as_utc
from bot.handoff.routing import is_team_name
from bot.storage.models import Caseworker, CaseworkerTeam, ConsoleSession, Team
from bot.storage.protection import Protector

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 12
MAX_PASSWORD = 256
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
TOTP_ROLES = frozenset({"supervisor", "admin"})


class AccountError(ValueError):
    """An account or team cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class Account:
    """A caseworker as listed by ``puente caseworker list``."""

    id: int
    username: str
    role: str
    teams: tuple[str, ...]
    totp_enabled: bool
    totp_required: bool
    locked: bool
    active: bool


@dataclass(frozen=True)
class PasswordCheck:
    """A right password: who, and which second step the login needs (``totp``, ``enrol``, ``ok``)."""

    caseworker_id: int
    next_stage: str


class Accounts:
    """Creates accounts and checks credentials (each method is one transaction)."""

    def __init__(self, db: Engine, protector: Protector, hasher: PasswordHasher | None = None) -> None:
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._protector = protector
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    # -- administration (CLI) ---------------------------------------------------------------

    def add_team(self, name: str, *, require_totp: bool = False) -> None:
        if not is_team_name(name):
            raise AccountError("team names use lowercase letters, digits and _ (at most 40)")
        with self._sessions.begin() as session:
            if session.scalar(select(Team.id).where(Team.name == name)) is not None:
                raise AccountError(f"team {name!r} already exists")
            session.add(Team(name=name, require_totp=require_totp, created_at=datetime.now(UTC)))

    def add_caseworker(self, username: str, password: str, role: str, teams: Sequence[str]) -> int:
        """Create an account; the teams must exist. Returns its id."""
        _check_new_account(username, password, role)
        password_hash = self._hasher.hash(password)
        try:
            with self._sessions.begin() as session:
                team_ids = _team_ids(session, teams)
                account = Caseworker(
                    username=username,
                    password_hash=password_hash,
                    role=role,
                    totp_enabled=False,
                    failed_logins=0,
                    active=True,
                    created_at=datetime.now(UTC),
                )
                session.add(account)
                session.flush()
                session.add_all(CaseworkerTeam(caseworker_id=account.id, team_id=t) for t in team_ids)
                return account.id
        except IntegrityError:
            raise AccountError(f"username {username!r} is taken") from None

    def unlock(self, username: str) -> None:
        """Lift a lock-out now."""
        with self._sessions.begin() as session:
            account = _by_name(session, username)
            account.locked_until, account.failed_logins = None, 0

    def reset_totp(self, username: str) -> None:
        """Forget the account's TOTP secret (a lost phone); the next login sets up a new one."""
        with self._sessions.begin() as session:
            account = _by_name(session, username)
            account.totp_secret_enc, account.totp_enabled, account.totp_last_step = None, False, None
            session.execute(delete(ConsoleSession).where(ConsoleSession.caseworker_id == account.id))

    def list_accounts(self) -> list[Account]:
        now = datetime.now(UTC)
        with self._sessions() as session:
            accounts = session.scalars(select(Caseworker).order_by(Caseworker.username)).all()
            return [self._account(session, a, now) for a in accounts]

    # -- login -----------------------------------------------------------------------------------

    def check_password(self, username: str, password: str) -> PasswordCheck | None:
        """The account behind right credentials, unless locked; failures count toward lock-out."""
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            account = session.scalars(
                select(Caseworker).where(Caseworker.username == username).with_for_update()
            ).first()
            if account is None or not account.active:
                self._verify(self._dummy(), password)
                audit.record(session, None, "login_failed", actor_name="(unknown account)")
                return None
            if _is_locked(account, now):
                self._verify(self._dummy(), password)
                audit.record(session, None, "login_failed", actor_name=account.username, detail="locked")
                return None
            if not self._verify(account.password_hash, password):
                self._count_failure(session, account, now, "password")
                return None
            if self._hasher.check_needs_rehash(account.password_hash):
                account.password_hash = self._hasher.hash(password)
            stage = "totp" if account.totp_enabled else "enrol" if self._needs_totp(session, account) else "ok"
            if stage == "ok":
                account.failed_logins = 0
                audit.record(session, _actor(session, account), "login")
            return PasswordCheck(account.id, stage)

    def check_code(self, caseworker_id: int, code: str) -> bool:
        """A TOTP code of an enrolled account (each code once); failures count toward lock-out."""
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            account = _locked_account(session, caseworker_id)
            if account is None or account.totp_secret_enc is None or not account.totp_enabled:
                return False
            if _is_locked(account, now):
                audit.record(session, None, "login_failed", actor_name=account.username, detail="locked")
                return False
            secret = self._protector.open(account.totp_secret_enc)
            step = totp.accepted_step(secret, code, now, account.totp_last_step)
            if step is None:
                self._count_failure(session, account, now, "code")
                return False
            account.totp_last_step, account.failed_logins = step, 0
            audit.record(session, _actor(session, account), "login", detail="with code")
            return True

    def start_enrolment(self, caseworker_id: int) -> tuple[str, str]:
        """A new secret (stored sealed, not active until confirmed): (secret, otpauth URI)."""
        secret = totp.new_secret()
        with self._sessions.begin() as session:
            account = _locked_account(session, caseworker_id)
            if account is None:
                raise AccountError("no such account")
            if account.totp_enabled:
                raise AccountError("two-factor sign-in is already set up")
            account.totp_secret_enc = self._protector.seal(secret)
            return secret, totp.provisioning_uri(secret, account.username)

    def pending_secret(self, caseworker_id: int) -> tuple[str, str] | None:
        """The secret being enrolled, if any: (secret, otpauth URI)."""
        with self._sessions() as session:
            account = session.get(Caseworker, caseworker_id)
            if account is None or account.totp_enabled or account.totp_secret_enc is None:
                return None
            secret = self._protector.open(account.totp_secret_enc)
            return secret, totp.provisioning_uri(secret, account.username)

    def confirm_enrolment(self, caseworker_id: int, code: str) -> bool:
        """Turn TOTP on once the app shows a right code."""
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            account = _locked_account(session, caseworker_id)
            if account is None or account.totp_enabled or account.totp_secret_enc is None:
                return False
            secret = self._protector.open(account.totp_secret_enc)
            step = totp.accepted_step(secret, code, now, account.totp_last_step)
            if step is None or _is_locked(account, now):
                self._count_failure(session, account, now, "enrolment code")
                return False
            account.totp_enabled, account.totp_last_step, account.failed_logins = True, step, 0
            audit.record(session, _actor(session, account), "totp_enrol")
            return True

    def record_logout(self, actor: Actor) -> None:
        with self._sessions.begin() as session:
            audit.record(session, actor, "logout")

    def actor(self, caseworker_id: int) -> Actor | None:
        with self._sessions() as session:
            account = session.get(Caseworker, caseworker_id)
            return _actor(session, account) if account and account.active else None

    # -- helpers ---------------------------------------------------------------------------------

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return bool(self._hasher.verify(password_hash, password))
        except (VerificationError, InvalidHashError):
            return False

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("not a real password, only for equal timing")
        return self._dummy_hash

    def _count_failure(self, session: Session, account: Caseworker, now: datetime, what: str) -> None:
        account.failed_logins += 1
        detail = f"wrong {what}"
        if account.failed_logins >= MAX_FAILURES:
            account.locked_until, account.failed_logins = now + LOCKOUT, 0
            detail += f"; locked for {int(LOCKOUT.total_seconds() // 60)} minutes"
        audit.record(session, None, "login_failed", actor_name=account.username, detail=detail)

    def _needs_totp(self, session: Session, account: Caseworker) -> bool:
        return account.role in TOTP_ROLES or any(_team_flags(session, account.id).values())

    def _account(self, session: Session, account: Caseworker, now: datetime) -> Account:
        flags = _team_flags(session, account.id)
        return Account(
            id=account.id,
            username=account.username,
            role=account.role,
            teams=tuple(sorted(flags)),
            totp_enabled=account.totp_enabled,
            totp_required=account.role in TOTP_ROLES or any(flags.values()),
            locked=_is_locked(account, now),
            active=account.active,
        )


def _check_new_account(username: str, password: str, role: str) -> None:
    if not _USERNAME.match(username):
        raise AccountError("usernames are 2-64 lowercase letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountError(f"passwords are {MIN_PASSWORD} to {MAX_PASSWORD} characters long")


def _team_ids(session: Session, names: Sequence[str]) -> list[int]:
    rows = session.execute(select(Team.name, Team.id).where(Team.name.in_(names)))
    found = {name: team_id for name, team_id in rows}
    missing = sorted(set(names) - set(found))
    if missing:
        raise AccountError(f"no such team: {', '.join(missing)} (create it with `puente team add`)")
    return sorted(set(found.values()))


def _team_flags(session: Session, caseworker_id: int) -> dict[str, bool]:
    """The account's teams and whether each requires TOTP."""
    rows = session.execute(
        select(Team.name, Team.require_totp)
        .join(CaseworkerTeam, CaseworkerTeam.team_id == Team.id)
        .where(CaseworkerTeam.caseworker_id == caseworker_id)
    )
    return {name: bool(required) for name, required in rows}


def _actor(session: Session, account: Caseworker) -> Actor:
    teams = frozenset(_team_flags(session, account.id))
    return Actor(account.id, account.username, account.role, teams)


def _by_name(session: Session, username: str) -> Caseworker:
    account = session.scalars(select(Caseworker).where(Caseworker.username == username)).first()
    if account is None:
        raise AccountError(f"no account {username!r}")
    return account


def _locked_account(session: Session, caseworker_id: int) -> Caseworker | None:
    return session.scalars(
        select(Caseworker).where(Caseworker.id == caseworker_id, Caseworker.active.is_(True)).with_for_update()
    ).first()


def _is_locked(account: Caseworker, now: datetime) -> bool:
    return account.locked_until is not None and as_utc(account.locked_until) > now
