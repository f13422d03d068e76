"""Data protection on both stores: erasure leaves nothing, retention keeps counts, nothing in clear."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, LargeBinary, func, select, text
from sqlalchemy.orm import Session

from bot.engine.engine import Engine as ConversationEngine
from bot.engine.messages import InboundMessage
from bot.inbox import Inbox
from bot.storage.models import Base, Contact, Message
from bot.storage.protection import Protector
from bot.storage.retention import RetentionPolicy, purge
from bot.storage.subject import PersonRef, erase_contact, export_person, find_contact_id
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

PHONE = "+573009998877"
OTHER = "+573000000001"
SECRET_TEXT = "mi esposo me pega"
TABLE = {"trabajo": "employability", "medico": "health", "hola": "greeting", "pega": "health"}


def make_inbox(db: Engine, protector: Protector) -> Inbox:
    return Inbox(db, ConversationEngine(KeywordNlu(TABLE), TinyContent(), EchoTexts()), protector)


_SIDS = iter(range(10**9))


def talk(inbox: Inbox, user: str, lines: list[str], at: datetime | None = None) -> None:
    for line in lines:
        inbox.receive(InboundMessage("whatsapp", user, f"SM{next(_SIDS)}", line, at or datetime.now(UTC)))


def every_value(db: Engine, protector: Protector) -> list[str]:
    """Every cell of every table as text; sealed cells opened with the key."""
    values: list[str] = []
    with db.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for column, value in zip(table.columns, row, strict=True):
                    if isinstance(column.type, LargeBinary) and value:
                        try:
                            values.append(protector.open(value))
                        except ValueError:
                            values.append(bytes(value).decode("latin-1"))
                    else:
                        values.append(str(value))
    return values


def test_erasure_leaves_no_text_or_identifier_in_any_table(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    talk(inbox, OTHER, ["hola", "1"])
    talk(inbox, PHONE, ["hola", "1", SECRET_TEXT, "URGENT medico", "persona", "borrar", "1"])
    found = [v for v in every_value(db, protector) if PHONE in v or SECRET_TEXT in v]
    assert found == []
    assert any(OTHER in v for v in every_value(db, protector))  # the other person is untouched


def test_command_line_erasure_finds_the_person_by_channel_id(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    talk(inbox, PHONE, ["hola", "1", SECRET_TEXT])
    with Session(db) as session, session.begin():
        erase_contact(
            session, find_contact_id(session, protector, PersonRef.parse(f"whatsapp:{PHONE}")), requested_by="cli:test"
        )
    assert not [v for v in every_value(db, protector) if PHONE in v or SECRET_TEXT in v]
    from bot.storage.models import AuditEntry

    with db.connect() as conn:
        entry = conn.execute(select(AuditEntry)).one()
    assert (entry.action, entry.actor, entry.detail) == ("data_erased", "cli:test", "channel=whatsapp")


def test_export_gives_the_person_their_own_data(db: Engine, protector: Protector) -> None:
    talk(make_inbox(db, protector), PHONE, ["hola", "1", SECRET_TEXT])
    data = export_person(db, protector, PersonRef("whatsapp", PHONE))
    assert data["user_id"] == PHONE and data["language"] == "es"
    assert [m["text"] for m in data["messages"] if m["direction"] == "in"] == ["hola", "1", SECRET_TEXT]
    assert data["consent"]["version"]
    json.dumps(data)  # serialisable as it is


def test_purge_erases_old_text_keeps_counts_and_is_idempotent(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    old = datetime.now(UTC) - timedelta(days=100)
    talk(inbox, PHONE, ["hola", "1", SECRET_TEXT], at=old)
    talk(inbox, OTHER, ["hola", "1"])
    with db.connect() as conn:
        before = conn.scalar(select(func.count()).select_from(Message))
    report = purge(db, RetentionPolicy(text_days=90, inactive_days=365))
    assert report.texts_erased == 3  # the three old inbound messages (replies are dated now)
    assert purge(db, RetentionPolicy(text_days=90, inactive_days=365)).texts_erased == 0
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Message)) == before
    assert SECRET_TEXT not in every_value(db, protector)


def test_shorter_period_for_a_topic_applies_to_the_whole_conversation(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    ten_days_ago = datetime.now(UTC) - timedelta(days=10)
    talk(inbox, PHONE, ["hola", "1", "me pega"], at=ten_days_ago)  # "pega" -> health in the fake NLU
    talk(inbox, OTHER, ["hola", "1", "trabajo"], at=ten_days_ago)
    report = purge(db, RetentionPolicy(text_days=90, topic_days=(("health", 7),)))
    assert report.texts_erased == 3
    assert any(v == "trabajo" for v in every_value(db, protector))


def test_silent_contacts_lose_their_identifiers(db: Engine, protector: Protector) -> None:
    inbox = make_inbox(db, protector)
    talk(inbox, PHONE, ["hola", "1"], at=datetime.now(UTC) - timedelta(days=400))
    report = purge(db, RetentionPolicy(text_days=90, inactive_days=365))
    assert report.contacts_anonymised == 1
    assert purge(db, RetentionPolicy(text_days=90, inactive_days=365)).contacts_anonymised == 0
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Contact)) == 1  # kept for statistics
    assert not [v for v in every_value(db, protector) if PHONE in v]


def test_database_dump_has_no_text_or_number_in_clear(db: Engine, protector: Protector) -> None:
    talk(make_inbox(db, protector), PHONE, ["hola", "1", SECRET_TEXT])
    raw: list[str] = []
    with db.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(text(f'SELECT * FROM "{table.name}"')):
                raw.extend(bytes(v).decode("latin-1") if isinstance(v, bytes | memoryview) else str(v) for v in row)
    dump = "\n".join(raw)
    assert PHONE not in dump and PHONE[1:] not in dump and SECRET_TEXT not in dump


def test_wrong_key_is_a_clear_error_at_start_up(db: Engine, protector: Protector, tmp_path: object) -> None:
    import pytest

    from bot.keys import new_test_environ, protector_from_environ
    from bot.settings import SettingsError
    from bot.storage.keycheck import verify_keys

    talk(make_inbox(db, protector), PHONE, ["hola"])
    verify_keys(db, protector)  # the right key reads it
    other = protector_from_environ(new_test_environ(), tmp_path, create=False)  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="cannot read the stored data"):
        verify_keys(db, other)


def test_missing_keys_are_a_clear_error_unless_creating(tmp_path: object) -> None:
    import pytest

    from bot.keys import protector_from_environ
    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match="no keys"):
        protector_from_environ({}, tmp_path, create=False)  # type: ignore[arg-type]
    with pytest.raises(SettingsError, match="both"):
        protector_from_environ({"PUENTE_HMAC_KEY": "x" * 44}, tmp_path, create=False)  # type: ignore[arg-type]
    created = protector_from_environ({}, tmp_path, create=True)  # type: ignore[arg-type]
    assert created.open(created.seal("ok")) == "ok"


def test_database_failure_still_answers_urgent_messages_and_spools_them(
    db: Engine, protector: Protector, tmp_path: object
) -> None:
    from pathlib import Path

    from sqlalchemy import create_engine

    from bot.storage.spool import Spool

    spool = Spool(Path(str(tmp_path)) / "spool", protector)
    broken = create_engine("sqlite:////nonexistent-dir/never.sqlite3")  # every connection fails
    engine = ConversationEngine(KeywordNlu(TABLE), TinyContent(), EchoTexts())
    received = Inbox(broken, engine, protector, spool=spool).receive(
        InboundMessage("whatsapp", PHONE, "SM-crisis", "URGENT medico", datetime.now(UTC))
    )
    assert not received.stored
    assert received.replies[0].message.text.startswith("EMERGENCY-")
    assert "technical problem" in received.replies[-1].message.text
    assert spool.pending() == 1
    working = Inbox(db, engine, protector, spool=spool)
    assert working.replay_spool() == 1 and spool.pending() == 0
    assert working.replay_spool() == 0
    with db.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Message).where(Message.direction == "in")) == 1


def test_erased_person_leaves_only_case_statistics(db: Engine, protector: Protector) -> None:
    from bot.storage.models import CaseStat, Handoff

    inbox = make_inbox(db, protector)
    talk(inbox, PHONE, ["hola", "1", "persona"])
    with db.begin() as conn:
        conn.execute(
            Handoff.__table__.update().values(status="closed", outcome="referred", closed_at=datetime.now(UTC))
        )
    talk(inbox, PHONE, ["borrar", "1"])
    with db.connect() as conn:
        (stat,) = conn.execute(select(CaseStat)).all()
        assert conn.scalar(select(func.count()).select_from(Handoff)) == 0
    assert stat.outcome == "referred" and stat.reason == "asked" and stat.lang == "es"
    assert not [v for v in every_value(db, protector) if PHONE in v]
