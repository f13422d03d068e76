"""The console's routes under /console, built from its parts (see ``build_console``).

    GET  /                         the queue           GET  /cases/{id}             a case
    GET  /queue/rows               queue refresh       GET  /cases/{id}/transcript  transcript refresh
    POST /cases/{id}/claim|release|transfer|reply|note|close
    GET  /supervisor  GET /supervisor/unanswered.csv  GET /audit       (supervisors and admins)
    GET|POST /login  /login/code  /enrol   POST /logout               (see bot.console.login)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bot.console.accounts import Accounts
from bot.console.canned import CannedReplies
from bot.console.casework import CaseworkPages
from bot.console.directory import Directory
from bot.console.gaps import Gaps
from bot.console.login import LoginPages
from bot.console.oversight import OversightPages
from bot.console.sessions import SessionStore
from bot.console.web import PREFIX, Gate, Pages
from bot.engine.ports import Texts
from bot.handoff.casefile import CaseFiles
from bot.handoff.queue import HandoffQueue
from bot.storage.protection import Protector

STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class ConsoleConfig:
    """The console's own settings."""

    canned_replies: Path
    """The canned replies file (routes_content/canned_replies.yaml)."""
    cookie_secure: bool = True
    """Send the session cookie only over https (off for local http)."""
    session_minutes: int = 480
    idle_minutes: int = 30
    default_lang: str = "es"


def build_console(
    db: Engine,
    protector: Protector,
    texts: Texts,
    directory: Directory,
    config: ConsoleConfig,
    hasher: PasswordHasher | None = None,
) -> Mount:
    """The /console mount: every page and action behind the Gate."""
    pages = Pages()
    sessions = SessionStore(
        db, timedelta(minutes=config.session_minutes), timedelta(minutes=config.idle_minutes)
    )
    gate = Gate(sessions, pages, config.cookie_secure)
    accounts = Accounts(db, protector, hasher)
    login = LoginPages(accounts, sessions, gate, pages, config.session_minutes * 60)
    cases = CaseworkPages(
        HandoffQueue(db, protector, texts, config.default_lang),
        CaseFiles(db, protector),
        CannedReplies(config.canned_replies),
        directory,
        pages,
    )
    oversight = OversightPages(db, Gaps(db, protector), pages)
    return Mount(PREFIX, routes=_routes(gate, login, cases, oversight))


def _routes(
    gate: Gate, login: LoginPages, cases: CaseworkPages, oversight: OversightPages
) -> list[BaseRoute]:
    case = "/cases/{case_id:int}"
    return [
        Route("/login", login.login_form, methods=["GET"]),
        Route("/login", login.login, methods=["POST"]),
        Route("/login/code", login.code_form, methods=["GET"]),
        Route("/login/code", login.code, methods=["POST"]),
        Route("/enrol", login.enrol_form, methods=["GET"]),
        Route("/enrol", login.enrol, methods=["POST"]),
        Route("/logout", login.logout, methods=["POST"]),
        Route("/", gate(cases.queue_page), methods=["GET"]),
        Route("/queue/rows", gate(cases.queue_rows, background=True), methods=["GET"]),
        Route(case, gate(cases.case_page), methods=["GET"]),
        Route(f"{case}/transcript", gate(cases.transcript, background=True), methods=["GET"]),
        Route(f"{case}/claim", gate(cases.claim), methods=["POST"]),
        Route(f"{case}/release", gate(cases.release), methods=["POST"]),
        Route(f"{case}/transfer", gate(cases.transfer), methods=["POST"]),
        Route(f"{case}/reply", gate(cases.reply), methods=["POST"]),
        Route(f"{case}/note", gate(cases.note), methods=["POST"]),
        Route(f"{case}/close", gate(cases.close), methods=["POST"]),
        Route("/supervisor", gate(oversight.supervisor, supervisor=True), methods=["GET"]),
        Route(
            "/supervisor/unanswered.csv",
            gate(oversight.unanswered_csv, supervisor=True),
            methods=["GET"],
        ),
        Route("/audit", gate(oversight.audit_log, supervisor=True), methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="console-static"),
    ]
