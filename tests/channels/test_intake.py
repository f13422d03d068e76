"""The inbound queue: webhooks store and answer at once, the answerer replies in order, once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, delete, select
from starlette.applications import Starlette
from twilio.request_validator import RequestValidator

from bot.channels.answering import AnswerTuning
from bot.channels.groupcommit import GroupCommitter, Lanes, ThreadWriter
from bot.channels.hub import ChannelHub
from bot.channels.intake import IntakeStore
from bot.channels.outbox import OutboxStore
from bot.channels.pgaccept import PgQueueWriter
from bot.channels.twilio_whatsapp import TwilioChannel
from bot.channels.wakeup import listen
from bot.engine.engine import Engine as ConversationEngine
from bot.engine.messages import InboundMessage, Location, Media
from bot.inbox import Inbox, Received
from bot.settings import SettingsError, load_settings
from bot.storage.models import Contact, InboundJob, Message, OutboxItem
from bot.storage.protection import Protector
from bot.storage.spool import Spool
from tests.channels.conftest import (
    AUTH_TOKEN,
    FAST_LIMITS,
    FAST_POLICY,
    FAST_TUNING,
    PUBLIC_URL,
    TABLE,
    count,
    fixture,
    make_inbox,
)
from tests.channels.fake_twilio import FakeTwilio
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

pytestmark = pytest.mark.anyio

FAST_ANSWERING = AnswerTuning(threads=3, batch=6, idle_wait=0.02)
TEXT = fixture("twilio_whatsapp_text.json")


def engine() -> ConversationEngine:
    return ConversationEngine(KeywordNlu(TABLE), TinyContent(), EchoTexts())


def queued_hub(
    db: Engine, protector: Protector, channels: Sequence[Any], inbox: Inbox, answering: AnswerTuning = FAST_ANSWERING
) -> ChannelHub:
    return ChannelHub(
        channels,
        inbox,
        OutboxStore(db, protector, "test-sender"),
        policy=FAST_POLICY,
        tuning=FAST_TUNING,
        intake=IntakeStore(db, protector, "test-answerer"),
        answering=answering,
        limits=FAST_LIMITS,
    )


def client_for(hub: ChannelHub) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=Starlette(routes=hub.routes()))
    return httpx.AsyncClient(transport=transport, base_url="http://10.0.0.5:8000")


async def post(client: httpx.AsyncClient, text: str, sid: str, number: str = "+573000000001") -> httpx.Response:
    params = {**TEXT, "Body": text, "MessageSid": sid, "SmsMessageSid": sid, "SmsSid": sid}
    params["From"] = f"whatsapp:{number}"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC_URL}/webhooks/twilio", params)
    return await client.post("/webhooks/twilio", data=params, headers={"X-Twilio-Signature": signature})


def message(sid: str, text: str = "hola", user: str = "+573000000001") -> InboundMessage:
    return InboundMessage("whatsapp", user, sid, text, datetime.now(UTC))


def replies_to(db: Engine, protector: Protector, user: str) -> list[str]:
    with db.connect() as conn:
        contact = conn.scalar(select(Contact.id).where(Contact.user_hash == protector.pseudonym("whatsapp", user)))
        outbound = (Message.contact_id == contact) & (Message.direction == "out")
        rows = conn.scalars(select(Message.text_enc).where(outbound).order_by(Message.id))
        return [protector.open(row) for row in rows]


# -- the queue itself ---------------------------------------------------------------------------


def test_only_the_oldest_message_of_each_person_is_claimed_and_a_lease_holds_the_rest(
    db: Engine, protector: Protector
) -> None:
    store = IntakeStore(db, protector, "a")
    assert store.accept_many([message("a1"), message("a2"), message("b1", user="+573000000002")]) == [True] * 3
    first = store.claim(10, timedelta(minutes=1))
    assert [job.message.provider_message_id for job in first] == ["a1", "b1"]
    assert store.claim(10, timedelta(minutes=1)) == []  # a1 is leased and a2 waits behind it
    with db.begin() as conn:
        conn.execute(delete(InboundJob).where(InboundJob.id == first[0].id))  # a1 answered
    assert [job.message.provider_message_id for job in store.claim(10, timedelta(seconds=-1))] == ["a2"]
    again = store.claim(10, timedelta(minutes=1))  # a2's lease ran out: it comes back
    assert [(job.message.provider_message_id, job.attempts) for job in again] == [("a2", 2)]


def test_repeats_are_refused_while_queued_and_the_message_survives_the_round_trip(
    db: Engine, protector: Protector
) -> None:
    store = IntakeStore(db, protector, "a")
    full = InboundMessage(
        "whatsapp",
        "+573000000001",
        "SMfull",
        "ñandú 🙂",
        datetime(2026, 5, 1, 12, 30, tzinfo=UTC),
        Location(7.89, -72.5),
        (Media("https://api.twilio.com/m/1", "image/jpeg"),),
    )
    assert store.accept_many([full, full, message("SMother")]) == [True, False, True]
    assert store.accept(full) is False
    assert store.waiting() == 2
    assert store.claim(1, timedelta(minutes=1))[0].message == full
    with db.connect() as conn:
        sealed = conn.scalar(select(InboundJob.payload_enc).where(InboundJob.provider_message_id == "SMfull"))
    assert sealed is not None and b"+573000000001" not in sealed and "ñandú".encode() not in sealed


async def test_group_commit_writes_what_arrives_during_a_write_in_one_batch() -> None:
    started, release = threading.Event(), threading.Event()
    batches: list[list[int]] = []

    def write(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        started.set()
        release.wait(5)
        return [item * 10 for item in items]

    committer: GroupCommitter[int, int] = GroupCommitter(ThreadWriter(write))
    first = asyncio.create_task(committer.submit(0))
    await asyncio.to_thread(started.wait, 5)
    later = [asyncio.create_task(committer.submit(n)) for n in range(1, 11)]
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(first, *later) == [n * 10 for n in range(11)]
    assert batches == [[0], list(range(1, 11))]
    await committer.aclose()


async def test_group_commit_never_leaves_a_request_behind() -> None:
    committer: GroupCommitter[int, int] = GroupCommitter(ThreadWriter(lambda items: [-item for item in items]))

    async def one_after_another(start: int) -> list[int]:
        return [await committer.submit(n) for n in range(start, start + 100)]

    results = await asyncio.wait_for(asyncio.gather(*(one_after_another(k * 100) for k in range(4))), 10)
    assert [r for chunk in results for r in chunk] == [-n for n in range(400)]
    await committer.aclose()


async def test_group_commit_gives_a_failed_write_to_every_caller_in_the_batch() -> None:
    def write(items: Sequence[int]) -> list[int]:
        raise RuntimeError("database gone")

    committer: GroupCommitter[int, int] = GroupCommitter(ThreadWriter(write))
    results = await asyncio.gather(*(committer.submit(n) for n in range(3)), return_exceptions=True)
    assert [type(result) for result in results] == [RuntimeError] * 3
    await committer.aclose()


async def test_lanes_keep_one_key_in_one_lane_in_order_and_spread_the_others() -> None:
    written: list[list[list[tuple[str, int]]]] = [[], []]

    def writer(lane: int) -> ThreadWriter[tuple[str, int], str]:
        def write(items: Sequence[tuple[str, int]]) -> list[str]:
            written[lane].append(list(items))
            return [f"{key}{n}" for key, n in items]

        return ThreadWriter(write)

    committers = [GroupCommitter(writer(0)), GroupCommitter(writer(1))]
    lanes: Lanes[tuple[str, int], str] = Lanes(committers, key=lambda item: item[0])
    people = [f"person{k}-" for k in range(20)]

    async def conversation(person: str) -> list[str]:
        return [await lanes.submit((person, n)) for n in range(5)]

    results = await asyncio.wait_for(asyncio.gather(*(conversation(p) for p in people)), 10)
    assert results == [[f"{p}{n}" for n in range(5)] for p in people]
    lane_of: dict[str, set[int]] = {}
    for lane, batches in enumerate(written):
        for batch in batches:
            for person, _ in batch:
                lane_of.setdefault(person, set()).add(lane)
        order = [item for batch in batches for item in batch]
        for person in people:  # each person's messages in the order they were sent
            assert [n for p, n in order if p == person] in ([], list(range(5)))
    assert all(len(lanes_used) == 1 for lanes_used in lane_of.values())
    assert {lane for used in lane_of.values() for lane in used} == {0, 1}
    await lanes.aclose()


# -- webhooks through the queue ---------------------------------------------------------------------


async def test_the_webhook_only_queues_then_the_answerer_replies_and_the_sender_sends(
    db: Engine, protector: Protector, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    hub = queued_hub(db, protector, [twilio], make_inbox(db, protector))
    async with client_for(hub) as client:
        response = await post(client, "hola", "SMq1")
    assert response.status_code == 200 and "<Response />" in response.text
    assert count(db, InboundJob) == 1 and count(db, Message) == 0  # nothing answered yet
    assert hub.answerer is not None and await hub.answerer.drain(10)
    assert count(db, InboundJob) == 0 and count(db, Message) == 2
    assert await hub.sender.drain(10)
    assert [m.to for m in fake_twilio[0].sent] == ["whatsapp:+573000000001"]


async def test_a_hundred_duplicate_deliveries_through_the_queue_give_one_reply(
    db: Engine, protector: Protector, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    hub = queued_hub(db, protector, [twilio], make_inbox(db, protector))
    async with client_for(hub) as client:
        responses = await asyncio.gather(*(post(client, "hola", "SMdup") for _ in range(100)))
        assert {r.status_code for r in responses} == {200}
        assert hub.answerer is not None and await hub.answerer.drain(10)
        late = await post(client, "hola", "SMdup")  # Twilio retries after the answer went out
        assert late.status_code == 200 and await hub.answerer.drain(10)
    assert await hub.sender.drain(10)
    assert count(db, Message) == 2 and count(db, InboundJob) == 0
    assert len(fake_twilio[0].sent) == 1


async def test_each_persons_messages_are_answered_in_order_as_if_one_at_a_time(
    db: Engine, protector: Protector, twilio: TwilioChannel
) -> None:
    lines = ["hola", "1", "trabajo", "2", "menu", "medico", "1"]
    direct = make_inbox(db, protector)
    for i, line in enumerate(lines):
        direct.receive(message(f"SMd{i}", line, user="+573009999999"))
    expected = replies_to(db, protector, "+573009999999")
    people = [f"+5730000001{n:02d}" for n in range(8)]
    hub = queued_hub(db, protector, [twilio], make_inbox(db, protector))
    async with client_for(hub) as client:
        for i, line in enumerate(lines):  # everyone's first message, then everyone's second, ...
            sends = (post(client, line, f"SM{n}-{i}", number) for n, number in enumerate(people))
            answers = await asyncio.gather(*sends)
            assert {a.status_code for a in answers} == {200}
    assert hub.answerer is not None and await hub.answerer.drain(20)
    for person in people:
        assert replies_to(db, protector, person) == expected


async def test_two_answerers_on_one_database_answer_every_message_once_and_in_order(
    db: Engine, protector: Protector, twilio: TwilioChannel
) -> None:
    lines = ["hola", "1", "trabajo", "menu"]
    people = [f"+5730000002{n:02d}" for n in range(12)]
    store = IntakeStore(db, protector, "webhook")
    for i, line in enumerate(lines):
        store.accept_many([message(f"SM{n}-{i}", line, person) for n, person in enumerate(people)])
    hubs = [queued_hub(db, protector, [twilio], make_inbox(db, protector)) for _ in range(2)]
    answerers = [hub.answerer for hub in hubs]
    assert all(answerers)
    assert all(await asyncio.gather(*(a.drain(20) for a in answerers if a is not None)))
    with db.connect() as conn:
        rows = select(Message.contact_id, Message.provider_message_id).where(Message.direction == "in")
        inbound = conn.execute(rows.order_by(Message.id)).all()
    assert len(inbound) == len(people) * len(lines)
    by_contact: dict[int, list[str]] = {}
    for contact, sid in inbound:
        by_contact.setdefault(contact, []).append(str(sid).rsplit("-", 1)[1])
    assert all(order == ["0", "1", "2", "3"] for order in by_contact.values())


async def test_erasure_goodbye_is_sent_straight_to_the_person_when_queued(
    db: Engine, protector: Protector, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    hub = queued_hub(db, protector, [twilio], make_inbox(db, protector))
    async with client_for(hub) as client:
        for i, text in enumerate(["hola", "1", "/delete", "1"]):
            assert (await post(client, text, f"SMe{i}")).status_code == 200
    assert hub.answerer is not None and await hub.answerer.drain(10)
    assert count(db, Contact) == 0 and count(db, OutboxItem) == 0
    assert [(m.to, m.body) for m in fake_twilio[0].sent] == [("whatsapp:+573000000001", "es|delete_done")]


async def test_when_the_queue_cannot_be_written_the_webhook_answers_with_the_emergency_lines(
    protector: Protector, twilio: TwilioChannel, tmp_path: Path
) -> None:
    broken = create_engine("sqlite:////nonexistent-dir/never.sqlite3")  # every connection fails
    spool = Spool(tmp_path / "spool", protector)
    inbox = Inbox(broken, engine(), protector, spool=spool)
    hub = queued_hub(broken, protector, [twilio], inbox)
    async with client_for(hub) as client:
        response = await post(client, "URGENT medico", "SMcrisis")
    assert response.status_code == 200
    assert "EMERGENCY-es-health: 123" in response.text and "technical problem" in response.text
    assert spool.pending() == 1


async def test_when_postgresql_cannot_be_reached_the_webhook_still_answers_with_the_emergency_lines(
    protector: Protector, twilio: TwilioChannel, tmp_path: Path
) -> None:
    broken = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/nowhere")  # nothing listens on port 1
    spool = Spool(tmp_path / "spool", protector)
    inbox = Inbox(broken, engine(), protector, spool=spool)
    hub = queued_hub(broken, protector, [twilio], inbox)  # queues through bot.channels.pgaccept
    async with client_for(hub) as client:
        response = await post(client, "URGENT medico", "SMpgdown")
    assert response.status_code == 200
    assert "EMERGENCY-es-health: 123" in response.text and "technical problem" in response.text
    assert spool.pending() == 1


@pytest.mark.postgres
async def test_the_binary_arrays_carry_any_text_and_sealed_bytes(db: Engine, protector: Protector) -> None:
    if db.dialect.name != "postgresql":
        pytest.skip("the event-loop path is PostgreSQL's")
    store = IntakeStore(db, protector, "webhook")
    assert store.postgres_conninfo is not None
    writer = PgQueueWriter(store, store.postgres_conninfo)
    sent = [
        message("SMñandú-😀-1", "hola ñ 😀", "+573000000001"),
        message("SM'quote\"{2},\\", "", "+573000000002"),
        message("SM3", "x" * 5000, "+573000000003"),
    ]
    try:
        assert await writer.write(sent) == [True, True, True]
        assert await writer.write(sent[:1]) == [False]
    finally:
        await writer.aclose()
    claimed = {job.message.provider_message_id: job.message for job in store.claim(10, timedelta(minutes=1))}
    assert claimed == {m.provider_message_id: m for m in sent}
    with db.connect() as conn:
        hashes = set(conn.scalars(select(InboundJob.user_hash)))
    assert hashes == {protector.pseudonym("whatsapp", m.user_id) for m in sent}


@pytest.mark.postgres
async def test_queueing_from_the_event_loop_shares_statements_and_keeps_repeats_out(
    db: Engine, protector: Protector
) -> None:
    if db.dialect.name != "postgresql":
        pytest.skip("the event-loop path is PostgreSQL's")
    store = IntakeStore(db, protector, "webhook")
    assert store.postgres_conninfo is not None
    acceptor: GroupCommitter[InboundMessage, bool] = GroupCommitter(PgQueueWriter(store, store.postgres_conninfo))
    people = [f"+5730000{n:05d}" for n in range(12)]
    unique = [message(f"SMloop{n}", f"hola {n}", people[n % 12]) for n in range(120)]
    try:
        first = await asyncio.gather(*(acceptor.submit(m) for m in [*unique, *unique[:30]]))
        again = await asyncio.gather(*(acceptor.submit(m) for m in unique[90:]))
    finally:
        await acceptor.aclose()
    assert first == [True] * 120 + [False] * 30  # a repeat in the same statement counts once
    assert again == [False] * 30
    assert count(db, InboundJob) == 120
    claimed = store.claim(100, timedelta(seconds=30))
    assert sorted(job.message.text for job in claimed) == sorted(f"hola {n}" for n in range(12))


class FailingInbox(Inbox):
    def receive(self, message: InboundMessage, **kwargs: Any) -> Received:
        raise RuntimeError("a bug in the engine")


async def test_a_message_that_keeps_failing_is_given_up_with_an_honest_answer(
    db: Engine, protector: Protector, twilio: TwilioChannel, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    failing = FailingInbox(db, engine(), protector)
    tuning = AnswerTuning(threads=1, batch=1, idle_wait=0.01, lease=timedelta(0), max_attempts=2)
    hub = queued_hub(db, protector, [twilio], failing, tuning)
    async with client_for(hub) as client:
        assert (await post(client, "URGENT medico", "SMbug")).status_code == 200
    assert hub.answerer is not None and await hub.answerer.drain(10)
    assert count(db, InboundJob) == 0
    bodies = [m.body or "" for m in fake_twilio[0].sent]
    assert bodies[0] == "EMERGENCY-es-health: 123" and "technical problem" in bodies[-1]


@pytest.mark.postgres
async def test_another_process_is_woken_when_a_message_is_queued(db: Engine, protector: Protector) -> None:
    if db.dialect.name != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    woken, stop = asyncio.Event(), asyncio.Event()
    listener = asyncio.create_task(listen(db, woken.set, stop))
    try:
        for attempt in range(50):  # the listener connects in the background: queue until it hears
            IntakeStore(db, protector, "webhook").accept(message(f"SMwake{attempt}"))
            try:
                await asyncio.wait_for(woken.wait(), 0.2)
                break
            except TimeoutError:
                continue
        assert woken.is_set()
    finally:
        stop.set()
        await listener


def test_outbox_rate_setting_is_checked_and_named() -> None:
    assert load_settings({"PUENTE_OUTBOX_RATE": "200"}).outbox_rate == 200.0
    for bad in ("0", "-3", "fast", "nan", "1e9"):
        with pytest.raises(SettingsError, match="PUENTE_OUTBOX_RATE"):
            load_settings({"PUENTE_OUTBOX_RATE": bad})
