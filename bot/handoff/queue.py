"""HandoffQueue: the caseworkers' queue — list, claim, release, transfer and close cases.

Every action checks on the server that the case belongs to one of the actor's teams, runs in
one transaction and appends to the audit log. Claims are decided by the database: a conditional
``UPDATE ... WHERE status = 'open' AND claimed_by IS NULL`` changes one row for exactly one of
two racing caseworkers; the other gets CaseConflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, func, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from bot.engine.ports import Texts
from bot.handoff import audit
from bot.handoff.actor import Actor
from bot.handoff.cases import back_to_bot, lock_case_and_contact, send_to_contact, visible_case
from bot.handoff.errors import CaseConflict, InvalidInput, NotAllowed
from bot.handoff.intake import ACTIVE_STATUSES
from bot.storage.models import Caseworker, CaseworkerTeam, Handoff, Team
from bot.storage.protection import Protector

OUTCOMES: tuple[str, ...] = (
    "resolved",
    "referred",
    "no_response",
    "duplicate",
    "out_of_scope",
    "other",
)
CLOSING_TEXT = "Our team has closed this conversation. You are back with the assistant: write MENU to see the options."


@dataclass(frozen=True)
class CaseRow:
    """One line of the queue."""

    id: int
    team: str
    topic: str | None
    lang: str | None
    city: str | None
    reason: str
    urgent: bool
    status: str
    created_at: datetime
    last_activity_at: datetime | None
    claimed_by: str | None
    mine: bool


class HandoffQueue:
    """The queue as caseworkers work it (each method is one transaction)."""

    def __init__(self, db: Engine, protector: Protector, texts: Texts, default_lang: str = "es") -> None:
        self._sessions = sessionmaker(db, expire_on_commit=False)
        self._protector = protector
        self._texts = texts
        self._default_lang = default_lang

    # -- reading ---------------------------------------------------------------------------

    def active_cases(self, actor: Actor) -> list[CaseRow]:
        """Open and claimed cases of the actor's teams: urgent first, then the oldest."""
        claimer = aliased(Caseworker)
        query = (
            select(Handoff, claimer.username)
            .outerjoin(claimer, claimer.id == Handoff.claimed_by)
            .where(Handoff.status.in_(ACTIVE_STATUSES))
            .order_by(Handoff.priority, Handoff.created_at, Handoff.id)
            .limit(500)
        )
        if not actor.is_admin:
            query = query.where(Handoff.team.in_(sorted(actor.teams)))
        with self._sessions() as session:
            return [_row(case, name, actor) for case, name in session.execute(query)]

    def team_names(self) -> list[str]:
        with self._sessions() as session:
            return list(session.scalars(select(Team.name).order_by(Team.name)))

    def team_members(self, team: str) -> list[tuple[int, str]]:
        """(id, username) of the active caseworkers in ``team``."""
        query = (
            select(Caseworker.id, Caseworker.username)
            .join(CaseworkerTeam, CaseworkerTeam.caseworker_id == Caseworker.id)
            .join(Team, Team.id == CaseworkerTeam.team_id)
            .where(Team.name == team, Caseworker.active.is_(True))
            .order_by(Caseworker.username)
        )
        with self._sessions() as session:
            return [(row[0], row[1]) for row in session.execute(query)]

    # -- claiming ------------------------------------------------------------------------

    def claim(self, actor: Actor, case_id: int) -> None:
        """Take an open case; CaseConflict when someone else was faster."""
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            case = visible_case(session, actor, case_id)
            won = _update_if(
                session,
                case,
                status="open",
                claimed_by=None,
                values=_claim_values(actor.id, now) | {"last_activity_at": now},
            )
            if not won:
                raise CaseConflict("another caseworker claimed this case first")
            audit.record(session, actor, "claim", handoff_id=case.id, team=case.team)

    def release(self, actor: Actor, case_id: int) -> None:
        """Put a claimed case back in the queue (its claimer, or a supervisor)."""
        with self._sessions.begin() as session:
            case = visible_case(session, actor, case_id)
            if case.status != "claimed":
                raise CaseConflict("this case is not claimed")
            if case.claimed_by != actor.id and not actor.is_supervisor:
                raise NotAllowed("only its caseworker or a supervisor can release this case")
            values = {"status": "open", "claimed_by": None, "claimed_at": None}
            if not _update_if(session, case, status="claimed", claimed_by=case.claimed_by, values=values):
                raise CaseConflict("the case changed meanwhile; reload it")
            audit.record(session, actor, "release", handoff_id=case.id, team=case.team)

    def transfer(
        self,
        actor: Actor,
        case_id: int,
        *,
        team: str | None = None,
        caseworker_id: int | None = None,
    ) -> None:
        """Hand the case to another team (back in its queue) or to a caseworker of its team."""
        if (team is None) == (caseworker_id is None):
            raise InvalidInput("choose either a team or a caseworker")
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            case = visible_case(session, actor, case_id)
            self._check_may_manage(actor, case)
            if team is not None:
                values, detail, new_team = (
                    self._to_team(session, case, team),
                    f"to_team={team}",
                    team,
                )
            else:
                assert caseworker_id is not None
                values, detail = self._to_person(session, case, caseworker_id, now)
                new_team = case.team
            if not _update_if(session, case, status=case.status, claimed_by=case.claimed_by, values=values):
                raise CaseConflict("the case changed meanwhile; reload it")
            audit.record(session, actor, "transfer", handoff_id=case.id, team=new_team, detail=detail)

    def close(self, actor: Actor, case_id: int, outcome: str, referral: str | None = None) -> None:
        """Close with an outcome; the person is told and goes back to the assistant."""
        if outcome not in OUTCOMES:
            raise InvalidInput(f"unknown outcome {outcome!r}")
        now = datetime.now(UTC)
        with self._sessions.begin() as session:
            case, contact = lock_case_and_contact(session, actor, case_id)
            if case.status not in ACTIVE_STATUSES:
                raise CaseConflict("this case is already closed")
            if case.claimed_by != actor.id and not actor.is_supervisor:
                raise NotAllowed("claim the case before closing it")
            case.status, case.outcome, case.closed_at = "closed", outcome, now
            case.referral_service_id, case.last_activity_at = referral, now
            back_to_bot(self._protector, contact)
            lang = contact.lang or self._default_lang
            send_to_contact(session, self._protector, contact, self._texts.gettext(lang, CLOSING_TEXT), now)
            detail = f"outcome={outcome}" + (f" service={referral}" if referral else "")
            audit.record(session, actor, "close", handoff_id=case.id, team=case.team, detail=detail)

    # -- helpers ---------------------------------------------------------------------------

    def _check_may_manage(self, actor: Actor, case: Handoff) -> None:
        if case.status not in ACTIVE_STATUSES:
            raise CaseConflict("this case is closed")
        if case.claimed_by not in (None, actor.id) and not actor.is_supervisor:
            raise NotAllowed("a colleague has claimed this case")

    def _to_team(self, session: Session, case: Handoff, team: str) -> dict[str, object]:
        if session.scalar(select(Team.id).where(Team.name == team)) is None:
            raise InvalidInput(f"there is no team {team!r}")
        if team == case.team:
            raise InvalidInput(f"the case is already in team {team!r}")
        return {"team": team, "status": "open", "claimed_by": None, "claimed_at": None}

    def _to_person(
        self, session: Session, case: Handoff, caseworker_id: int, now: datetime
    ) -> tuple[dict[str, object], str]:
        member = session.scalar(
            select(Caseworker.username)
            .join(CaseworkerTeam, CaseworkerTeam.caseworker_id == Caseworker.id)
            .join(Team, Team.id == CaseworkerTeam.team_id)
            .where(Caseworker.id == caseworker_id, Caseworker.active.is_(True), Team.name == case.team)
        )
        if member is None:
            raise InvalidInput(f"that caseworker is not in team {case.team!r}")
        return _claim_values(caseworker_id, now), f"to={member}"


def _claim_values(caseworker_id: int, now: datetime) -> dict[str, object]:
    return {
        "status": "claimed",
        "claimed_by": caseworker_id,
        "claimed_at": now,
        "first_claimed_at": func.coalesce(Handoff.first_claimed_at, now),
    }


def _update_if(
    session: Session,
    case: Handoff,
    *,
    status: str,
    claimed_by: int | None,
    values: Mapping[str, object],
) -> bool:
    """Change the case only if it is still as we saw it; True when exactly one row changed."""
    statement = (
        update(Handoff)
        .where(
            Handoff.id == case.id,
            Handoff.status == status,
            Handoff.team == case.team,
            Handoff.claimed_by.is_not_distinct_from(claimed_by),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount == 1


def _row(case: Handoff, claimer: str | None, actor: Actor) -> CaseRow:
    return CaseRow(
        id=case.id,
        team=case.team,
        topic=case.topic,
        lang=case.lang,
        city=case.city,
        reason=case.reason,
        urgent=case.priority == 0,
        status=case.status,
        created_at=case.created_at,
        last_activity_at=case.last_activity_at,
        claimed_by=claimer,
        mine=case.claimed_by == actor.id,
    )
