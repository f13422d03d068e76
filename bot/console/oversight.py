"""The supervisor pages: queue statistics, the questions the bot could not answer, the audit log.

Supervisors see their teams' numbers and audit entries (admins see all). The unanswered
questions belong to no team; they are shown redacted to supervisors and admins, and every CSV
export is itself audited.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.console.gaps import Gaps, group_questions, questions_csv
from bot.console.sessions import Visit
from bot.console.web import Pages
from bot.handoff import audit
from bot.handoff.stats import QueueStats, queue_stats

PERIODS = (7, 30, 90)
AUDIT_PAGE = 200


class OversightPages:
    """Handlers of /supervisor, /supervisor/unanswered.csv and /audit."""

    def __init__(self, db: Engine, gaps: Gaps, pages: Pages) -> None:
        self._sessions = sessionmaker(db)
        self._gaps = gaps
        self._pages = pages

    async def supervisor(self, request: Request, visit: Visit) -> Response:
        days = _days(request)
        now = datetime.now(UTC)
        since = now - timedelta(days=days)
        stats = await run_in_threadpool(self._stats, visit, since, now)
        questions = await run_in_threadpool(self._gaps.questions, since)
        return self._pages.html(
            "supervisor.html",
            visit=visit,
            csrf=visit.csrf,
            stats=stats,
            days=days,
            periods=PERIODS,
            groups=group_questions(questions),
            question_count=len(questions),
        )

    async def unanswered_csv(self, request: Request, visit: Visit) -> Response:
        days = _days(request)
        since = datetime.now(UTC) - timedelta(days=days)
        questions = await run_in_threadpool(self._gaps.questions, since)
        await run_in_threadpool(self._record_export, visit, days, len(questions))
        return Response(
            questions_csv(questions),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="unanswered-{days}d.csv"'},
        )

    async def audit_log(self, request: Request, visit: Visit) -> Response:
        case = request.query_params.get("case", "").strip()
        before = request.query_params.get("before", "").strip()
        case_id = int(case) if case.isdigit() else None
        before_id = int(before) if before.isdigit() else None
        lines = await run_in_threadpool(self._audit, visit, case_id, before_id)
        return self._pages.html(
            "audit.html",
            visit=visit,
            csrf=visit.csrf,
            lines=lines,
            case=case_id,
            older=lines[-1].id if len(lines) == AUDIT_PAGE else None,
        )

    def _stats(self, visit: Visit, since: datetime, now: datetime) -> QueueStats:
        with self._sessions() as session:
            return queue_stats(session, visit.actor, since, now)

    def _audit(self, visit: Visit, case_id: int | None, before: int | None) -> list[audit.AuditLine]:
        with self._sessions() as session:
            return audit.read_log(session, visit.actor, handoff_id=case_id, before=before, limit=AUDIT_PAGE)

    def _record_export(self, visit: Visit, days: int, count: int) -> None:
        with self._sessions.begin() as session:
            audit.record(session, visit.actor, "export", detail=f"unanswered questions, {days} days, {count} rows")


def _days(request: Request) -> int:
    raw = request.query_params.get("days", "30")
    return int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
