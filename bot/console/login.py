"""Signing in and out: password, then the TOTP code (or enrolment when it is required first).

GET/POST /login       username + password (a pre-login CSRF token in its own cookie)
GET/POST /login/code  the authenticator code, for accounts with TOTP
GET/POST /enrol       set up TOTP: the secret and otpauth URI, confirmed with a first code
POST     /logout
"""

from __future__ import annotations

import hmac
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.console.accounts import AccountError, Accounts
from bot.console.sessions import SessionStore, Visit
from bot.console.web import COOKIE, LOGIN_COOKIE, PREFIX, Gate, Pages, form_text, redirect

LOGIN_FORM_SECONDS = 1800
WRONG = "Wrong username or password, or the account is locked for a while."


class LoginPages:
    """The handlers of the sign-in pages."""

    def __init__(self, accounts: Accounts, sessions: SessionStore, gate: Gate, pages: Pages, lifetime: int) -> None:
        self._accounts = accounts
        self._sessions = sessions
        self._gate = gate
        self._pages = pages
        self._lifetime = lifetime

    async def login_form(self, request: Request, error: str = "", status: int = 200) -> Response:
        token = secrets.token_urlsafe(24)
        response = self._pages.html("login.html", status, csrf=token, error=error)
        response.set_cookie(
            LOGIN_COOKIE,
            token,
            max_age=LOGIN_FORM_SECONDS,
            path=f"{PREFIX}/login",
            secure=self._gate.cookie_secure,
            httponly=True,
            samesite="strict",
        )
        return response

    async def login(self, request: Request) -> Response:
        expected = request.cookies.get(LOGIN_COOKIE, "")
        given = await form_text(request, "csrf")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            return await self.login_form(request, "The form expired. Please try again.", 403)
        username = (await form_text(request, "username")).strip().lower()[:64]
        password = (await form_text(request, "password"))[:256]
        check = await run_in_threadpool(self._accounts.check_password, username, password)
        if check is None:
            return await self.login_form(request, WRONG, 401)
        token = await run_in_threadpool(self._sessions.create, check.caseworker_id, check.next_stage)
        target = {"ok": f"{PREFIX}/", "totp": f"{PREFIX}/login/code", "enrol": f"{PREFIX}/enrol"}
        response = redirect(target[check.next_stage])
        self._gate.set_session(response, token, self._lifetime)
        response.delete_cookie(LOGIN_COOKIE, path=f"{PREFIX}/login")
        return response

    async def code_form(self, request: Request) -> Response:
        visit = await self._visit(request)
        if visit is None or visit.stage != "totp":
            return redirect(f"{PREFIX}/login" if visit is None else f"{PREFIX}/")
        return self._pages.html("code.html", csrf=visit.csrf, error="")

    async def code(self, request: Request) -> Response:
        visit = await self._visit(request)
        if visit is None or visit.stage != "totp" or not await self._csrf_ok(request, visit):
            return self._pages.error(401, "Your sign-in expired. Start again.", back=f"{PREFIX}/login")
        code = await form_text(request, "code")
        if not await run_in_threadpool(self._accounts.check_code, visit.caseworker_id, code):
            return self._pages.html("code.html", 401, csrf=visit.csrf, error="That code is not right.")
        return await self._promote(request, f"{PREFIX}/")

    async def enrol_form(self, request: Request) -> Response:
        visit = await self._visit(request)
        if visit is None or visit.stage == "totp":
            return redirect(f"{PREFIX}/login")
        pending = await run_in_threadpool(self._accounts.pending_secret, visit.caseworker_id)
        if pending is None:
            try:
                pending = await run_in_threadpool(self._accounts.start_enrolment, visit.caseworker_id)
            except AccountError:
                return self._pages.html("enrol.html", visit=_full(visit), done=True)
        secret, uri = pending
        return self._pages.html(
            "enrol.html",
            visit=_full(visit),
            csrf=visit.csrf,
            secret=_grouped(secret),
            uri=uri,
            required=visit.stage == "enrol",
            error="That code is not right." if request.query_params.get("wrong") else "",
            done=False,
        )

    async def enrol(self, request: Request) -> Response:
        visit = await self._visit(request)
        if visit is None or visit.stage == "totp" or not await self._csrf_ok(request, visit):
            return self._pages.error(401, "Your sign-in expired. Start again.", back=f"{PREFIX}/login")
        code = await form_text(request, "code")
        if not await run_in_threadpool(self._accounts.confirm_enrolment, visit.caseworker_id, code):
            return redirect(f"{PREFIX}/enrol?wrong=1")
        if visit.stage == "enrol":
            return await self._promote(request, f"{PREFIX}/")
        return redirect(f"{PREFIX}/")

    async def logout(self, request: Request) -> Response:
        visit = await self._visit(request)
        if visit is not None and await self._csrf_ok(request, visit):
            await run_in_threadpool(self._sessions.end, request.cookies.get(COOKIE))
            if visit.stage == "ok":
                await run_in_threadpool(self._accounts.record_logout, visit.actor)
        response = redirect(f"{PREFIX}/login")
        self._gate.clear_session(response)
        return response

    async def _promote(self, request: Request, target: str) -> Response:
        try:
            token = await run_in_threadpool(self._sessions.promote, request.cookies.get(COOKIE, ""), "ok")
        except LookupError:
            return redirect(f"{PREFIX}/login")
        response = redirect(target)
        self._gate.set_session(response, token, self._lifetime)
        return response

    async def _visit(self, request: Request) -> Visit | None:
        return await run_in_threadpool(self._sessions.find, request.cookies.get(COOKIE))

    async def _csrf_ok(self, request: Request, visit: Visit) -> bool:
        return hmac.compare_digest((await form_text(request, "csrf")).encode(), visit.csrf.encode())


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _full(visit: Visit) -> Visit | None:
    """The visit for the page header only when fully signed in (no menu during enrolment)."""
    return visit if visit.stage == "ok" else None
