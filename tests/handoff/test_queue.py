"""Claims, releases, transfers and closing; exactly one of two racing claims wins."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from bot.handoff import CaseConflict, CaseNotFound, HandoffQueue, InvalidInput, NotAllowed
from bot.storage.database import create_db_engine
from bot.storage.models import AuditEntry, Message, OutboxItem
from bot.storage.protection import Protector
from tests.fakes import EchoTexts
from tests.handoff.world import World, make_world


@pytest.fixture
def staffed(world: World) -> World:
    world.team("general")
    world.team("gbv")
    world.worker("ana")
    world.worker("beto")
    world.worker("gina", teams=("gbv",))
    world.worker("sofia", role="supervisor", teams=("general",))
    world.worker("root", role="admin", teams=())
    return world


def test_queue_lists_my_teams_cases_urgent_first_then_oldest(staffed: World) -> None:
    first = staffed.ask_person("user-1000001")
    second = staffed.ask_person("user-1000002")
    urgent = staffed.ask_person("user-1000003", urgent=True)
    ids = [row.id for row in staffed.queue.active_cases(staffed.actors["ana"])]
    assert ids == [urgent, first, second]
    assert staffed.queue.active_cases(staffed.actors["gina"]) == []
    assert len(staffed.queue.active_cases(staffed.actors["root"])) == 3


def test_claim_then_a_second_claim_conflicts(staffed: World) -> None:
    case_id = staffed.ask_person("user-1000004")
    staffed.queue.claim(staffed.actors["ana"], case_id)
    with pytest.raises(CaseConflict):
        staffed.queue.claim(staffed.actors["beto"], case_id)
    case = staffed.case(case_id)
    assert (case.status, case.claimed_by) == ("claimed", staffed.actors["ana"].id)
    assert case.first_claimed_at is not None


def test_a_case_of_another_team_is_not_found(staffed: World) -> None:
    case_id = staffed.ask_person("user-1000005")
    gina = staffed.actors["gina"]
    for action in (staffed.queue.claim, staffed.queue.release, staffed.files.view, staffed.files.transcript):
        with pytest.raises(CaseNotFound):
            action(gina, case_id)
    with pytest.raises(CaseNotFound):
        staffed.files.reply(gina, case_id, "hola")
    with pytest.raises(CaseNotFound):
        staffed.queue.close(gina, case_id, "resolved")


def test_release_is_for_the_claimer_or_a_supervisor(staffed: World) -> None:
    case_id = staffed.ask_person("user-1000006")
    staffed.queue.claim(staffed.actors["ana"], case_id)
    with pytest.raises(NotAllowed):
        staffed.queue.release(staffed.actors["beto"], case_id)
    staffed.queue.release(staffed.actors["sofia"], case_id)
    case = staffed.case(case_id)
    assert (case.status, case.claimed_by) == ("open", None)
    staffed.queue.claim(staffed.actors["beto"], case_id)


def test_transfer_to_a_team_puts_the_case_in_its_queue(staffed: World) -> None:
    case_id = staffed.ask_person("user-1000007")
    ana, gina = staffed.actors["ana"], staffed.actors["gina"]
    staffed.queue.claim(ana, case_id)
    with pytest.raises(InvalidInput):
        staffed.queue.transfer(ana, case_id, team="nope")
    staffed.queue.transfer(ana, case_id, team="gbv")
    case = staffed.case(case_id)
    assert (case.team, case.status, case.claimed_by) == ("gbv", "open", None)
    assert [r.id for r in staffed.queue.active_cases(gina)] == [case_id]
    with pytest.raises(CaseNotFound):
        staffed.queue.claim(ana, case_id)


def test_transfer_to_a_colleague_of_the_team(staffed: World) -> None:
    case_id = staffed.ask_person("user-1000008")
    ana, beto, gina = (staffed.actors[n] for n in ("ana", "beto", "gina"))
    staffed.queue.claim(ana, case_id)
    with pytest.raises(InvalidInput):
        staffed.queue.transfer(ana, case_id, caseworker_id=gina.id)  # not in team general
    with pytest.raises(NotAllowed):
        staffed.queue.transfer(beto, case_id, team="gbv")  # ana's case
    staffed.queue.transfer(ana, case_id, caseworker_id=beto.id)
    assert staffed.case(case_id).claimed_by == beto.id


def test_close_tells_the_person_and_returns_them_to_the_bot(staffed: World) -> None:
    case_id = staffed.ask_person("user-1000009", channel="whatsapp")
    ana, beto = staffed.actors["ana"], staffed.actors["beto"]
    with pytest.raises(NotAllowed):
        staffed.queue.close(ana, case_id, "resolved")  # not claimed yet
    staffed.queue.claim(ana, case_id)
    with pytest.raises(NotAllowed):
        staffed.queue.close(beto, case_id, "resolved")
    with pytest.raises(InvalidInput):
        staffed.queue.close(ana, case_id, "made_up")
    staffed.queue.close(ana, case_id, "referred", "comisaria_familia_cucuta")
    case = staffed.case(case_id)
    assert (case.status, case.outcome, case.referral_service_id) == ("closed", "referred", "comisaria_familia_cucuta")
    with staffed.db.connect() as conn:
        last = conn.execute(
            select(Message.text_enc, OutboxItem.status)
            .join(OutboxItem, OutboxItem.message_id == Message.id)
            .order_by(Message.id.desc())
            .limit(1)
        ).one()
    assert staffed.protector.open(last[0]).startswith("es|Our team has closed this conversation.")
    assert last[1] == "pending"  # whatsapp: the channel sender delivers it
    replies = staffed.say("user-1000009", "hola", "whatsapp").replies
    assert "Hello! I am Puente." in replies[0].message.text  # the NLU answers again
    with pytest.raises(CaseConflict):
        staffed.queue.close(ana, case_id, "resolved")


def test_every_action_is_audited(staffed: World) -> None:
    case_id = staffed.ask_person("user-1000010")
    ana = staffed.actors["ana"]
    staffed.files.view(ana, case_id)
    staffed.queue.claim(ana, case_id)
    staffed.files.reply(ana, case_id, "Hola")
    staffed.files.note(ana, case_id, "llamar mañana")
    staffed.queue.release(ana, case_id)
    staffed.queue.claim(ana, case_id)
    staffed.queue.transfer(ana, case_id, caseworker_id=staffed.actors["beto"].id)
    staffed.queue.close(staffed.actors["beto"], case_id, "resolved")
    with staffed.db.connect() as conn:
        rows = conn.execute(
            select(AuditEntry.actor, AuditEntry.action).where(AuditEntry.handoff_id == case_id).order_by(AuditEntry.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("puente", "open"),
        ("ana", "view"),
        ("ana", "claim"),
        ("ana", "reply"),
        ("ana", "note"),
        ("ana", "release"),
        ("ana", "claim"),
        ("ana", "transfer"),
        ("beto", "close"),
    ]


def test_concurrent_claims_exactly_one_wins(db_url: str, protector: Protector) -> None:
    """Two caseworkers on two connections press Claim at the same moment, many times over."""
    engines = [create_db_engine(db_url) for _ in range(2)]
    world = make_world(engines[0], protector)
    world.team("general")
    actors = [world.worker("ana"), world.worker("beto")]
    queues = [HandoffQueue(e, protector, EchoTexts()) for e in engines]
    rounds = 100 if db_url.startswith("postgresql") else 15
    try:
        for n in range(rounds):
            case_id = world.ask_person(f"race-{n:06d}")
            wins = _race(queues, actors, case_id)
            assert sorted(wins) == [False, True], f"round {n}: {wins}"
            winner = actors[wins.index(True)]
            assert world.case(case_id).claimed_by == winner.id
    finally:
        for engine in engines:
            engine.dispose()


def _race(queues: list[HandoffQueue], actors: list, case_id: int) -> list[bool]:  # type: ignore[type-arg]
    barrier = threading.Barrier(2)
    results: list[bool] = [False, False]

    def claim(i: int) -> None:
        barrier.wait()
        try:
            queues[i].claim(actors[i], case_id)
            results[i] = True
        except CaseConflict:
            results[i] = False

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
