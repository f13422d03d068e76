"""Whole conversations through the real engine, NLU, content and database (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Puente
from bot.engine.messages import InboundMessage
from nlu.types import LANGUAGES

REPO = Path(__file__).resolve().parent.parent


def say(puente: Puente, lines: list[str], user: str = "+573001234567") -> list[list[str]]:
    """Each line's replies (texts with their numbered options), in order."""
    out: list[list[str]] = []
    for i, line in enumerate(lines):
        message = InboundMessage("whatsapp", user, f"{user}-{i}", line, datetime.now(UTC))
        replies = puente.inbox.receive(message).replies
        out.append([_render(r.message.text, r.message.options) for r in replies])
    return out


def _render(text: str, options: tuple[str, ...]) -> str:
    return text + "".join(f"\n{n}. {o}" for n, o in enumerate(options, 1))


def test_privacy_notice_then_employability_route(puente: Puente) -> None:
    notice, welcome, route = say(puente, ["hola", "1", "necesito trabajo"])
    assert "Ley 1581 de 2012" in notice[0] and "BORRAR" in notice[0]
    assert "1. Español" in notice[0]
    assert welcome  # the main menu
    title = puente.content.catalog.topic_title("employability", "es")
    assert route[0].startswith(f"*{title}*")


def test_gbv_route_in_spanish_has_line_155_and_protection_measure(puente: Puente) -> None:
    *_, answer = say(puente, ["hola", "1", "mi esposo me pega"])
    text = "\n".join(answer)
    assert "155" in text
    assert "medida de protección" in text.lower()


def test_gbv_route_in_haitian_creole_has_the_same_facts(puente: Puente) -> None:
    *_, answer = say(puente, ["bonjou", "5", "mari m ap bat mwen"])
    text = "\n".join(answer)
    title = puente.content.catalog.topic_title("gbv", "ht")
    assert f"*{title}*" in text
    assert "155" in text


def test_urgent_message_gets_emergency_lines_before_anything_else(puente: Puente) -> None:
    *_, answer = say(puente, ["hola", "1", "mi marido me esta pegando ahora mismo, tengo miedo que me mate"])
    assert "123" in answer[0]


def test_urgent_first_message_gets_lines_before_the_privacy_notice(puente: Puente) -> None:
    (answer,) = say(puente, ["me quiero matar esta noche"])
    assert "123" in answer[0]
    assert any("Ley 1581" in text for text in answer[1:])


@pytest.mark.parametrize("text", ["", "😀😀😀", "x" * 20000, "asdfghjkl"])
def test_bad_input_gets_a_clear_reply(puente: Puente, text: str) -> None:
    *_, answer = say(puente, ["hola", "1", text])
    assert answer and all(reply.strip() for reply in answer)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_chat_command_prints_notice_then_route(puente_environ: dict[str, str]) -> None:
    """`echo -e "hola\\n1\\nnecesito trabajo" | puente chat`, as the README shows."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="hola\n1\nnecesito trabajo\n",
        capture_output=True,
        text=True,
        env={**os.environ, **puente_environ},
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    notice = result.stdout.index("Ley 1581 de 2012")
    route = result.stdout.index("necesito trabajo")
    assert notice < route
    after = result.stdout[route:]
    assert "SENA" in after or "empleo" in after.lower()


def test_two_processes_answer_one_conversation_consistently(puente_environ: dict[str, str]) -> None:
    """Alternate the lines of one conversation between separate OS processes on one database."""
    lines = ["hola", "1", "necesito trabajo", "menu"]
    outputs = []
    for line in lines:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "chat", "--user", "two-proc-user"],
            input=line + "\n",
            capture_output=True,
            text=True,
            env={**os.environ, **puente_environ},
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert "Ley 1581" in outputs[0]
    assert "Ley 1581" not in outputs[1]  # the second process knows consent was given
    assert "Ley 1581" not in outputs[2] and "*" in outputs[2]  # a route, not the notice again
    assert "1." in outputs[3]  # the menu


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_can_be_chosen(puente: Puente, lang: str) -> None:
    number = str(LANGUAGES.index(lang) + 1)
    _, welcome = say(puente, ["hola", number], user=f"lang-{lang}")
    assert welcome[0] != ""
