"""Routing rules: configured rules first, then the topic's own team, then ``general``."""

from __future__ import annotations

import pytest

from bot.handoff.routing import Router, RoutingError, parse_rules

TEAMS = {"general", "gbv", "gbv_vdr", "legal", "remote"}


def test_default_rule_sends_a_topic_to_its_team_and_the_rest_to_general() -> None:
    router = Router()
    assert router.team_for("gbv", "cucuta", TEAMS) == "gbv"
    assert router.team_for("cash_transfer", "cucuta", TEAMS) == "general"  # no such team
    assert router.team_for(None, None, TEAMS) == "general"


def test_first_matching_rule_with_an_existing_team_wins() -> None:
    rules = parse_rules("gbv@villa_del_rosario=gbv_vdr, *@bogota=remote; legal_aid=legal, health=missing")
    router = Router(rules)
    assert router.team_for("gbv", "villa_del_rosario", TEAMS) == "gbv_vdr"
    assert router.team_for("gbv", "cucuta", TEAMS) == "gbv"
    assert router.team_for(None, "bogota", TEAMS) == "remote"
    assert router.team_for("legal_aid", "cucuta", TEAMS) == "legal"
    assert router.team_for("health", "cucuta", TEAMS) == "general"  # rule's team does not exist


@pytest.mark.parametrize("bad", ["gbv", "gbv=", "=team", "GBV=x", "gbv@=x", "a-b=c"])
def test_unreadable_rules_are_refused_with_the_rule_quoted(bad: str) -> None:
    with pytest.raises(RoutingError, match="routing rule"):
        parse_rules(bad)
