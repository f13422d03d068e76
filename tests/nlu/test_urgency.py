"""The urgent-risk detector: indirect wording of immediate danger in all five languages."""

from __future__ import annotations

import pytest

from nlu import Nlu

URGENT = [
    # es: violence now, threats for tonight, suicide, a child in danger, held
    "creo que hoy si me mata",
    "esta afuera de la puerta con un machete",
    "ya no aguanto mas, esta noche me voy de este mundo",
    "no me dejan salir de la casa donde trabajo y tienen mi pasaporte",
    "se me perdio el niño en el terminal hace 10 minutos",
    "mi bebe no respira",
    # en
    "he's outside the door with a knife",
    "i took all the pills, tell my mom i love her",
    "they locked me in the room and took my passport",
    "my daughter was taken by two men in a car just now",
    # pt
    "ele ta me batendo agora, socorro",
    "nao quero mais viver, ja separei os comprimidos",
    "nao deixam a gente sair da fazenda",
    # fr
    "il est en train de me frapper",
    "je veux mourir ce soir",
    "ils m'ont enfermée et je ne peux pas sortir",
    # ht
    "l ap bat mwen kounye a",
    "m vle touye tèt mwen",
    "yo fèmen m nan kay la, m pa ka soti",
]

NOT_URGENT = [
    "me mata el calor jaja",
    "me muero de hambre, donde dan almuerzo",
    "hace dos años mi ex me pegaba, puedo denunciar todavia?",
    "como saco una medida de proteccion",
    "vi un documental sobre trata de personas",
    "me siento triste pero estoy bien",
    "this heat is killing me",
    "how do i report domestic violence?",
    "estou morrendo de fome kkk",
    "je meurs de faim",
    "mwen bezwen travay",
    "necesito el PPT",
]


@pytest.mark.parametrize("text", URGENT)
def test_indirect_danger_is_urgent_in_every_language(nlu: Nlu, text: str) -> None:
    assert nlu.predict(text).urgent


@pytest.mark.parametrize("text", NOT_URGENT)
def test_hyperbole_past_and_questions_are_not_urgent(nlu: Nlu, text: str) -> None:
    assert not nlu.predict(text).urgent


def test_danger_in_the_middle_of_a_long_story_is_found(nlu: Nlu) -> None:
    story = "les cuento que llegamos de venezuela hace un mes. " * 30
    text = story + "ahorita mi marido me esta pegando. " + story
    assert nlu.predict(text).urgent


def test_patterns_work_without_the_classifier(sample_nlu: Nlu) -> None:
    urgency = sample_nlu.model.urgency
    assert urgency.matches_pattern("m vle touye tet mwen")
    assert not urgency.matches_pattern("me muero de hambre")
    assert not urgency.matches_pattern("me da miedo q me devuelvan a venezuela alla me matan")
