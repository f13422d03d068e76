"""The case file: transcript decrypted, replies through the outbox, internal notes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.handoff import InvalidInput, NotAllowed
from bot.storage.models import CaseNote, OutboxItem
from tests.handoff.world import World


@pytest.fixture
def claimed(world: World) -> tuple[World, int]:
    world.team("general")
    world.worker("ana")
    world.worker("beto")
    case_id = world.ask_person("user-2000001")
    world.queue.claim(world.actors["ana"], case_id)
    return world, case_id


def test_view_shows_transcript_language_and_who_wrote_what(claimed: tuple[World, int]) -> None:
    world, case_id = claimed
    world.say("user-2000001", "me llamo Ana y necesito ayuda")  # forwarded to the caseworker
    world.files.reply(world.actors["ana"], case_id, "Hola, te leo.")
    view = world.files.view(world.actors["ana"], case_id)
    texts = [(line.direction, line.author, line.text) for line in view.transcript.lines]
    assert texts[0] == ("in", None, "hola")
    assert ("in", None, "me llamo Ana y necesito ayuda") in texts
    assert texts[-1] == ("out", "ana", "Hola, te leo.")
    assert (view.contact_lang, view.channel, view.claimed_by) == ("es", "web", "ana")


def test_web_replies_are_sent_at_once_and_reach_the_chat_poll(claimed: tuple[World, int]) -> None:
    world, case_id = claimed
    message_id = world.files.reply(world.actors["ana"], case_id, "  Hola desde el equipo  ")
    replies = world.inbox.replies_after("web", "user-2000001", message_id - 1)
    assert replies is not None and [r.message.text for r in replies] == ["Hola desde el equipo"]
    with world.db.connect() as conn:
        assert conn.scalar(select(OutboxItem.status).where(OutboxItem.message_id == message_id)) == "sent"


def test_whatsapp_replies_wait_in_the_outbox(world: World) -> None:
    world.team("general")
    ana = world.worker("ana")
    case_id = world.ask_person("+573001234567", channel="whatsapp")
    world.queue.claim(ana, case_id)
    message_id = world.files.reply(ana, case_id, "Hola")
    with world.db.connect() as conn:
        assert conn.scalar(select(OutboxItem.status).where(OutboxItem.message_id == message_id)) == "pending"
    line = world.files.view(ana, case_id).transcript.lines[-1]
    assert (line.author, line.delivery) == ("ana", "pending")


def test_only_the_claimer_writes_to_the_person(claimed: tuple[World, int]) -> None:
    world, case_id = claimed
    with pytest.raises(NotAllowed):
        world.files.reply(world.actors["beto"], case_id, "hola")
    with pytest.raises(InvalidInput):
        world.files.reply(world.actors["ana"], case_id, "   ")
    with pytest.raises(InvalidInput):
        world.files.reply(world.actors["ana"], case_id, "x" * 4001)


def test_notes_are_encrypted_and_never_sent(claimed: tuple[World, int]) -> None:
    world, case_id = claimed
    outbox_before = _count(world, OutboxItem)
    world.files.note(world.actors["beto"], case_id, "La persona pidió que no la llamen")
    assert _count(world, OutboxItem) == outbox_before
    with world.db.connect() as conn:
        sealed = conn.scalar(select(CaseNote.text_enc))
    assert sealed is not None and b"llamen" not in sealed
    notes = world.files.view(world.actors["ana"], case_id).notes
    assert [(n.author, n.text) for n in notes] == [("beto", "La persona pidió que no la llamen")]


def test_transcript_version_changes_with_new_lines(claimed: tuple[World, int]) -> None:
    world, case_id = claimed
    ana = world.actors["ana"]
    first = world.files.transcript(ana, case_id).version
    assert world.files.transcript(ana, case_id).version == first
    world.say("user-2000001", "¿hola?")
    assert world.files.transcript(ana, case_id).version != first


def _count(world: World, model: type) -> int:
    from sqlalchemy import func

    with world.db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_late_whatsapp_reply_shows_the_template_case_to_the_caseworker(world: World) -> None:
    world.team("general")
    ana = world.worker("ana")
    case_id = world.ask_person("+573001234567", channel="whatsapp")
    world.queue.claim(ana, case_id)
    message_id = world.files.reply(ana, case_id, "Hola, ¿sigues ahí?")
    with world.db.begin() as conn:  # what the sender records outside the 24-hour window
        conn.execute(
            OutboxItem.__table__.update()
            .where(OutboxItem.message_id == message_id)
            .values(status="held", template_sid="HX0123", error_code="outside_window", last_error="outside 24 h")
        )
    line = world.files.view(ana, case_id).transcript.lines[-1]
    assert line.delivery == "held"
    assert line.delivery_note is not None and "template" in line.delivery_note
