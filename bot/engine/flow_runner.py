"""The guided-flow dialogue: start, ask, re-ask, pause, resume and finish a questionnaire.

Progress lives in ConversationState (``flow``, ``flow_question``, ``flow_answers``,
``flow_at``), so it survives restarts. While a question waits (step ``flow``):

    urgent message  ->  flow paused; the engine has said the emergency lines, then answers it
    MENU            ->  flow paused (answers kept), main menu
    CANCEL          ->  flow stopped, answers deleted, main menu
    PERSON          ->  flow paused, handoff to the flow's team with the answers so far
    DELETE          ->  flow paused; the engine asks the deletion question
    a language name ->  language changed, question asked again
    back after a long pause -> "continue or start again?"
    otherwise       ->  the answer (or the question again, when not understood)

The runner never builds a HandoffRequest: it returns a FlowTurn and the engine acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.engine.keywords import CANCEL_WORDS, DELETE_WORDS, MENU_WORDS, PERSON_WORDS, fold, language_named
from bot.engine.ports import ContentCatalog, FlowBook, FlowPrompt, FlowReply, FlowValue, GuidedFlow, Texts
from bot.engine.state import ConversationState
from nlu.types import Prediction

RESUME_AFTER = timedelta(hours=6)  # a longer pause asks "continue or start again?"
HELP_AFTER = 2  # answers not understood in a row before PERSON and MENU are suggested
CITY_NAMES = {"cucuta": "Cúcuta", "villa_del_rosario": "Villa del Rosario"}
Options = tuple[tuple[str, str], ...]


class FlowDraft(Protocol):
    """The part of the engine's turn in progress that the runner reads and changes."""

    state: ConversationState
    lang: str
    understood: bool
    prediction: Prediction | None
    received_at: datetime

    def say(self, text: str, options: Options = ()) -> None: ...


@dataclass(frozen=True)
class FlowHandoff:
    """Hand the conversation to the flow's team, with the answers given."""

    reason: str  # flow (an outcome asks for it) | asked (the person wrote PERSON)
    team: str
    answers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FlowTurn:
    """What the engine still has to do after the runner."""

    consumed: bool = True  # False: the engine answers the message as usual (flow paused)
    menu_intro: str | None = None  # show the main menu with this first line
    handoff: FlowHandoff | None = None


_PASS = FlowTurn(consumed=False)
_DONE = FlowTurn()


