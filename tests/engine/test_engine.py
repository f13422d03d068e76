"""Dialogue tests for the engine alone: (user says -> bot answers) with fakes for NLU and content."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine.engine import CONSENT_VERSION, Engine, Turn
from bot.engine.messages import InboundMessage, Location, Media
from bot.engine.state import ConversationState
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

TABLE = {
    "trabajo": "employability",
    "medico": "health",
    "hola": "greeting",
    "gracias": "thanks",
    "persona": "human_handoff",
}


def make_engine() -> Engine:
    return Engine(KeywordNlu(TABLE), TinyContent(), EchoTexts())


def message(text: str, **extra: object) -> InboundMessage:
    return InboundMessage("test", "u1", text, text, datetime.now(UTC), **extra)  # type: ignore[arg-type]


def converse(engine: Engine, lines: list[str], state: ConversationState | None = None) -> list[Turn]:
    turns: list[Turn] = []
    state = state or ConversationState()
    for line in lines:
        turn = engine.handle(message(line), state)
        state = turn.state
        turns.append(turn)
    return turns


def texts(turn: Turn) -> list[str]:
    return [reply.text for reply in turn.replies]


def test_first_contact_gets_privacy_notice_and_language_choice() -> None:
    (turn,) = converse(make_engine(), ["hola"])
    assert texts(turn) == ["es|privacy_notice"]
    assert turn.replies[0].options == ("Español", "English", "Português", "Français", "Kreyòl")
    assert turn.state.step == "choose_lang"
    assert turn.state.consent_version is None


def test_choosing_a_language_records_consent_and_shows_menu() -> None:
    _, turn = converse(make_engine(), ["hola", "5"])
    assert turn.state.lang == "ht"
    assert turn.state.consent_version == CONSENT_VERSION
    assert texts(turn)[0].startswith("ht|welcome")
    assert "employability-title-ht" in turn.replies[0].options


def test_question_asked_before_consent_is_answered_after_it() -> None:
    _, turn = converse(make_engine(), ["medico por favor", "1"])
    assert texts(turn)[1] == "*health-title-es*\n\nhealth-intro-es"


def test_other_text_before_consent_repeats_the_notice() -> None:
    _, turn = converse(make_engine(), ["hola", "quiero trabajo"])
    assert texts(turn) == ["es|privacy_notice"]
    assert turn.state.consent_version is None


def test_route_is_answered_at_once_and_services_ask_for_the_city_once() -> None:
    turns = converse(make_engine(), ["hola", "1", "necesito trabajo", "2", "2", "trabajo otra vez", "2"])
    assert texts(turns[2]) == ["*employability-title-es*\n\nemployability-intro-es"]
    assert texts(turns[3]) == ["es|In which city are you? I will show the services closest to you."]
    assert texts(turns[4]) == ["employability-services-es-villa_del_rosario"]
    assert texts(turns[6]) == ["employability-services-es-villa_del_rosario"]  # not asked again


def test_city_named_by_neighbourhood_is_understood() -> None:
    turns = converse(make_engine(), ["hola", "1", "trabajo", "2", "vivo en la parada"])
    assert turns[-1].state.city == "villa_del_rosario"
    assert texts(turns[-1]) == ["employability-services-es-villa_del_rosario"]


def test_number_picks_an_option_and_out_of_range_number_is_explained() -> None:
    turns = converse(make_engine(), ["hola", "1", "medico", "1", "99"])
    assert texts(turns[3]) == ["health-steps-es"]
    assert texts(turns[4]) == ["es|Please choose a number from 1 to 3."]


@pytest.mark.parametrize("word", ["menu", "MENÚ", "0", "Ayuda", "/start"])
def test_menu_word_always_shows_the_menu(word: str) -> None:
    turn = converse(make_engine(), ["hola", "1", "medico", word])[-1]
    assert texts(turn)[0].startswith("es|Main menu.")


def test_urgent_message_puts_emergency_lines_first_and_requests_priority_handoff() -> None:
    turn = converse(make_engine(), ["hola", "1", "URGENT medico"])[-1]
    assert texts(turn)[0] == "EMERGENCY-es-health: 123"
    assert turn.handoff is not None and turn.handoff.urgent
    assert any(t.startswith("*health-title-es*") for t in texts(turn))


def test_urgent_first_message_gets_emergency_lines_before_the_notice() -> None:
    (turn,) = converse(make_engine(), ["URGENT ayuda"])
    assert texts(turn)[0].startswith("EMERGENCY-es")
    assert "es|privacy_notice" in texts(turn)


def test_low_confidence_offers_likely_topics() -> None:
    turn = converse(make_engine(), ["hola", "1", "blablabla"])[-1]
    assert not turn.understood
    assert texts(turn)[0] == "es|I am not sure I understood. Is it about one of these?"
    assert turn.replies[0].options[:2] == ("health-title-es", "food-title-es")


def test_two_failed_understandings_offer_a_person() -> None:
    turns = converse(make_engine(), ["hola", "1", "blabla", "blublu"])
    assert "person" in turns[-1].state.options
    assert turns[-1].state.misunderstood == 0


def test_person_keyword_requests_a_handoff() -> None:
    turn = converse(make_engine(), ["hola", "1", "PERSONA"])[-1]
    assert turn.handoff is not None and turn.handoff.reason == "asked"


def test_delete_asks_for_confirmation_then_erases() -> None:
    turns = converse(make_engine(), ["hola", "1", "borrar", "1"])
    assert texts(turns[2]) == ["es|delete_confirm"]
    assert not turns[2].erase
    assert turns[3].erase
    assert turns[3].state == ConversationState()


def test_delete_can_be_cancelled() -> None:
    turns = converse(make_engine(), ["hola", "1", "borrar", "no"])
    assert not turns[-1].erase
    assert texts(turns[-1])[0].startswith("es|Nothing was deleted.")


def test_empty_message_gets_a_clear_reply() -> None:
    turn = converse(make_engine(), ["hola", "1", "   "])[-1]
    assert texts(turn) == ["es|Your message arrived empty. Write your question in words, or type MENU."]


def test_media_without_text_is_explained() -> None:
    engine = make_engine()
    state = converse(engine, ["hola", "1"])[-1].state
    turn = engine.handle(message("", media=(Media("https://x/1.jpg", "image/jpeg"),)), state)
    assert "cannot open pictures" in texts(turn)[0]


def test_location_lists_nearest_services_for_current_topic() -> None:
    engine = make_engine()
    state = converse(engine, ["hola", "1", "medico"])[-1].state
    turn = engine.handle(message("", location=Location(7.89, -72.5)), state)
    assert texts(turn)[0] == "nearest-health-es-7.89"


def test_language_name_switches_language() -> None:
    turn = converse(make_engine(), ["hola", "1", "english"])[-1]
    assert turn.state.lang == "en"
    assert texts(turn)[0].startswith("en|Language changed.")


def test_state_round_trips_through_json() -> None:
    state = converse(make_engine(), ["hola", "1", "trabajo"])[-1].state
    assert ConversationState.from_dict(state.to_dict()) == state


class ClosedDesk:
    def outlook(self, topic: str | None, urgent: bool) -> object:
        from bot.engine.ports import DeskOutlook

        return DeskOutlook(on_duty=False, hours="lun-vie 8:00-17:00")


def test_while_with_a_person_messages_are_forwarded_not_answered() -> None:
    turns = converse(make_engine(), ["hola", "1", "persona", "mi caso es este", "menu"])
    assert turns[2].state.step == "with_person"
    assert turns[3].forwarded and turns[3].replies == ()
    assert turns[4].handoff_cancelled and turns[4].state.step == "idle"


def test_urgent_while_with_a_person_still_gets_emergency_lines_first() -> None:
    turns = converse(make_engine(), ["hola", "1", "persona", "URGENT medico"])
    assert texts(turns[-1])[0].startswith("EMERGENCY-es")
    assert turns[-1].forwarded


def test_nobody_on_duty_is_said_honestly_with_the_lines_repeated() -> None:
    engine = Engine(KeywordNlu(TABLE), TinyContent(), EchoTexts(), desk=ClosedDesk())  # type: ignore[arg-type]
    turn = converse(engine, ["hola", "1", "URGENT medico"])[-1]
    assert "Nobody from our team" in texts(turn)[1] and texts(turn)[1].endswith("EMERGENCY-es-health: 123")
    handoff = converse(engine, ["hola", "1", "persona"])[-1]
    assert "lun-vie 8:00-17:00" in texts(handoff)[0]


def test_route_options_still_work_while_an_urgent_case_is_open() -> None:
    turns = converse(make_engine(), ["hola", "1", "URGENT medico", "1", "ya estoy mejor"])
    assert turns[2].state.step == "with_person"
    assert texts(turns[3]) == ["health-steps-es"] and turns[3].state.step == "with_person"
    assert turns[4].forwarded and turns[4].replies == ()


def test_changed_privacy_notice_is_shown_once() -> None:
    engine = make_engine()
    state = converse(engine, ["hola", "1"])[-1].state.evolve(consent_version="2020-01-01")
    first = engine.handle(message("medico"), state)
    assert texts(first)[0] == "es|privacy_notice_updated"
    assert first.state.consent_version == CONSENT_VERSION
    again = engine.handle(message("medico"), first.state)
    assert "es|privacy_notice_updated" not in texts(again)
