"""Accounts: creation rules, lock-out, TOTP codes used once, enrolment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.console.accounts import MAX_FAILURES, AccountError
from bot.console.totp import accepted_step, code_at, new_secret
from bot.storage.models import Caseworker
from tests.handoff.world import PASSWORD, World


@pytest.fixture
def staff(world: World) -> World:
    world.team("general")
    world.worker("ana")
    return world


@pytest.mark.parametrize(
    ("username", "password", "role", "teams", "why"),
    [
        ("Ana Maria", PASSWORD, "caseworker", ["general"], "usernames"),
        ("eva", "short", "caseworker", ["general"], "passwords"),
        ("eva", PASSWORD, "boss", ["general"], "role"),
        ("eva", PASSWORD, "caseworker", ["nope"], "no such team"),
        ("ana", PASSWORD, "caseworker", ["general"], "taken"),
    ],
)
def test_bad_accounts_are_refused(
    staff: World, username: str, password: str, role: str, teams: list[str], why: str
) -> None:
    with pytest.raises(AccountError, match=why):
        staff.accounts.add_caseworker(username, password, role, teams)


def test_lock_out_after_repeated_failures_then_unlock(staff: World) -> None:
    accounts = staff.accounts
    for _ in range(MAX_FAILURES):
        assert accounts.check_password("ana", "wrong wrong wrong") is None
    assert accounts.check_password("ana", PASSWORD) is None  # locked, even with the right password
    with staff.db.begin() as conn:  # the lock runs out
        conn.execute(update(Caseworker).values(locked_until=datetime.now(UTC) - timedelta(seconds=1)))
    check = accounts.check_password("ana", PASSWORD)
    assert check is not None and check.next_stage == "ok"


def test_totp_codes_are_accepted_once_and_only_near_now() -> None:
    secret = new_secret()
    now = datetime.now(UTC)
    step = accepted_step(secret, code_at(secret, now), now, None)
    assert step is not None
    assert accepted_step(secret, code_at(secret, now), now, step) is None  # replay
    assert accepted_step(secret, code_at(secret, now - timedelta(minutes=5)), now, None) is None
    assert accepted_step(secret, "12345", now, None) is None


def test_enrolment_then_login_needs_the_code(staff: World) -> None:
    accounts, ana = staff.accounts, staff.actors["ana"]
    secret, uri = accounts.start_enrolment(ana.id)
    assert uri.startswith("otpauth://totp/Puente:ana?") and secret in uri
    assert accounts.pending_secret(ana.id) == (secret, uri)
    assert not accounts.confirm_enrolment(ana.id, "000000")
    assert accounts.confirm_enrolment(ana.id, code_at(secret, datetime.now(UTC) - timedelta(seconds=30)))
    with pytest.raises(AccountError):
        accounts.start_enrolment(ana.id)
    check = accounts.check_password("ana", PASSWORD)
    assert check is not None and check.next_stage == "totp"
    assert accounts.check_code(ana.id, code_at(secret, datetime.now(UTC)))
    accounts.reset_totp("ana")
    check = accounts.check_password("ana", PASSWORD)
    assert check is not None and check.next_stage == "ok"


def test_totp_secret_is_stored_encrypted(staff: World) -> None:
    from sqlalchemy import select

    secret, _ = staff.accounts.start_enrolment(staff.actors["ana"].id)
    with staff.db.connect() as conn:
        stored = conn.scalar(select(Caseworker.totp_secret_enc))
    assert stored is not None and secret.encode() not in stored


def test_supervisors_and_admins_need_totp(staff: World) -> None:
    staff.worker("sofia", role="supervisor")
    check = staff.accounts.check_password("sofia", PASSWORD)
    assert check is not None and check.next_stage == "enrol"
    listed = {a.username: a for a in staff.accounts.list_accounts()}
    assert listed["sofia"].totp_required and not listed["ana"].totp_required
