"""Every topic in every language: a typical question gets that route, in that language, with a line.

The questions are the team's own, written as people type (not from any evaluation set).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.app import Puente
from bot.engine.messages import InboundMessage
from nlu.types import LANGUAGES, TOPICS

QUESTIONS: dict[str, dict[str, str]] = {
    "gbv": {
        "es": "mi pareja me pega y me insulta, que puedo hacer",
        "en": "my husband hits me when he drinks, where can i get help",
        "pt": "meu marido me bate, onde posso pedir ajuda",
        "fr": "mon mari me frappe, ou je peux avoir de l'aide",
        "ht": "mari m bat mwen lè l bwè, ki kote m ka jwenn èd",
    },
    "child_protection": {
        "es": "la vecina deja a sus niños solos todo el dia y les pega",
        "en": "my neighbour leaves her small kids alone all day and beats them",
        "pt": "a vizinha deixa as crianças sozinhas o dia todo e bate nelas",
        "fr": "la voisine laisse ses petits enfants seuls toute la journée et les frappe",
        "ht": "vwazen an kite timoun piti li yo poukont yo tout jounen epi li bat yo",
    },
    "trafficking": {
        "es": "me ofrecieron un trabajo en otra ciudad pero me quieren quitar el pasaporte",
        "en": "they offered me a job abroad but want to keep my passport",
        "pt": "me ofereceram um trabalho em outra cidade mas querem ficar com meu passaporte",
        "fr": "on m'a proposé un travail dans une autre ville mais ils veulent garder mon passeport",
        "ht": "yo ofri m yon travay nan lòt vil men yo vle kenbe paspò mwen",
    },
    "health": {
        "es": "estoy embarazada y no tengo eps, me atienden en el hospital?",
        "en": "i am pregnant and have no health insurance, can i see a doctor",
        "pt": "estou gravida e nao tenho plano de saude, posso ir no hospital",
        "fr": "je suis enceinte et je n'ai pas d'assurance, je peux voir un medecin",
        "ht": "mwen ansent epi m pa gen asirans, èske m ka al lopital",
    },
    "mental_health": {
        "es": "me siento muy triste y ansiosa desde que llegue, no puedo dormir",
        "en": "i feel very sad and anxious since i arrived, i can't sleep",
        "pt": "me sinto muito triste e ansiosa desde que cheguei, nao consigo dormir",
        "fr": "je me sens tres triste et angoissée depuis que je suis arrivée, je dors mal",
        "ht": "m santi m tris anpil ak enkyete depi m rive, m pa ka dòmi",
    },
    "regularization": {
        "es": "como saco el PPT si tengo el pasaporte vencido",
        "en": "how do i get the PPT permit if my passport expired",
        "pt": "como faço para tirar o PPT com o passaporte vencido",
        "fr": "comment obtenir le PPT si mon passeport est expiré",
        "ht": "kijan pou m fè PPT si paspò m ekspire",
    },
    "asylum": {
        "es": "quiero pedir refugio porque me persiguen en mi pais",
        "en": "i want to apply for asylum, i was persecuted in my country",
        "pt": "quero pedir refugio porque sou perseguido no meu pais",
        "fr": "je veux demander l'asile, on me persécute dans mon pays",
        "ht": "m vle mande azil paske yo pèsekite m nan peyi m",
    },
    "education": {
        "es": "como inscribo a mi hijo en el colegio si no tiene papeles",
        "en": "how can i enrol my son in school without documents",
        "pt": "como matriculo meu filho na escola sem documentos",
        "fr": "comment inscrire mon fils à l'école sans papiers",
        "ht": "kijan pou m enskri pitit gason m lekòl san papye",
    },
    "employability": {
        "es": "necesito trabajo, donde puedo buscar empleo",
        "en": "i need a job, where can i look for work",
        "pt": "preciso de emprego, onde posso procurar trabalho",
        "fr": "j'ai besoin d'un travail, ou chercher un emploi",
        "ht": "m bezwen travay, ki kote m ka chèche djòb",
    },
    "cash_transfer": {
        "es": "como me inscribo para la ayuda en efectivo",
        "en": "how do i register for the cash assistance",
        "pt": "como me inscrevo para a ajuda em dinheiro",
        "fr": "comment m'inscrire pour l'aide en argent",
        "ht": "kijan pou m enskri pou èd an lajan kach la",
    },
    "food": {
        "es": "donde hay un comedor comunitario, no tenemos que comer",
        "en": "where is a community kitchen, we have nothing to eat",
        "pt": "onde tem um refeitorio comunitario, nao temos o que comer",
        "fr": "ou trouver une cantine communautaire, on n'a rien a manger",
        "ht": "ki kote ki gen yon kantin kominotè, nou pa gen anyen pou n manje",
    },
    "shelter": {
        "es": "necesito un albergue para dormir con mis hijos",
        "en": "i need a shelter to sleep with my children",
        "pt": "preciso de um abrigo para dormir com meus filhos",
        "fr": "j'ai besoin d'un foyer pour dormir avec mes enfants",
        "ht": "m bezwen yon abri pou m dòmi ak pitit mwen yo",
    },
    "legal_aid": {
        "es": "necesito un abogado gratis, me discriminan por ser venezolano",
        "en": "i need a free lawyer, i am discriminated because i am venezuelan",
        "pt": "preciso de um advogado gratuito, sofro discriminação por ser venezuelano",
        "fr": "j'ai besoin d'un avocat gratuit, on me discrimine parce que je suis étranger",
        "ht": "m bezwen yon avoka gratis, yo fè diskriminasyon sou mwen paske m se etranje",
    },
    "transit": {
        "es": "vamos caminando hacia bucaramanga, donde hay puntos de ayuda en el camino",
        "en": "we are walking to bucaramanga, where are the help points on the road",
        "pt": "estamos indo a pe para bucaramanga, onde tem pontos de ajuda no caminho",
        "fr": "on marche vers bucaramanga, ou sont les points d'aide sur la route",
        "ht": "n ap mache pou Bucaramanga, ki kote ki gen pwen èd sou wout la",
    },
    "family_links": {
        "es": "perdi contacto con mi hermano en el camino, como lo busco",
        "en": "i lost contact with my brother on the way, how can i find him",
        "pt": "perdi contato com meu irmao no caminho, como encontro ele",
        "fr": "j'ai perdu le contact avec mon frère en route, comment le retrouver",
        "ht": "m pèdi kontak ak frè m sou wout la, kijan pou m jwenn li",
    },
}
GREETING = {"es": "hola", "en": "hello", "pt": "oi", "fr": "bonjour", "ht": "bonjou"}
PHONE_LINE = re.compile(r"\*(\d{3}|\d[\d ]{8,14}\d)\*")  # a line as the content renders it: *155*


def test_the_table_covers_every_topic_and_language() -> None:
    assert set(QUESTIONS) == set(TOPICS)
    assert all(set(by_lang) == set(LANGUAGES) for by_lang in QUESTIONS.values())


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("topic", TOPICS)
def test_typical_question_gets_the_route_in_that_language(puente: Puente, topic: str, lang: str) -> None:
    user = f"routes-{topic}-{lang}"
    lines = [GREETING[lang], str(LANGUAGES.index(lang) + 1), QUESTIONS[topic][lang]]
    replies: list[str] = []
    for i, line in enumerate(lines):
        message = InboundMessage("web", user, f"{user}-{i}", line, datetime.now(UTC))
        replies = [r.message.text for r in puente.inbox.receive(message).replies]
    title = puente.content.catalog.topic_title(topic, lang)
    route = next((text for text in replies if text.startswith(f"*{title}*")), None)
    assert route is not None, f"{topic}/{lang}: got {[r[:60] for r in replies]}"
    assert PHONE_LINE.search(route), f"{topic}/{lang}: no phone line in the route message"
