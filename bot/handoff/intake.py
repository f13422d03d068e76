"""Intake: what each stored turn does to the contact's case, inside the inbox's transaction.

    handoff requested, no active case  -> open one, routed to a team
    handoff requested, active case     -> no second case; an urgent message raises its priority
    handoff cancelled (MENU / CANCEL)  -> the active case is cancelled
    message forwarded to the caseworker -> the case shows new activity (reopened if it vanished)

The inbox holds the contact row lock, so two messages of one person never race here; the
database also refuses a second active case per contact (``uq_handoffs_active_contact``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.engine.engine import HandoffRequest, Turn
from bot.handoff import audit
from bot.handoff.routing import Router
from bot.storage.models import Contact, Handoff, Team

URGENT, NORMAL = 0, 1
ACTIVE_STATUSES = ("open", "claimed")


class CaseIntake:
    """Opens, escalates, cancels and touches cases as turns are stored."""

    def __init__(self, router: Router | None = None) -> None:
        self._router = router or Router()

    def record_turn(self, session: Session, contact: Contact, turn: Turn) -> None:
        """Apply one turn to the contact's case (call with the contact row locked)."""
        if turn.handoff is None and not turn.handoff_cancelled and not turn.forwarded:
            return  # most turns: nothing to do, and no query
        now = datetime.now(UTC)
        active = active_case(session, contact.id)
        if turn.handoff_cancelled and active is not None:
            self._cancel(session, active, now)
            active = None
        request = turn.handoff
        if request is None and turn.forwarded and active is None:
            request = HandoffRequest(reason="asked", topic=turn.state.topic, urgent=False)
        if request is not None and active is None:
            self._open(session, contact, request, turn, now)
        elif request is not None and active is not None:
            self._escalate(session, active, request, contact.city, now)
        elif turn.forwarded and active is not None:
            active.last_activity_at = now

    def _open(self, session: Session, contact: Contact, request: HandoffRequest, turn: Turn, now: datetime) -> None:
        city = turn.state.city
        case = Handoff(
            contact_id=contact.id,
            reason=request.reason,
            topic=request.topic,
            lang=turn.state.lang,
            city=city,
            priority=URGENT if request.urgent else NORMAL,
            status="open",
            created_at=now,
            team=self._route(session, request.topic, city),
            last_activity_at=now,
        )
        session.add(case)
        session.flush()
        detail = f"reason={request.reason} priority={case.priority}"
        audit.record(session, None, "open", handoff_id=case.id, team=case.team, detail=detail)

    def _escalate(
        self,
        session: Session,
        case: Handoff,
        request: HandoffRequest,
        city: str | None,
        now: datetime,
    ) -> None:
        case.last_activity_at = now
        changes = []
        if request.urgent and case.priority != URGENT:
            case.priority = URGENT
            changes.append("priority=0")
        if case.topic is None and request.topic is not None:
            case.topic = request.topic
            changes.append(f"topic={request.topic}")
            if case.status == "open":
                case.team = self._route(session, request.topic, city or case.city)
                changes.append(f"team={case.team}")
        if changes:
            audit.record(
                session,
                None,
                "escalate",
                handoff_id=case.id,
                team=case.team,
                detail=" ".join(changes),
            )

    def _cancel(self, session: Session, case: Handoff, now: datetime) -> None:
        case.status = "cancelled"
        case.outcome = "cancelled"
        case.closed_at = now
        case.last_activity_at = now
        audit.record(session, None, "cancel", handoff_id=case.id, team=case.team, detail="by the user")

    def _route(self, session: Session, topic: str | None, city: str | None) -> str:
        teams = set(session.scalars(select(Team.name)))
        return self._router.team_for(topic, city, teams)


def active_case(session: Session, contact_id: int) -> Handoff | None:
    """The contact's open or claimed case, if any."""
    return session.scalars(
        select(Handoff).where(Handoff.contact_id == contact_id, Handoff.status.in_(ACTIVE_STATUSES))
    ).first()
