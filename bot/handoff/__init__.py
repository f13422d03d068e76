"""The caseworkers' queue: routing, intake from the inbox, claims, case files, audit, the desk."""

from bot.handoff.actor import ROLES, Actor
from bot.handoff.casefile import CaseFiles, CaseView, Line, Note, Transcript
from bot.handoff.desk import QueueDesk, reader_for
from bot.handoff.errors import CaseConflict, CaseError, CaseNotFound, InvalidInput, NotAllowed
from bot.handoff.intake import CaseIntake
from bot.handoff.queue import CLOSING_TEXT, OUTCOMES, CaseRow, HandoffQueue
from bot.handoff.routing import GENERAL_TEAM, Router, RoutingError, is_team_name, parse_rules
from bot.handoff.schedule import DeskHours, ScheduleError, parse_week

__all__ = [
    "CLOSING_TEXT",
    "GENERAL_TEAM",
    "OUTCOMES",
    "ROLES",
    "Actor",
    "CaseConflict",
    "CaseError",
    "CaseFiles",
    "CaseIntake",
    "CaseNotFound",
    "CaseRow",
    "CaseView",
    "DeskHours",
    "HandoffQueue",
    "InvalidInput",
    "Line",
    "NotAllowed",
    "Note",
    "QueueDesk",
    "Router",
    "RoutingError",
    "ScheduleError",
    "Transcript",
    "is_team_name",
    "parse_rules",
    "parse_week",
    "reader_for",
]
