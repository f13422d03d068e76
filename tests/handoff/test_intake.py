"""Cases opened from the inbox: routed, never doubled, escalated when urgent, cancelled by MENU."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.handoff.routing import Router, parse_rules
from bot.storage.models import AuditEntry, Handoff
from tests.handoff.world import World, make_world


def count_cases(world: World) -> int:
    with world.db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(Handoff)) or 0)


def test_asking_for_a_person_opens_one_case_routed_by_topic(world: World) -> None:
    world.team("general")
    world.team("employability")
    case_id = world.ask_person("user-0000001", topic_word="trabajo")
    case = world.case(case_id)
    assert (case.status, case.team, case.topic, case.priority, case.reason) == (
        "open",
        "employability",
        "employability",
        1,
        "asked",
    )


def test_topic_without_a_team_goes_to_general(world: World) -> None:
    case_id = world.ask_person("user-0000002", topic_word="medico")
    assert world.case(case_id).team == "general"


def test_configured_rule_routes_by_city(db, protector) -> None:  # type: ignore[no-untyped-def]
    world = make_world(db, protector, Router(parse_rules("*@cucuta=border")))
    world.team("border")
    world.say("user-0000003", "hola")
    world.say("user-0000003", "1")
    world.say("user-0000003", "trabajo cucuta")  # the city is remembered from this message
    world.say("user-0000003", "persona")
    assert world.case(world.active_case("user-0000003")).team == "border"


def test_a_second_request_does_not_open_a_second_case(world: World) -> None:
    case_id = world.ask_person("user-0000004")
    world.say("user-0000004", "hola otra vez")  # forwarded to the caseworker
    world.say("user-0000004", "menu")  # back to the bot: case cancelled
    assert world.case(case_id).status == "cancelled"
    again = world.ask_person("user-0000004")
    world.say("user-0000004", "persona")  # with a person already: forwarded, no new case
    assert again != case_id and count_cases(world) == 2
    assert world.active_case("user-0000004") == again


def test_an_urgent_message_raises_the_open_case_to_urgent(world: World) -> None:
    case_id = world.ask_person("user-0000005")
    world.say("user-0000005", "menu")  # cancel, then back
    case_id = world.ask_person("user-0000005")
    assert world.case(case_id).priority == 1
    world.say("user-0000005", "urgent me quieren pegar")
    assert world.active_case("user-0000005") == case_id
    assert world.case(case_id).priority == 0
    with world.db.connect() as conn:
        actions = list(conn.scalars(select(AuditEntry.action).where(AuditEntry.handoff_id == case_id)))
    assert actions == ["open", "escalate"]


def test_urgent_message_opens_an_urgent_case(world: World) -> None:
    case_id = world.ask_person("user-0000006", urgent=True)
    case = world.case(case_id)
    assert (case.priority, case.reason) == (0, "urgent")


def test_forwarded_messages_show_activity_on_the_case(world: World) -> None:
    case_id = world.ask_person("user-0000007")
    before = world.case(case_id).last_activity_at
    world.say("user-0000007", "sigo esperando")
    after = world.case(case_id).last_activity_at
    assert before is not None and after is not None and after > before
