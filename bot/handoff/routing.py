"""Routing: which team a new case goes to, from topic/city rules in configuration.

Rules read ``topic[@city]=team``, separated by commas; ``*`` matches any topic (also none).
The first rule that matches and names an existing team wins; otherwise the default rule sends a
topic to the team named like the topic (``gbv``, ``cash_transfer``...) when that team exists,
and everything else to ``general``.

    PUENTE_HANDOFF_ROUTING="gbv@villa_del_rosario=gbv_vdr, *@bogota=remote, legal_aid=legal"
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

GENERAL_TEAM = "general"
_NAME = re.compile(r"^[a-z0-9_]{1,40}$")
_RULE = re.compile(r"^(?P<topic>\*|[a-z0-9_]+)(?:@(?P<city>\*|[a-z0-9_]+))?=(?P<team>[a-z0-9_]+)$")


class RoutingError(ValueError):
    """A routing rule cannot be read; the message quotes it."""


@dataclass(frozen=True)
class RoutingRule:
    """``topic`` and ``city`` are ids or ``*``; ``team`` is a team name."""

    topic: str
    city: str
    team: str

    def matches(self, topic: str | None, city: str | None) -> bool:
        return self.topic in ("*", topic) and self.city in ("*", city)


def is_team_name(name: str) -> bool:
    """Team names are lowercase letters, digits and ``_`` (like topic ids), at most 40."""
    return bool(_NAME.match(name))


def parse_rules(text: str) -> tuple[RoutingRule, ...]:
    """Read ``topic[@city]=team`` rules separated by commas (or semicolons / new lines)."""
    rules: list[RoutingRule] = []
    for raw in re.split(r"[,;\n]", text):
        item = raw.strip().replace(" ", "")
        if not item:
            continue
        found = _RULE.match(item)
        if found is None:
            raise RoutingError(f"cannot read routing rule {raw.strip()!r}: use topic[@city]=team")
        rules.append(RoutingRule(found["topic"], found["city"] or "*", found["team"]))
    return tuple(rules)


class Router:
    """Chooses the team of a new case."""

    def __init__(self, rules: tuple[RoutingRule, ...] = ()) -> None:
        self._rules = rules

    def team_for(self, topic: str | None, city: str | None, teams: Collection[str]) -> str:
        """The first matching rule's existing team, else the topic's team, else ``general``."""
        for rule in self._rules:
            if rule.matches(topic, city) and rule.team in teams:
                return rule.team
        if topic is not None and topic in teams:
            return topic
        return GENERAL_TEAM
