"""The outbox sender against local fake providers: exactly once, retries, limits, the 24 h window."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.channels.delivery import RetryPolicy
from bot.channels.outbox import OutboxStore
from bot.channels.ratelimit import RateLimit
from bot.channels.telegram import TelegramChannel
from bot.channels.twilio_whatsapp import TwilioChannel
from bot.engine.messages import InboundMessage
from bot.inbox import Inbox
from bot.storage.models import Contact, OutboxItem
from bot.storage.protection import Protector
from tests.channels.conftest import FAST_TUNING, TEMPLATE_SID, fast_sender, twilio_config
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.fake_twilio import FakeTwilio
from tests.channels.fakehttp import Failures
from tests.channels.queue import add_contact, add_reply, queue_replies

pytestmark = pytest.mark.anyio
TRANSIENT_MIX = ("500", "503", "429", "timeout")


def statuses(db: Engine) -> Counter[str]:
    with db.connect() as conn:
        return Counter(conn.scalars(select(OutboxItem.status)))


def row(db: Engine, outbox_id: int) -> OutboxItem:
    with Session(db) as session:
        item = session.get(OutboxItem, outbox_id)
        assert item is not None
        return item


async def test_500_replies_with_30_percent_transient_failures_arrive_exactly_once_on_whatsapp(
    db: Engine, protector: Protector, store: OutboxStore, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, _ = fake_twilio
    fake.failures = Failures(rate=0.3, modes=TRANSIENT_MIX, timeout_delay=0.7)
    users = [f"+57300{n:07d}" for n in range(500)]
    queue_replies(db, protector, "whatsapp", users)
    assert await fast_sender([twilio], store).drain(60)
    assert fake.failures.injected > 150  # about 30 % of ~700 calls failed
    assert Counter(m.to for m in fake.sent) == Counter(f"whatsapp:{u}" for u in users)  # each once
    assert statuses(db) == Counter({"sent": 500})


async def test_500_replies_with_30_percent_transient_failures_arrive_exactly_once_on_telegram(
    db: Engine,
    protector: Protector,
    store: OutboxStore,
    telegram: TelegramChannel,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    fake, _ = fake_telegram
    fake.failures = Failures(rate=0.3, modes=("500", "502", "429", "timeout"), timeout_delay=0.7)
    users = [str(600000000 + n) for n in range(500)]
    queue_replies(db, protector, "telegram", users)
    assert await fast_sender([telegram], store).drain(60)
    assert fake.failures.injected > 150
    assert Counter(str(s.chat_id) for s in fake.sent) == Counter(users)
    assert all(s.buttons == (("1. Menu", "1"),) for s in fake.sent)
    assert statuses(db) == Counter({"sent": 500})


async def test_a_permanent_failure_is_never_retried_and_keeps_no_number(
    db: Engine, protector: Protector, store: OutboxStore, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, _ = fake_twilio
    fake.failures.script.append("error:21211")
    (outbox_id,) = queue_replies(db, protector, "whatsapp", ["+573001234567"])
    assert await fast_sender([twilio], store).drain(10)
    item = row(db, outbox_id)
    assert (item.status, item.error_code, item.attempts) == ("failed", "21211", 1)
    assert item.last_error is not None and "1234567" not in item.last_error
    assert fake.requests == 1 and fake.sent == []


async def test_a_blocked_telegram_user_is_not_retried(
    db: Engine,
    protector: Protector,
    store: OutboxStore,
    telegram: TelegramChannel,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    fake, _ = fake_telegram
    fake.failures.script.extend(["403", "400"])
    ids = queue_replies(db, protector, "telegram", ["600000001", "600000002"])
    assert await fast_sender([telegram], store).drain(10)
    assert sorted(row(db, i).error_code or "" for i in ids) == ["telegram:400", "telegram:forbidden"]
    assert fake.methods().count("sendMessage") == 2


async def test_transient_failures_give_up_after_the_limit(
    db: Engine, protector: Protector, store: OutboxStore, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, _ = fake_twilio
    fake.failures = Failures(rate=1.0, modes=("500",))
    (outbox_id,) = queue_replies(db, protector, "sms", ["+573000000009"])
    policy = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02)
    assert await fast_sender([twilio], store, policy).drain(10)
    item = row(db, outbox_id)
    assert item.status == "failed" and item.last_error is not None
    assert item.last_error.startswith("gave up after 3 attempts")
    assert fake.requests == 3


async def test_telegram_retry_after_is_respected(
    db: Engine,
    protector: Protector,
    store: OutboxStore,
    telegram: TelegramChannel,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    fake, _ = fake_telegram
    fake.failures.script.append("429:1")
    queue_replies(db, protector, "telegram", ["600000003"])
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await fast_sender([telegram], store).drain(10)
    assert loop.time() - started >= 1.0
    assert len(fake.sent) == 1


async def test_a_split_reply_resumes_after_the_part_that_got_through(
    db: Engine, protector: Protector, store: OutboxStore, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, _ = fake_twilio
    fake.failures.script.extend(["ok", "500"])  # part 1 arrives, part 2 fails once
    with Session(db) as session, session.begin():
        contact = add_contact(session, protector, "whatsapp", "+573000000010", datetime.now(UTC))
        outbox_id = add_reply(session, protector, contact, "uno dos tres. " * 200)
    assert await fast_sender([twilio], store).drain(10)
    bodies = [m.body or "" for m in fake.sent]
    assert len(bodies) == 2 and "".join(bodies).count("uno") == 200
    item = row(db, outbox_id)
    assert (item.status, item.parts_sent, len(item.provider_ids)) == ("sent", 2, 2)


async def test_outside_the_24h_window_the_template_goes_and_the_message_waits_for_the_person(
    db: Engine,
    protector: Protector,
    store: OutboxStore,
    inbox: Inbox,
    twilio: TwilioChannel,
    fake_twilio: tuple[FakeTwilio, str],
) -> None:
    fake, _ = fake_twilio
    (late,) = queue_replies(db, protector, "whatsapp", ["+573000000011"], age=timedelta(hours=25))
    sender = fast_sender([twilio], store)
    assert await sender.drain(10)
    (template,) = fake.sent
    assert (template.content_sid, template.body) == (TEMPLATE_SID, None)
    item = row(db, late)
    assert (item.status, item.template_sid, item.error_code) == ("held", TEMPLATE_SID, "outside_window")
    # the person answers the template: the window opens, the held message goes first
    inbox.receive(InboundMessage("whatsapp", "+573000000011", "SMreply", "hola", datetime.now(UTC)))
    assert await sender.drain(10)
    assert [m.body for m in fake.sent[1:]] == ["reply to +573000000011\n\n1. Menu", "es|privacy_notice" + _langs()]
    assert row(db, late).status == "sent"


async def test_outside_the_window_without_a_template_fails_visibly(
    db: Engine, protector: Protector, store: OutboxStore, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, url = fake_twilio
    channel = TwilioChannel(twilio_config(url, template=None))
    await channel.start()
    (late,) = queue_replies(db, protector, "whatsapp", ["+573000000012"], age=timedelta(days=3))
    assert await fast_sender([channel], store).drain(10)
    await channel.stop()
    item = row(db, late)
    assert (item.status, item.error_code) == ("failed", "outside_window")
    assert item.last_error is not None and "TWILIO_TEMPLATE_SID" in item.last_error
    assert fake.requests == 0


async def test_a_window_refusal_from_twilio_falls_back_to_the_template(
    db: Engine, protector: Protector, store: OutboxStore, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, _ = fake_twilio
    fake.failures.script.append("error:63016")
    (outbox_id,) = queue_replies(db, protector, "whatsapp", ["+573000000013"], age=timedelta(hours=23, minutes=50))
    assert await fast_sender([twilio], store).drain(10)
    assert [m.content_sid for m in fake.sent] == [TEMPLATE_SID]
    assert row(db, outbox_id).status == "held"


async def test_sms_has_no_window(
    db: Engine, protector: Protector, store: OutboxStore, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, _ = fake_twilio
    queue_replies(db, protector, "sms", ["+573000000014"], age=timedelta(days=30))
    assert await fast_sender([twilio], store).drain(10)
    assert [(m.to, m.sender, m.content_sid) for m in fake.sent] == [("+573000000014", "+15005550006", None)]


async def test_one_person_gets_messages_in_order_and_paced(
    db: Engine,
    protector: Protector,
    store: OutboxStore,
    telegram: TelegramChannel,
    fake_telegram: tuple[FakeTelegram, str],
) -> None:
    fake, _ = fake_telegram
    fake.failures.script.extend(["ok", "500"])  # the second message fails once: the third must wait
    with Session(db) as session, session.begin():
        contact = add_contact(session, protector, "telegram", "600000020", datetime.now(UTC))
        for n in range(3):
            add_reply(session, protector, contact, f"part {n}")
    sender = fast_sender([telegram], store)
    sender._limits["telegram"] = RateLimit(per_second=100.0, burst=10, per_chat_gap=0.2)
    assert await sender.drain(10)
    assert [s.text for s in fake.sent] == ["part 0", "part 1", "part 2"]
    gaps = [b.at - a.at for a, b in zip(fake.sent, fake.sent[1:], strict=False)]
    assert min(gaps) >= 0.2


async def test_the_global_rate_limit_holds(
    db: Engine, protector: Protector, store: OutboxStore, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake, _ = fake_twilio
    queue_replies(db, protector, "sms", [f"+57301{n:07d}" for n in range(30)])
    sender = fast_sender([twilio], store)
    sender._buckets["sms"] = __import__("bot.channels.ratelimit", fromlist=["TokenBucket"]).TokenBucket(50.0, 5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await sender.drain(10)
    assert len(fake.sent) == 30 and loop.time() - started >= (30 - 5) / 50.0


async def test_an_expired_lease_is_taken_over_and_the_old_owner_cannot_record(db: Engine, protector: Protector) -> None:
    (outbox_id,) = queue_replies(db, protector, "sms", ["+573000000015"])
    first, second = OutboxStore(db, protector, "first"), OutboxStore(db, protector, "second")
    (claimed,) = first.claim("sms", 10, timedelta(seconds=-1), timedelta(0))  # a lease already over
    (again,) = second.claim("sms", 10, timedelta(minutes=5), timedelta(0))
    assert claimed.outbox_id == again.outbox_id == outbox_id and again.attempts == 2
    first.record_part(outbox_id, "SMlate", last=True)
    item = row(db, outbox_id)
    assert (item.status, item.lease_owner, item.provider_ids) == ("sending", "second", [])
    assert second.claim("sms", 10, timedelta(minutes=5), timedelta(0)) == []


async def test_only_the_oldest_open_item_of_a_chat_is_claimed(db: Engine, protector: Protector) -> None:
    with Session(db) as session, session.begin():
        one = add_contact(session, protector, "telegram", "600000030", datetime.now(UTC))
        two = add_contact(session, protector, "telegram", "600000031", datetime.now(UTC))
        first = [add_reply(session, protector, one, f"a{n}") for n in range(3)]
        other = add_reply(session, protector, two, "b0")
    store = OutboxStore(db, protector, "s")
    claimed = store.claim("telegram", 10, timedelta(minutes=5), timedelta(0))
    assert sorted(d.outbox_id for d in claimed) == [first[0], other]
    assert store.claim("telegram", 10, timedelta(minutes=5), timedelta(0)) == []
    with db.begin() as conn:
        conn.execute(update(OutboxItem).where(OutboxItem.id == first[0]).values(status="failed"))
    assert [d.outbox_id for d in store.claim("telegram", 10, timedelta(minutes=5), timedelta(0))] == [first[1]]


def _langs() -> str:
    return "\n\n1. Español\n2. English\n3. Português\n4. Français\n5. Kreyòl"


_ = (FAST_TUNING, Contact)
