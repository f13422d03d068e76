"""The conversation engine: one inbound message plus the stored state in, replies and new state out.

The engine sends nothing and stores nothing: it returns a Turn, and the caller (bot.inbox)
stores it and hands the replies to the outbox. Order of precedence for every message:

    urgent risk  ->  emergency lines first, always (then the rest of the answer)
    new contact  ->  privacy notice + language choice (choosing records consent)
    a number     ->  the option it picks
    keyword      ->  menu / person / delete / a language name
    waiting step ->  city answer, delete confirmation, a guided flow's question (bot.engine.flow_runner)
    otherwise    ->  the NLU's intent: a care route, a clarification menu, or a conversation reply
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.engine.flow_runner import FlowRunner, FlowTurn
from bot.engine.keywords import (
    CANCEL_WORDS,
    DELETE_WORDS,
    MENU_WORDS,
    NO_WORDS,
    PERSON_WORDS,
    YES_WORDS,
    fold,
    language_named,
    parse_number,
)
from bot.engine.messages import InboundMessage, OutboundMessage
from bot.engine.ports import (
    MESSAGE_BREAK,
    AlwaysOnDesk,
    ContentCatalog,
    DeskOutlook,
    FlowBook,
    HandoffDesk,
    NoFlows,
    Texts,
    Understander,
)
from bot.engine.state import ConversationState
from nlu.types import LANGUAGES, TOPICS, Prediction

CONSENT_VERSION = "2026-11-24"
CONFIDENT = 0.5  # below this a topic is offered as a choice, not answered
MAX_MISUNDERSTOOD = 2  # failed understandings in a row before a person is offered
LANGUAGE_NAMES = {"es": "Español", "en": "English", "pt": "Português", "fr": "Français", "ht": "Kreyòl"}
CITY_OPTIONS = ("cucuta", "villa_del_rosario", "other")
SERVICES_SECTION = "services"  # the "where to go" section the content adds from its directory


@dataclass(frozen=True)
class HandoffRequest:
    """The engine asks for a person to take over (the handoff queue is outside the engine)."""

    reason: str  # asked | misunderstood | urgent | flow
    topic: str | None
    urgent: bool
    answers: tuple[tuple[str, str], ...] = ()  # a guided flow's answers, for the caseworker


@dataclass(frozen=True)
class Turn:
    """What the engine decided for one message."""

    replies: tuple[OutboundMessage, ...]
    state: ConversationState
    prediction: Prediction | None = None
    understood: bool = True
    handoff: HandoffRequest | None = None
    erase: bool = False
    forwarded: bool = False  # the message is for the caseworker of the open case
    handoff_cancelled: bool = False  # the person went back to the bot


@dataclass
class _Draft:
    """A Turn being built: replies collected in order, state evolved as actions run."""

    state: ConversationState
    lang: str
    prediction: Prediction | None = None
    replies: list[OutboundMessage] = field(default_factory=list)
    understood: bool = True
    handoff: HandoffRequest | None = None
    erase: bool = False
    forwarded: bool = False
    handoff_cancelled: bool = False
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def say(self, text: str, options: tuple[tuple[str, str], ...] = ()) -> None:
        """Add a reply; ``options`` are (action, label) pairs remembered for a number pick."""
        *first, last = text.split(MESSAGE_BREAK)
        self.replies.extend(OutboundMessage(part) for part in first)
        self.replies.append(OutboundMessage(last, tuple(label for _, label in options)))
        if options:
            self.state = self.state.evolve(options=tuple(action for action, _ in options))

    def finish(self) -> Turn:
        return Turn(
            replies=tuple(self.replies),
            state=self.state.evolve(lang=self.lang) if self.state.step != "new" else self.state,
            prediction=self.prediction,
            understood=self.understood,
            handoff=self.handoff,
            erase=self.erase,
            forwarded=self.forwarded,
            handoff_cancelled=self.handoff_cancelled,
        )


class Engine:
    """Decides the replies to each message from the NLU, the content and the texts."""

    def __init__(
        self,
        nlu: Understander,
        content: ContentCatalog,
        texts: Texts,
        *,
        default_lang: str = "es",
        max_nlu_chars: int = 2000,
        desk: HandoffDesk | None = None,
        flows: FlowBook | None = None,
    ) -> None:
        self._desk = desk or AlwaysOnDesk()
        self._flows = FlowRunner(flows or NoFlows(), content, texts)
        self._nlu = nlu
        self._content = content
        self._texts = texts
        self._default_lang = default_lang
        self._max_nlu_chars = max_nlu_chars

    def handle(self, message: InboundMessage, state: ConversationState) -> Turn:
        """Answer one message given the stored state."""
        text = message.text.strip()
        prediction = self._predict(text, state) if text else None
        lang = state.lang or (prediction.lang if prediction else self._default_lang)
        draft = _Draft(state=state, lang=lang, prediction=prediction, received_at=message.received_at)
        if prediction is not None and prediction.urgent:
            self._emergency(draft, prediction)
        if state.consent_version not in (None, CONSENT_VERSION):
            self._notice_changed(draft)
        if state.step in ("new", "choose_lang"):
            self._first_contact(draft, text)
        elif not text and message.location is None and not message.media:
            draft.say(self._t(draft, "Your message arrived empty. Write your question in words, or type MENU."))
        else:
            self._dispatch(draft, message, text)
        if draft.handoff is not None and draft.handoff.urgent and draft.state.step == "idle":
            draft.state = draft.state.evolve(step="with_person")
        return draft.finish()

    def handle_unstored(self, message: InboundMessage) -> Turn:
        """Answer when nothing can be stored or read: the emergency lines for an urgent message,
        then an honest apology; no state, no consent, nothing remembered."""
        text = message.text.strip()
        prediction = self._predict(text, ConversationState()) if text else None
        draft = _Draft(state=ConversationState(), lang=prediction.lang if prediction else self._default_lang)
        draft.prediction = prediction
        if prediction is not None and prediction.urgent:
            topic = prediction.intent if prediction.intent in TOPICS else None
            draft.say(self._content.emergency_block(draft.lang, topic))
        draft.say(
            self._t(
                draft,
                "We have a technical problem and could not read your message. "
                "Please write again in a few minutes. If you are in danger, call 123.",
            )
        )
        return draft.finish()

    # -- first contact and consent -------------------------------------------------------

    def _first_contact(self, draft: _Draft, text: str) -> None:
        folded = fold(text)
        choice = self._language_choice(draft.state, text, folded)
        if draft.state.step == "choose_lang" and choice is not None:
            draft.lang = choice
            draft.state = draft.state.evolve(
                step="idle", lang=choice, consent_version=CONSENT_VERSION, options=()
            )
            self._after_consent(draft)
            return
        if draft.state.step == "new" and (named := language_named(folded)) is not None:
            draft.lang = named
        elif draft.state.step == "new" and self._is_confident_topic(draft.prediction):
            assert draft.prediction is not None
            draft.state = draft.state.evolve(pending_topic=draft.prediction.intent)
        draft.state = draft.state.evolve(step="choose_lang")
        draft.say(self._t(draft, "privacy_notice"), self._language_options())

    @staticmethod
    def _is_confident_topic(prediction: Prediction | None) -> bool:
        return prediction is not None and prediction.intent in TOPICS and prediction.confidence >= CONFIDENT

    def _notice_changed(self, draft: _Draft) -> None:
        """A changed privacy notice is shown once; continuing after it is the new consent."""
        draft.say(self._t(draft, "privacy_notice_updated"))
        draft.state = draft.state.evolve(consent_version=CONSENT_VERSION)

    def _language_choice(self, state: ConversationState, text: str, folded: str) -> str | None:
        number = parse_number(text)
        if number is not None and 1 <= number <= len(LANGUAGES):
            return LANGUAGES[number - 1]
        return language_named(folded)

    def _language_options(self) -> tuple[tuple[str, str], ...]:
        return tuple((f"lang:{code}", LANGUAGE_NAMES[code]) for code in LANGUAGES)

    def _after_consent(self, draft: _Draft) -> None:
        topic = draft.state.pending_topic
        draft.state = draft.state.evolve(pending_topic=None)
        if topic is not None:
            draft.say(self._t(draft, "Thank you. Here is the information for what you asked:"))
            self._show_topic(draft, topic)
        else:
            self._menu(draft, self._t(draft, "welcome"))

    # -- dispatch ------------------------------------------------------------------------

    def _dispatch(self, draft: _Draft, message: InboundMessage, text: str) -> None:
        folded = fold(text)
        number = parse_number(text)
        if number is None and draft.prediction is not None and len(folded.split()) <= 2:
            number = draft.prediction.entities.number  # "dos", "la 2", "opcion 3"
        if draft.state.step == "confirm_delete" and self._confirm_delete(draft, folded, number):
            return
        if draft.state.step == "with_person":
            self._with_person(draft, folded, number)
            return
        if draft.state.step == "flow" and self._flow_answer(draft, message):
            return
        if folded in MENU_WORDS:
            self._menu(draft, self._t(draft, "Main menu."))
        elif number is not None and draft.state.options:
            self._pick(draft, number)
        elif folded in PERSON_WORDS:
            self._request_person(draft, "asked")
        elif folded in DELETE_WORDS:
            self._ask_delete(draft)
        elif (code := language_named(folded)) is not None:
            self._set_language(draft, code)
        elif message.location is not None:
            self._near(draft, message)
        elif draft.state.step == "ask_city" and self._answer_city(draft, text):
            return
        elif not text and message.media:
            self._media(draft)
        else:
            self._understand(draft)

    def _pick(self, draft: _Draft, number: int) -> None:
        options = draft.state.options
        if not 1 <= number <= len(options):
            draft.understood = False
            draft.say(self._t(draft, "Please choose a number from 1 to {count}.", count=len(options)))
            return
        self._do(draft, options[number - 1])

    def _do(self, draft: _Draft, action: str) -> None:
        kind, _, arg = action.partition(":")
        handlers: dict[str, Callable[[], None]] = {
            "menu": lambda: self._menu(draft, self._t(draft, "Main menu.")),
            "topic": lambda: self._show_topic(draft, arg),
            "section": lambda: self._show_section(draft, *arg.split(":", 1)),
            "city": lambda: self._set_city(draft, arg),
            "person": lambda: self._request_person(draft, "asked"),
            "lang": lambda: self._set_language(draft, arg),
            "langmenu": lambda: draft.say(self._t(draft, "Choose your language:"), self._language_options()),
            "delete": lambda: self._ask_delete(draft),
            "erase": lambda: self._erase(draft),
            "flow": lambda: self._after_flow(draft, self._flows.open(draft, arg)),
            "flowgo": lambda: self._after_flow(draft, self._flows.resume(draft, arg)),
            "flownew": lambda: self._after_flow(draft, self._flows.restart(draft, arg)),
        }
        handlers.get(kind, lambda: self._menu(draft, self._t(draft, "Main menu.")))()

    # -- understanding -------------------------------------------------------------------

    def _predict(self, text: str, state: ConversationState) -> Prediction:
        window = text if len(text) <= self._max_nlu_chars else text[: self._max_nlu_chars]
        return self._nlu.predict(window, lang=state.lang)

    def _understand(self, draft: _Draft) -> None:
        prediction = draft.prediction
        if prediction is None:  # pragma: no cover - text is non-empty here
            return
        if prediction.entities.city and prediction.entities.city != draft.state.city:
            draft.state = draft.state.evolve(city=prediction.entities.city)
        intent = prediction.intent
        if intent in TOPICS and (prediction.confidence >= CONFIDENT or prediction.urgent):
            draft.state = draft.state.evolve(misunderstood=0)
            self._show_topic(draft, intent)
            return
        replies: dict[str, Callable[[], None]] = {
            "greeting": lambda: self._menu(draft, self._t(draft, "Hello! I am Puente.")),
            "menu_help": lambda: self._menu(draft, self._t(draft, "menu_help")),
            "thanks": lambda: draft.say(self._t(draft, "You're welcome. Type MENU whenever you need something else.")),
            "goodbye": lambda: draft.say(self._t(draft, "Take care. You can write again at any time.")),
            "human_handoff": lambda: self._request_person(draft, "asked"),
            "delete_data": lambda: self._ask_delete(draft),
        }
        if intent in replies and prediction.confidence >= CONFIDENT:
            draft.state = draft.state.evolve(misunderstood=0)
            replies[intent]()
        else:
            self._not_understood(draft, prediction)

    def _not_understood(self, draft: _Draft, prediction: Prediction) -> None:
        draft.understood = False
        misunderstood = draft.state.misunderstood + 1
        draft.state = draft.state.evolve(misunderstood=misunderstood)
        if misunderstood >= MAX_MISUNDERSTOOD:
            draft.state = draft.state.evolve(misunderstood=0)
            draft.say(
                self._t(
                    draft, "I am sorry, I am not understanding you. Would you like to talk to a person from our team?"
                ),
                (("person", self._t(draft, "Talk to a person")), ("menu", self._t(draft, "Main menu"))),
            )
            return
        candidates = [prediction.intent, *(intent for intent, _ in prediction.alternatives)]
        topics = [t for t in dict.fromkeys(candidates) if t in TOPICS and self._content.has_route(t)][:3]
        confident_out_of_scope = prediction.intent == "out_of_scope" and prediction.confidence >= CONFIDENT
        if topics and not confident_out_of_scope:
            options = tuple((f"topic:{t}", self._content.topic_title(t, draft.lang)) for t in topics)
            draft.say(
                self._t(draft, "I am not sure I understood. Is it about one of these?"),
                (*options, ("menu", self._t(draft, "Something else (main menu)"))),
            )
        else:
            self._menu(draft, self._t(draft, "out_of_scope"))

    # -- routes and places -------------------------------------------------------------

    def _show_topic(self, draft: _Draft, topic: str) -> None:
        if topic not in TOPICS or not self._content.has_route(topic):
            self._menu(draft, self._t(draft, "Main menu."))
            return
        route = self._content.route(topic, draft.lang, draft.state.city)
        draft.state = draft.state.evolve(step="idle", topic=topic, pending_topic=None)
        sections = tuple((f"section:{topic}:{sid}", title) for sid, title in route.sections)
        flows = self._flows.entries(topic, draft.lang)
        draft.say(f"*{route.title}*\n\n{route.intro}", (*sections, *flows, *self._tail_options(draft)))

    def _show_section(self, draft: _Draft, topic: str, section_id: str) -> None:
        if section_id == SERVICES_SECTION and self._content.needs_city(topic) and draft.state.city is None:
            draft.state = draft.state.evolve(step="ask_city", pending_topic=topic)
            ask = self._t(draft, "In which city are you? I will show the services closest to you.")
            draft.say(ask, self._city_options(draft))
            return
        route = self._content.route(topic, draft.lang, draft.state.city)
        text = self._content.section(topic, section_id, draft.lang, draft.state.city)
        others = tuple(
            (f"section:{topic}:{sid}", title) for sid, title in route.sections if sid != section_id
        )
        draft.state = draft.state.evolve(topic=topic)
        draft.say(text, (*others, *self._flows.entries(topic, draft.lang), *self._tail_options(draft)))

    def _tail_options(self, draft: _Draft) -> tuple[tuple[str, str], ...]:
        return (("menu", self._t(draft, "Main menu")), ("person", self._t(draft, "Talk to a person")))

    def _city_options(self, draft: _Draft) -> tuple[tuple[str, str], ...]:
        labels = {"cucuta": "Cúcuta", "villa_del_rosario": "Villa del Rosario", "other": self._t(draft, "Another city")}
        return tuple((f"city:{city}", labels[city]) for city in CITY_OPTIONS)

    def _answer_city(self, draft: _Draft, text: str) -> bool:
        prediction = draft.prediction
        city = prediction.entities.city if prediction else None
        if city is None and (place := self._content.find_place(text)) is not None:
            city = place.city
        if city is None:
            if prediction is not None and prediction.intent in TOPICS and prediction.confidence >= CONFIDENT:
                return False  # a new question, not a city: answer it instead
            draft.say(self._t(draft, "I did not recognise that city. Choose one:"), self._city_options(draft))
            return True
        self._set_city(draft, city)
        return True

    def _set_city(self, draft: _Draft, city: str) -> None:
        topic = draft.state.pending_topic or draft.state.topic
        draft.state = draft.state.evolve(city=city, step="idle", pending_topic=None)
        if topic and self._content.has_route(topic):
            self._show_section(draft, topic, SERVICES_SECTION)
        else:
            self._menu(draft, self._t(draft, "Main menu."))

    # -- guided flows (bot.engine.flow_runner) -------------------------------------------

    def _flow_answer(self, draft: _Draft, message: InboundMessage) -> bool:
        """A message while a flow question waits; False lets the usual dispatch answer it."""
        city = draft.prediction.entities.city if draft.prediction else None
        if city is None and (place := self._content.find_place(message.text)) is not None:
            city = place.city
        turn = self._flows.receive(draft, message.text, city)
        self._after_flow(draft, turn)
        return turn.consumed

    def _after_flow(self, draft: _Draft, turn: FlowTurn) -> None:
        if turn.menu_intro is not None:
            self._menu(draft, turn.menu_intro)
        if turn.handoff is not None:
            request = turn.handoff
            draft.handoff = HandoffRequest(request.reason, request.team, False, request.answers)
            draft.state = draft.state.evolve(topic=request.team)
            self._request_person(draft, request.reason)

    def _near(self, draft: _Draft, message: InboundMessage) -> None:
        assert message.location is not None
        topic = draft.state.topic or draft.state.pending_topic
        if topic is None:
            self._menu(draft, self._t(draft, "Thank you for your location. What do you need help with?"))
            return
        draft.state = draft.state.evolve(step="idle", pending_topic=None, topic=topic)
        text = self._content.nearest_services(topic, draft.lang, message.location)
        draft.say(text, self._tail_options(draft))

    def _media(self, draft: _Draft) -> None:
        draft.understood = False
        draft.say(
            self._t(
                draft,
                "I cannot open pictures, audio or files. Please write your question in words, or talk to a person.",
            ),
            (("person", self._t(draft, "Talk to a person")), ("menu", self._t(draft, "Main menu"))),
        )

    # -- menu, language, person, delete, emergency ---------------------------------------

    def _menu(self, draft: _Draft, intro: str) -> None:
        titles = ((t, self._content.topic_title(t, draft.lang)) for t in TOPICS if self._content.has_route(t))
        topics = tuple((f"topic:{t}", title) for t, title in titles)
        extras = (
            ("person", self._t(draft, "Talk to a person")),
            ("langmenu", "Idioma / Language / Lang"),
            ("delete", self._t(draft, "Delete my data")),
        )
        draft.state = draft.state.evolve(step="idle", pending_topic=None)
        draft.say(f"{intro}\n{self._t(draft, 'Write your question, or choose a number:')}", (*topics, *extras))

    def _set_language(self, draft: _Draft, code: str) -> None:
        if code not in LANGUAGES:
            code = self._default_lang
        draft.lang = code
        draft.state = draft.state.evolve(lang=code)
        self._menu(draft, self._t(draft, "Language changed."))

    def _request_person(self, draft: _Draft, reason: str) -> None:
        topic = draft.state.topic
        if draft.handoff is None:
            draft.handoff = HandoffRequest(reason=reason, topic=topic, urgent=False)
        draft.state = draft.state.evolve(misunderstood=0, step="with_person", options=())
        outlook = self._desk.outlook(topic, urgent=False)
        draft.say(f"{self._t(draft, 'handoff_requested')}{self._wait_text(draft, outlook)}")

    def _with_person(self, draft: _Draft, folded: str, number: int | None) -> None:
        """While a case is open, messages go to the caseworker; MENU or CANCEL go back to the bot.

        Numbered options still shown (the route sent with an urgent answer) keep working, so a
        person waiting for a caseworker can still read the route.
        """
        options = draft.state.options
        picked = options[number - 1] if number is not None and 1 <= number <= len(options) else None
        if folded in MENU_WORDS or folded in CANCEL_WORDS or picked == "menu":
            draft.handoff_cancelled = True
            back = self._t(draft, "You are back with the assistant. Your request to talk to a person was cancelled.")
            self._menu(draft, back)
        elif folded in DELETE_WORDS:
            self._ask_delete(draft)
        elif picked is not None and picked != "person":
            self._do(draft, picked)
            draft.state = draft.state.evolve(step="with_person")
        else:
            draft.forwarded = True

    def _wait_text(self, draft: _Draft, outlook: DeskOutlook) -> str:
        if not outlook.on_duty:
            hours = outlook.hours or "-"
            closed = self._t(
                draft,
                "Nobody from our team is working right now (hours: {hours}). "
                "We will answer as soon as we are back. If you are in danger, call 123.",
                hours=hours,
            )
            return f"\n\n{closed}"
        if outlook.wait_minutes is not None:
            wait = self._t(draft, "Expected wait: about {minutes} minutes.", minutes=outlook.wait_minutes)
            return f"\n\n{wait}"
        return ""

    def _ask_delete(self, draft: _Draft) -> None:
        draft.state = draft.state.evolve(step="confirm_delete")
        draft.say(
            self._t(draft, "delete_confirm"),
            (("erase", self._t(draft, "Yes, delete everything")), ("menu", self._t(draft, "No, keep my data"))),
        )

    def _confirm_delete(self, draft: _Draft, folded: str, number: int | None) -> bool:
        if folded in YES_WORDS or (number == 1):
            self._erase(draft)
            return True
        if folded in NO_WORDS or number == 2:
            draft.state = draft.state.evolve(step="idle")
            self._menu(draft, self._t(draft, "Nothing was deleted."))
            return True
        draft.state = draft.state.evolve(step="idle")
        return False

    def _erase(self, draft: _Draft) -> None:
        draft.erase = True
        draft.state = ConversationState()
        draft.say(self._t(draft, "delete_done"))

    def _emergency(self, draft: _Draft, prediction: Prediction) -> None:
        """Emergency lines first; a top-priority handoff; honesty when nobody is on duty."""
        topic = prediction.intent if prediction.intent in TOPICS else None
        block = self._content.emergency_block(draft.lang, topic)
        draft.say(block)
        draft.handoff = HandoffRequest(reason="urgent", topic=topic, urgent=True)
        outlook = self._desk.outlook(topic, urgent=True)
        if outlook.on_duty:
            draft.say(self._t(draft, "urgent_handoff"))
        else:
            draft.say(f"{self._wait_text(draft, outlook).strip()}\n\n{block}")

    def _t(self, draft: _Draft, message: str, **params: object) -> str:
        return self._texts.gettext(draft.lang, message, **params)
