"""The console's web plumbing: templates, cookies, and the Gate every page and action passes.

The Gate checks on the server, for every request: a live session (else the login page, or 401
for the page's background refreshes and for actions), the session's stage (code or enrolment
still due), the role a page needs, and the CSRF token of every POST. Queue errors become pages:
CaseNotFound 404, NotAllowed 403, CaseConflict 409, InvalidInput 422.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from bot.console.sessions import SessionStore, Visit
from bot.content.hours import bogota_zone
from bot.handoff.clock import as_utc, minutes_between
from bot.handoff.errors import CaseConflict, CaseError, CaseNotFound, InvalidInput, NotAllowed

PREFIX = "/console"
COOKIE = "puente_console"
LOGIN_COOKIE = "puente_console_login"
TEMPLATES = Path(__file__).resolve().parent / "templates"
REASONS = {
    "asked": "asked for a person",
    "misunderstood": "the bot did not understand",
    "urgent": "urgent message",
    "flow": "from a guided flow",
}
_STATUS = {CaseNotFound: 404, NotAllowed: 403, CaseConflict: 409, InvalidInput: 422}

Handler = Callable[[Request, Visit], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


class Pages:
    """Renders the Jinja2 templates (autoescaped) with the console's filters."""

    def __init__(self) -> None:
        self._env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
        self._env.filters["clock"] = _clock
        self._env.filters["iso"] = lambda moment: as_utc(moment).isoformat() if moment else ""
        self._env.filters["minutes"] = _minutes
        self._env.filters["waited"] = lambda moment: _minutes(minutes_between(moment, datetime.now(UTC)))
        self._env.filters["reason"] = lambda reason: REASONS.get(reason, reason)
        self._env.globals["prefix"] = PREFIX

    def html(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(self._env.get_template(name).render(**context), status_code=status)

    def error(self, status: int, message: str, visit: Visit | None = None, back: str = "") -> Response:
        return self.html("error.html", status, message=message, visit=visit, back=back)


class Gate:
    """Wraps handlers with the session, stage, role and CSRF checks."""

    def __init__(self, sessions: SessionStore, pages: Pages, cookie_secure: bool) -> None:
        self._sessions = sessions
        self._pages = pages
        self.cookie_secure = cookie_secure

    def __call__(self, handler: Handler, *, supervisor: bool = False, background: bool = False) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            visit = await run_in_threadpool(self._sessions.find, request.cookies.get(COOKIE))
            refused = self._refusal(request, visit, background)
            if refused is not None:
                return refused
            assert visit is not None
            if supervisor and not visit.actor.is_supervisor:
                return self._pages.error(403, "This page is for supervisors.", visit)
            if request.method == "POST" and not await _csrf_ok(request, visit.csrf):
                return self._pages.error(403, "The form expired. Reload the page and try again.", visit)
            try:
                return await handler(request, visit)
            except CaseError as exc:
                back = f"{PREFIX}/cases/{request.path_params['case_id']}" if "case_id" in request.path_params else ""
                status = next(code for kind, code in _STATUS.items() if isinstance(exc, kind))
                return self._pages.error(status, str(exc), visit, back if status != 404 else "")

        return endpoint

    def _refusal(self, request: Request, visit: Visit | None, background: bool) -> Response | None:
        quiet = background or request.method != "GET"
        if visit is None:
            return PlainTextResponse("sign in first", 401) if quiet else redirect(f"{PREFIX}/login")
        if visit.stage == "ok":
            return None
        if quiet:
            return PlainTextResponse("finish signing in first", 401)
        return redirect(f"{PREFIX}/login/code" if visit.stage == "totp" else f"{PREFIX}/enrol")

    def set_session(self, response: Response, token: str, max_age: int) -> None:
        response.set_cookie(
            COOKIE,
            token,
            max_age=max_age,
            path=PREFIX,
            secure=self.cookie_secure,
            httponly=True,
            samesite="strict",
        )

    def clear_session(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=PREFIX, secure=self.cookie_secure, httponly=True, samesite="strict")


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def form_text(request: Request, name: str) -> str:
    value = (await request.form()).get(name)
    return value if isinstance(value, str) else ""


async def _csrf_ok(request: Request, expected: str) -> bool:
    return hmac.compare_digest((await form_text(request, "csrf")).encode(), expected.encode())


def _clock(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return as_utc(moment).astimezone(bogota_zone()).strftime("%d %b %H:%M")


def _minutes(value: float | None) -> str:
    if value is None:
        return "-"
    if value < 1:
        return "<1 min"
    if value < 90:
        return f"{value:.0f} min"
    if value < 48 * 60:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} d"