class FlowRunner:
    """Runs the guided flows of a FlowBook inside the engine's turns."""

    def __init__(self, book: FlowBook, content: ContentCatalog, texts: Texts) -> None:
        self._book = book
        self._content = content
        self._texts = texts

    def entries(self, topic: str, lang: str) -> Options:
        """The options that start the flows a route offers ("Check if you may qualify")."""
        return tuple((f"flow:{flow.id}", flow.entry(lang)) for flow in self._book.flows_for(topic))

    # -- entering ------------------------------------------------------------------------

    def open(self, draft: FlowDraft, flow_id: str) -> FlowTurn:
        """The person chose the flow: continue-or-restart when it was left half done, else start."""
        flow = self._book.flow(flow_id)
        if flow is None:
            return FlowTurn(menu_intro=self._t(draft, "Main menu."))
        state = draft.state
        if state.flow == flow_id and state.flow_question is not None and state.flow_answers:
            self._offer_resume(draft, flow)
            return _DONE
        return self.restart(draft, flow_id)

    def restart(self, draft: FlowDraft, flow_id: str) -> FlowTurn:
        """Start the flow from its first question, forgetting earlier answers."""
        flow = self._book.flow(flow_id)
        if flow is None:
            return FlowTurn(menu_intro=self._t(draft, "Main menu."))
        draft.state = _cleared(draft.state).evolve(flow=flow.id, topic=flow.topic)
        pause = self._t(draft, "Write MENU to pause or CANCEL to stop.")
        draft.say(f"{flow.intro(draft.lang)}\n\n{pause}")
        return self._advance(draft, flow, dict(draft.state.flow_answers))

    def resume(self, draft: FlowDraft, flow_id: str) -> FlowTurn:
        """Ask the question the person had reached."""
        flow = self._book.flow(flow_id)
        if flow is None or draft.state.flow != flow_id:
            return self.restart(draft, flow_id)
        return self._advance(draft, flow, dict(draft.state.flow_answers))

    # -- a message while a question waits ------------------------------------------------

    def receive(self, draft: FlowDraft, text: str, city: str | None) -> FlowTurn:
        """Handle a message in step ``flow``; ``city`` is a city the NLU or the places found."""
        flow = self._book.flow(draft.state.flow or "")
        answers = dict(draft.state.flow_answers)
        prompt = flow.next_question(answers, draft.lang) if flow is not None else None
        if flow is None or prompt is None:  # the flow left the content: forget it
            draft.state = _cleared(draft.state).evolve(step="idle")
            return _PASS
        interruption = self._interruption(draft, flow, prompt, fold(text))
        if interruption is not None:
            return interruption
        if self._is_stale(draft.state, draft.received_at):
            self._offer_resume(draft, flow)
            return _DONE
        if prompt.id != draft.state.flow_question:  # the flow file changed meanwhile
            return self._advance(draft, flow, answers)
        answer = flow.read(prompt.id, FlowReply(text, draft.lang, draft.received_at.date(), city))
        if answer is None:
            self._ask_again(draft, prompt)
            return _DONE
        if prompt.kind == "city" and isinstance(answer.value, str):
            draft.state = draft.state.evolve(city=answer.value)
        return self._advance(draft, flow, {**answers, prompt.id: answer.value})

    def _interruption(
        self, draft: FlowDraft, flow: GuidedFlow, prompt: FlowPrompt, folded: str
    ) -> FlowTurn | None:
        if draft.prediction is not None and draft.prediction.urgent:
            draft.state = draft.state.evolve(step="idle")
            return _PASS
        if folded in CANCEL_WORDS:
            draft.state = _cleared(draft.state).evolve(step="idle")
            return FlowTurn(menu_intro=self._t(draft, "Questionnaire stopped. Your answers were deleted."))
        if folded in MENU_WORDS and not (folded == "0" and prompt.kind in ("number", "months_ago")):
            draft.state = draft.state.evolve(step="idle")
            return FlowTurn(menu_intro=self._t(draft, "Questionnaire paused. Choose it again to continue."))
        if folded in PERSON_WORDS:
            draft.state = draft.state.evolve(step="idle")
            answers = (*flow.summary(dict(draft.state.flow_answers)), ("outcome", "unfinished"))
            return FlowTurn(handoff=FlowHandoff("asked", flow.team, answers))
        if folded in DELETE_WORDS:
            draft.state = draft.state.evolve(step="idle")
            return _PASS
        if (code := language_named(folded)) is not None:
            draft.lang = code
            draft.state = draft.state.evolve(lang=code)
            relabelled = flow.next_question(dict(draft.state.flow_answers), code) or prompt
            draft.say(self._t(draft, "Language changed."))
            draft.say(relabelled.text, self._answer_options(draft, relabelled))
            return _DONE
        return None

    # -- asking and finishing ------------------------------------------------------------

    def _advance(self, draft: FlowDraft, flow: GuidedFlow, answers: dict[str, FlowValue]) -> FlowTurn:
        """Ask the next question (a city already known is not asked again), or finish."""
        while (prompt := flow.next_question(answers, draft.lang)) is not None:
            if prompt.kind == "city" and draft.state.city is not None:
                answers[prompt.id] = draft.state.city
                continue
            draft.state = draft.state.evolve(
                step="flow",
                flow_question=prompt.id,
                flow_answers=tuple(answers.items()),
                flow_at=draft.received_at.isoformat(),
                misunderstood=0,
            )
            draft.say(prompt.text, self._answer_options(draft, prompt))
            return _DONE
        return self._finish(draft, flow, answers)

    def _ask_again(self, draft: FlowDraft, prompt: FlowPrompt) -> None:
        misunderstood = draft.state.misunderstood + 1
        draft.understood = False
        draft.state = draft.state.evolve(misunderstood=misunderstood, flow_at=draft.received_at.isoformat())
        sorry = self._t(draft, "Sorry, I did not understand that answer.")
        text = f"{sorry} {prompt.hint}"
        if misunderstood >= HELP_AFTER:
            text += "\n" + self._t(draft, "You can also write PERSON to talk to our team, or MENU to pause.")
        draft.say(f"{text}\n\n{prompt.text}", self._answer_options(draft, prompt))

    def _finish(self, draft: FlowDraft, flow: GuidedFlow, answers: dict[str, FlowValue]) -> FlowTurn:
        result = flow.result(answers, draft.lang)
        summary = (*flow.summary(answers), ("outcome", result.outcome))
        draft.state = _cleared(draft.state).evolve(step="idle", topic=flow.topic, misunderstood=0)
        if result.handoff:
            draft.say(result.text)
            return FlowTurn(handoff=FlowHandoff("flow", flow.team, summary))
        offers = tuple((action, self._offer_label(draft, action)) for action in result.offers)
        tail = (("menu", self._t(draft, "Main menu")), ("person", self._t(draft, "Talk to a person")))
        draft.say(result.text, (*offers, *(t for t in tail if t[0] not in result.offers)))
        return _DONE

    def _offer_resume(self, draft: FlowDraft, flow: GuidedFlow) -> None:
        draft.state = draft.state.evolve(step="idle")
        draft.say(
            self._t(
                draft,
                "You started this questionnaire before: {title}. Continue where you left off, "
                "or start again?",
                title=flow.entry(draft.lang),
            ),
            (
                (f"flowgo:{flow.id}", self._t(draft, "Continue")),
                (f"flownew:{flow.id}", self._t(draft, "Start again")),
                ("menu", self._t(draft, "Main menu")),
            ),
        )

    # -- helpers -------------------------------------------------------------------------

    def _answer_options(self, draft: FlowDraft, prompt: FlowPrompt) -> Options:
        generic = {
            "yes": self._t(draft, "Yes"),
            "no": self._t(draft, "No"),
            "skip": self._t(draft, "I prefer not to say"),
            "other": self._t(draft, "Another city"),
            **CITY_NAMES,
        }
        return tuple((f"answer:{key}", label or generic.get(key, key)) for key, label in prompt.options)

    def _offer_label(self, draft: FlowDraft, action: str) -> str:
        kind, _, rest = action.partition(":")
        if kind == "topic":
            return self._content.topic_title(rest, draft.lang)
        if kind == "section":
            topic, _, section = rest.partition(":")
            route = self._content.route(topic, draft.lang, draft.state.city)
            return next((title for sid, title in route.sections if sid == section), route.title)
        if kind == "person":
            return self._t(draft, "Talk to a person")
        return self._t(draft, "Main menu")

    def _is_stale(self, state: ConversationState, now: datetime) -> bool:
        if state.flow_at is None:
            return False
        try:
            return now - datetime.fromisoformat(state.flow_at) > RESUME_AFTER
        except (ValueError, TypeError):  # unreadable or naive time: ask rather than guess
            return True

    def _t(self, draft: FlowDraft, message: str, **params: object) -> str:
        return self._texts.gettext(draft.lang, message, **params)


def _cleared(state: ConversationState) -> ConversationState:
    return state.evolve(flow=None, flow_question=None, flow_answers=(), flow_at=None)
