"""Guided flows in the engine: every outcome in Spanish and Creole, interruptions, resuming.

Dialogue tables of (user says, a piece of what the bot answers), with the real flow files,
a keyword NLU, a tiny content catalogue and echoing texts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from bot.engine.engine import CONSENT_VERSION, Engine, Turn
from bot.engine.messages import InboundMessage
from bot.engine.state import ConversationState
from bot.flows import FlowLibrary
from bot.i18n import Catalogs
from nlu.types import LANGUAGES
from tests.fakes import EchoTexts, KeywordNlu, TinyContent

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "bot" / "engine" / "flow_runner.py"
TABLE = {"plata": "cash_transfer", "lajan": "cash_transfer", "trabajo": "employability", "travay": "employability"}
START = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
ROUTES = ("employability", "health", "food", "cash_transfer", "shelter", "regularization", "asylum", "education")
CASH_ENTRY = 3  # route options: steps, services, the flow, menu, person
FREE = {"es": "🚫 La ayuda humanitaria es siempre gratis", "ht": "🚫 Èd imanitè toujou gratis"}
WORK_FREE = {"es": "🚫 Registrar tu hoja de vida", "ht": "🚫 Anrejistre CV ou"}


class Content(TinyContent):
    """TinyContent with the routes the flows offer."""

    def has_route(self, topic: str) -> bool:
        return topic in ROUTES


@pytest.fixture(scope="module")
def library() -> FlowLibrary:
    return FlowLibrary.load(REPO / "routes_content")


def make_engine(library: FlowLibrary, lang: str = "es") -> Engine:
    return Engine(KeywordNlu(TABLE, lang=lang), Content(), EchoTexts(), flows=library)


def idle(lang: str) -> ConversationState:
    return ConversationState(step="idle", lang=lang, consent_version=CONSENT_VERSION)


class Chat:
    """One person talking to the engine; ``at`` moves the clock."""

    def __init__(self, engine: Engine, lang: str) -> None:
        self.engine = engine
        self.state = idle(lang)
        self.at = START
        self.turns: list[Turn] = []

    def say(self, text: str) -> Turn:
        self.at += timedelta(seconds=30)
        turn = self.engine.handle(InboundMessage("test", "u1", f"m{len(self.turns)}", text, self.at), self.state)
        self.state = turn.state
        self.turns.append(turn)
        return turn

    def run(self, table: list[tuple[str, str]]) -> Turn:
        """Say each line and check that the answer contains the expected piece."""
        turn = None
        for text, expected in table:
            turn = self.say(text)
            answer = "\n".join(reply.text for reply in turn.replies)
            assert expected in answer, f"after {text!r} expected {expected!r} in:\n{answer}"
        assert turn is not None
        return turn


def options(turn: Turn) -> tuple[str, ...]:
    return turn.replies[-1].options


# -- the cash-transfer flow, every outcome, in Spanish and Creole -------------------------


def test_route_offers_the_flow(library: FlowLibrary) -> None:
    turn = Chat(make_engine(library), "es").say("quiero la ayuda de plata")
    assert options(turn)[CASH_ENTRY - 1] == "Ver si podría calificar para una ayuda en efectivo"


def test_cash_likely_eligible_in_spanish_with_typos_and_out_of_range(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    turn = chat.run(
        [
            ("ayuda de plata", "cash_transfer-intro-es"),
            (str(CASH_ENTRY), "¿Cuántas personas viven en tu hogar"),
            ("cuatro", "¿Cuántos niños"),
            ("25", "es|Sorry, I did not understand that answer. Escribe un solo número entre 0 y 19"),
            ("2", "¿Alguno de ellos tiene menos de 5 años?"),
            ("siii", "embarazada"),
            ("3", "60 años o más"),
            ("nop", "discapacidad"),
            ("prefiero no decir", "mujer sola"),
            ("claro", "comunidades indígenas"),
            ("2", "ingresos"),
            ("1", "¿Hace cuánto llegaste"),
            ("hace tres meses", "recibe ahora una ayuda en efectivo"),
            ("no", "¿En qué ciudad vives ahora?"),
            ("cucta", "*Resultado: podrías calificar*"),
        ]
    )
    text = turn.replies[0].text
    assert FREE["es"] in text and "Fiscalía (línea 122" in text
    assert "es|handoff_requested" in turn.replies[-1].text
    assert turn.handoff is not None and (turn.handoff.reason, turn.handoff.topic) == ("flow", "cash_transfer")
    answers = dict(turn.handoff.answers)
    assert answers["outcome"] == "likely_eligible" and answers["household_size"] == "4"
    assert answers["pregnant"] == "prefers not to say" and answers["arrival"] == "3 months ago"
    assert answers["city"] == "cucuta"
    assert turn.state.step == "with_person" and turn.state.flow is None and turn.state.city == "cucuta"
    assert chat.turns[3].understood is False


def answer_cash(chat: Chat, answers: list[str]) -> Turn:
    chat.say("plata")
    chat.say(str(CASH_ENTRY))
    turn = None
    for text in answers:
        turn = chat.say(text)
    assert turn is not None
    return turn


def test_cash_probably_not_eligible_in_spanish_offers_other_routes(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    #                    size children pregnant older disability other income arrival  cash  city
    turn = answer_cash(chat, ["1", "0", "no", "no", "no", "no", "3", "2 años", "no", "villa rosario"])
    assert turn.handoff is None
    assert "*Resultado: probablemente hoy no calificas*" in turn.replies[-1].text
    assert FREE["es"] in turn.replies[-1].text
    assert options(turn)[:3] == ("food-title-es", "employability-title-es", "shelter-title-es")
    assert turn.state.step == "idle" and turn.state.flow is None and turn.state.flow_answers == ()
    assert chat.say("1").replies[0].text.startswith("*food-title-es*")


def test_cash_needs_review_in_spanish_when_already_receiving(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    turn = answer_cash(chat, ["3", "1", "no", "no", "no", "no", "no", "no", "1", "marzo 2024", "si", "1"])
    assert "*Resultado: tu caso necesita revisión*" in turn.replies[0].text
    assert "Ya recibes una ayuda en efectivo" in turn.replies[0].text
    assert FREE["es"] in turn.replies[0].text
    assert turn.handoff is not None and dict(turn.handoff.answers)["outcome"] == "needs_review"


@pytest.mark.parametrize(
    ("answers", "heading", "handoff"),
    [
        #  size  children under5 pregnant older disability woman other income arrival cash city
        (["kat", "de", "wi", "non", "non", "non", "non", "non", "2", "twa mwa", "non", "kukuta"],
         "*Rezilta: ou ta ka kalifye*", True),
        (["youn", "0", "non", "non", "m pa konnen", "non", "3", "2 lane", "non", "2"],
         "*Rezilta: jodi a, petèt ou pa kalifye*", False),
        (["2", "0", "non", "wi", "non", "non", "non", "1", "m pa konnen", "non", "lòt vil"],
         "*Rezilta: yon moun dwe egzamine ka w la*", True),
    ],
)  # fmt: skip
def test_cash_every_outcome_in_creole(library: FlowLibrary, answers: list[str], heading: str, handoff: bool) -> None:
    chat = Chat(make_engine(library, "ht"), "ht")
    chat.say("mwen bezwen lajan")
    first = chat.say(str(CASH_ENTRY))
    assert "Konbyen moun ki rete lakay ou" in first.replies[-1].text
    assert "ht|Write MENU to pause or CANCEL to stop." in first.replies[0].text
    turn = None
    for text in answers:
        turn = chat.say(text)
    assert turn is not None
    assert heading in turn.replies[0].text and FREE["ht"] in turn.replies[0].text
    assert (turn.handoff is not None) is handoff


def test_creole_answer_not_understood_is_asked_again_in_creole(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library, "ht"), "ht")
    chat.say("lajan")
    chat.say(str(CASH_ENTRY))
    turn = chat.say("anpil anpil")
    assert "ht|Sorry, I did not understand that answer. Ekri yon sèl nimewo ant 1 ak 20" in turn.replies[0].text
    assert chat.say("blah").replies[0].text.count("ht|You can also write PERSON") == 1
    assert chat.say("senk").state.flow_answers == (("household_size", 5),)


# -- the employability flow --------------------------------------------------------------


def answer_work(chat: Chat, answers: list[str], entry: int = 3) -> Turn:
    chat.say("trabajo" if chat.state.lang == "es" else "travay")
    turn = chat.say(str(entry))
    for text in answers:
        turn = chat.say(text)
    return turn


def test_work_profile_without_handoff_in_spanish(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    #                     experience trade education document sena business city share
    turn = answer_work(chat, ["3", "1", "4", "1", "si", "sí", "cucuta", "no"])
    text = turn.replies[-1].text
    assert "*Tu perfil de trabajo está listo.* Según tus respuestas" in text
    for piece in ("www.serviciodeempleo.gov.co", "Con PPT puedes hacer cualquier trabajo legal", "*SENA:*",
                  "*Emprender:*", "Centro Intégrate", "convalida", WORK_FREE["es"]):  # fmt: skip
        assert piece in text
    assert turn.handoff is None
    assert "employability-steps-es" in options(turn) or "employability-title-es" in options(turn)


def test_work_profile_shared_in_creole_hands_off_the_profile(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library, "ht"), "ht")
    #                   experience education document sena business city  share
    turn = answer_work(chat, ["1", "1", "6", "non", "non", "2", "wi"])
    text = turn.replies[0].text
    assert "*Pwofil travay ou pare.* N ap pase l" in text and WORK_FREE["ht"] in text
    assert "wout regilarizasyon" in text and "Validación del Bachillerato" in text
    assert turn.handoff is not None and turn.handoff.topic == "employability"
    assert dict(turn.handoff.answers)["document"] == "none"
    assert "trade" not in dict(turn.handoff.answers)  # not asked without experience


# -- interruptions, resuming -------------------------------------------------------------


def test_menu_pauses_and_choosing_again_offers_continue_or_restart(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    answer_cash(chat, ["4", "2"])
    turn = chat.say("menu")
    assert turn.replies[0].text.startswith("es|Questionnaire paused.")
    assert turn.state.step == "idle" and turn.state.flow_answers == (("household_size", 4), ("children", 2))
    chat.say("plata")
    resume = chat.say(str(CASH_ENTRY))
    assert "es|You started this questionnaire before" in resume.replies[0].text
    assert options(resume) == ("es|Continue", "es|Start again", "es|Main menu")
    assert "¿Alguno de ellos tiene menos de 5 años?" in chat.say("1").replies[0].text
    chat.say("menu")
    chat.say("plata")
    chat.say(str(CASH_ENTRY))
    restart = chat.say("2")
    assert "Te haré unas 12 preguntas" in restart.replies[0].text and restart.state.flow_answers == ()


def test_cancel_stops_and_deletes_the_answers(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    answer_cash(chat, ["4"])
    turn = chat.say("cancelar")
    assert turn.replies[0].text.startswith("es|Questionnaire stopped. Your answers were deleted.")
    assert turn.state.flow is None and turn.state.flow_answers == () and turn.state.step == "idle"


def test_urgent_message_gets_emergency_lines_first_and_pauses_the_flow(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    answer_cash(chat, ["4"])
    turn = chat.say("urgent me quieren pegar")
    assert turn.replies[0].text.startswith("EMERGENCY-es")
    assert turn.handoff is not None and turn.handoff.urgent
    assert turn.state.step != "flow" and turn.state.flow_answers == (("household_size", 4),)


def test_person_mid_flow_hands_off_with_the_answers_so_far(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    answer_cash(chat, ["4", "0"])
    turn = chat.say("persona")
    assert turn.handoff is not None and (turn.handoff.reason, turn.handoff.topic) == ("asked", "cash_transfer")
    assert dict(turn.handoff.answers) == {
        "flow": "cash_transfer_eligibility", "household_size": "4", "children": "0", "outcome": "unfinished"
    }
    assert turn.state.step == "with_person"


def test_zero_answers_a_count_instead_of_opening_the_menu(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    turn = answer_cash(chat, ["4", "0"])
    assert "embarazada" in turn.replies[0].text


def test_language_change_asks_the_question_again_in_the_new_language(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    answer_cash(chat, ["4"])
    turn = chat.say("kreyol")
    assert turn.replies[0].text == "ht|Language changed."
    assert "Konbyen timoun" in turn.replies[1].text and turn.state.step == "flow"


def test_coming_back_the_next_day_asks_continue_or_restart(library: FlowLibrary) -> None:
    chat = Chat(make_engine(library), "es")
    answer_cash(chat, ["4"])
    chat.at += timedelta(days=1)
    turn = chat.say("2")
    assert "es|You started this questionnaire before" in turn.replies[0].text
    assert turn.state.flow_answers == (("household_size", 4),)  # "2" was not taken as an answer
    assert "¿Cuántos niños" in chat.say("1").replies[0].text


def test_a_removed_flow_is_forgotten(library: FlowLibrary) -> None:
    state = idle("es").evolve(step="flow", flow="gone", flow_question="q", flow_answers=(("q", 1),))
    engine = make_engine(library)
    turn = engine.handle(InboundMessage("test", "u1", "m1", "trabajo", START), state)
    assert turn.state.flow is None and "*employability-title-es*" in turn.replies[0].text


def test_flow_sentences_are_translated_in_every_language() -> None:
    found = extract_from_file("python", str(RUNNER), keywords={"_t": (2,)}, comment_tags=())
    ids = {str(message) for _, message, _, _ in found}
    assert "Sorry, I did not understand that answer." in ids
    catalogs = Catalogs.load()
    for lang in LANGUAGES:
        assert not ids - catalogs.ids(lang), f"{lang} lacks {sorted(ids - catalogs.ids(lang))}"
