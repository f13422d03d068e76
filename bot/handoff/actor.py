"""Actor: the signed-in caseworker as the queue sees them, and what their role lets them do.

caseworker  the cases of their teams: view, claim, reply, note, release, transfer, close
supervisor  the same on their teams' cases, plus others' claims, statistics and the audit log
admin       every team's cases, statistics and the whole audit log
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("caseworker", "supervisor", "admin")


@dataclass(frozen=True)
class Actor:
    """Who acts: account id, username (kept in the audit log), role and team names."""

    id: int
    username: str
    role: str
    teams: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_supervisor(self) -> bool:
        """Supervisors and admins: statistics, audit log, acting on others' claims."""
        return self.role in ("supervisor", "admin")

    def sees_team(self, team: str) -> bool:
        """Whether cases of ``team`` are this actor's business."""
        return self.is_admin or team in self.teams
