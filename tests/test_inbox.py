"""The inbox on both stores: store-before-answer, answered once, state in the database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from bot.engine.engine import Engine as ConversationEngine
from bot.engine.messages import InboundMessage
from bot.inbox import Inbox
from bot.storage.database import create_db_engine
from bot.storage.models import Contact, Handoff, Message, OutboxItem
from bot.storage.protection import Protector
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

TABLE = {"trabajo": "employability", "medico": "health", "hola": "greeting"}


def make_inbox(db: Engine, protector: Protector) -> Inbox:
    return Inbox(db, ConversationEngine(KeywordNlu(TABLE), TinyContent(), EchoTexts()), protector)


def inbound(text: str, provider_id: str, user: str = "+573001112233", channel: str = "whatsapp") -> InboundMessage:
    return InboundMessage(channel, user, provider_id, text, datetime.now(UTC))


def count(db: Engine, model: type) -> int:
    with db.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model)) or 0)


def test_message_and_replies_are_stored_with_outbox_entries(db: Engine, protector: Protector) -> None:
    received = make_inbox(db, protector).receive(inbound("hola", "SM1"))
    assert not received.duplicate and len(received.replies) == 1
    assert count(db, Message) == 2
    with db.connect() as conn:
        assert conn.scalar(select(OutboxItem.status)) == "pending"


def test_repeated_provider_id_is_answered_once(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    first = inbox.receive(inbound("hola", "SM-dup"))
    again = [inbox.receive(inbound("hola", "SM-dup")) for _ in range(5)]
    assert not first.duplicate
    assert all(r.duplicate and not r.replies for r in again)
    assert count(db, OutboxItem) == 1


def test_concurrent_duplicate_deliveries_give_one_reply(db_url: str, protector: Protector) -> None:
    engines = [create_db_engine(db_url) for _ in range(2)]
    inboxes = [make_inbox(e, protector) for e in engines]
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def deliver(i: int) -> None:
        barrier.wait()
        results.append(inboxes[i % 2].receive(inbound("hola", "SM-race")).duplicate)

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] + [True] * 7
    assert count(engines[0], OutboxItem) == 1
    for e in engines:
        e.dispose()


def test_state_lives_in_the_database_across_inboxes(db_url: str, protector: Protector) -> None:
    a, b = (make_inbox(create_db_engine(db_url), protector) for _ in range(2))
    a.receive(inbound("hola", "m1"))
    b.receive(inbound("1", "m2"))  # picks Español on the other "process"
    a.receive(inbound("necesito trabajo", "m3"))
    reply = b.receive(inbound("2", "m4")).replies[0].message  # "services" of the route shown by a
    assert reply.text == "es|In which city are you? I will show the services closest to you."


def test_identifiers_and_text_are_not_stored_in_clear(db: Engine, protector: Protector) -> None:
    make_inbox(db, protector).receive(inbound("hola medico", "m1", user="+573009998877"))
    with db.connect() as conn:
        contact = conn.execute(select(Contact)).one()
        texts = conn.scalars(select(Message.text_enc)).all()
    assert "3009998877" not in contact.user_hash
    assert b"3009998877" not in bytes(contact.address_enc)
    assert all(b"medico" not in bytes(t) for t in texts)
    assert protector.open(contact.address_enc) == "+573009998877"


def test_urgent_message_creates_priority_handoff(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    inbox.receive(inbound("hola", "m1"))
    inbox.receive(inbound("1", "m2"))
    inbox.receive(inbound("URGENT medico", "m3"))
    with db.connect() as conn:
        handoff = conn.execute(select(Handoff)).one()
    assert handoff.priority == 0 and handoff.reason == "urgent" and handoff.topic == "health"


def test_erasure_removes_the_contact_and_everything_about_them(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    other = inbound("hola", "o1", user="+573000000001")
    inbox.receive(other)
    for i, text in enumerate(["hola", "1", "persona", "borrar", "1"]):
        last = inbox.receive(inbound(text, f"e{i}"))
    assert last.replies[0].message.text == "es|delete_done"
    assert count(db, Contact) == 1  # only the other person remains
    assert count(db, Handoff) == 0
    assert count(db, Message) == 2


def test_replies_after_returns_later_messages_and_none_for_unknown_users(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    first = inbox.receive(inbound("hola", "w1", user="webuser01", channel="web"))
    inbox.receive(inbound("1", "w2", user="webuser01", channel="web"))
    later = inbox.replies_after("web", "webuser01", first.replies[-1].id)
    assert later is not None and len(later) == 1 and later[0].message.text.startswith("es|welcome")
    assert inbox.replies_after("web", "nobody-here", 0) is None


def test_media_links_are_kept_sealed_for_the_case_view(db: Engine, protector: Protector) -> None:
    import json

    from bot.engine.messages import Media

    url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    message = InboundMessage(
        "whatsapp", "+573001112233", "MM1", "", datetime.now(UTC), media=(Media(url, "image/jpeg"),)
    )
    make_inbox(db, protector).receive(message)
    with db.connect() as conn:
        sealed = conn.scalar(select(Message.media_enc).where(Message.direction == "in"))
    assert sealed and b"twilio" not in bytes(sealed)
    assert json.loads(protector.open(sealed)) == [{"url": url, "content_type": "image/jpeg"}]
