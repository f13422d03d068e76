"""Turns content records into WhatsApp-sized text in the user's language.

Every word the code adds comes from labels.yaml (``REQUIRED_LABELS``). A text longer than
``MESSAGE_LIMIT`` is cut at paragraph breaks into numbered parts "(1/2)", "(2/2)" joined by
``MESSAGE_BREAK``; ``split_parts`` turns such a text back into one string per message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.content.hours import format_week
from bot.content.schema import DAYS, Hotline, Labels, Service
from bot.engine.ports import MESSAGE_BREAK

MESSAGE_LIMIT = 1500

REQUIRED_LABELS: tuple[str, ...] = (
    "services_title",
    "group_city",
    "group_nearby",
    "group_national",
    "not_local_city",
    "address_label",
    "address_unknown",
    "hours_label",
    "hours_unknown",
    "phone_label",
    "whatsapp_label",
    "email_label",
    "web_label",
    "free",
    "cost_unknown",
    "never_pay",
    "confirm_before_going",
    "confirm_number",
    "missing_hint",
    "no_services",
    "lines_title",
    "emergency_title",
    "nearest_title",
    "distance_km",
    "open_now",
    "closed_now",
    "no_locations",
    "near_city",
    "part",
    "city_cucuta",
    "city_villa_del_rosario",
    "city_los_patios",
    "city_norte_de_santander",
    "city_national",
    *(f"day_{day}" for day in DAYS),
)


def city_name(labels: Labels, lang: str, city: str) -> str:
    """The display name of a directory city id."""
    label = f"city_{city}"
    return labels.get(label, lang) if label in labels.texts else city.replace("_", " ").title()


def hotline_line(hotline: Hotline, labels: Labels, lang: str) -> str:
    """``• *155* — Línea 155 ... (24/7, gratis)``, flagged when the number must be re-verified."""
    hours = hotline.hours or labels.get("hours_unknown", lang)
    cost = labels.get("free" if hotline.cost == "free" else "cost_unknown", lang)
    name = hotline.name.get(lang) or hotline.name["es"]
    line = f"• *{hotline.number}* — {name} ({hours}, {cost})"
    if hotline.status == "re-verify":
        line += f" — {labels.get('confirm_number', lang)}"
    return line


def hotline_list(title_label: str, hotlines: Iterable[Hotline], labels: Labels, lang: str) -> str:
    lines = [hotline_line(h, labels, lang) for h in hotlines]
    return "\n".join([labels.get(title_label, lang), *lines]) if lines else ""


def service_block(service: Service, labels: Labels, lang: str) -> str:
    """One directory entry: name, what they do, address, hours, contacts, cost, caution."""
    lines = [f"*{service.name}* ({city_name(labels, lang, service.city)})"]
    lines.append(service.description.get(lang) or service.description["es"])
    if service.city != "national" or service.address:
        address = service.address or labels.get("address_unknown", lang)
        lines.append(f"{labels.get('address_label', lang)}: {address}")
    lines.append(f"{labels.get('hours_label', lang)}: {hours_text(service, labels, lang)}")
    lines += _contacts(service, labels, lang)
    cost = labels.get("free" if service.cost == "free" else "cost_unknown", lang)
    cost = f"{cost[:1].upper()}{cost[1:]}."
    if service.status == "re-verify":
        cost += f" ⚠️ {labels.get('confirm_before_going', lang)}"
    lines.append(cost)
    return "\n".join(lines)


def hours_text(service: Service, labels: Labels, lang: str) -> str:
    if service.hours is None:
        return labels.get("hours_unknown", lang)
    return format_week(service.hours, {day: labels.get(f"day_{day}", lang) for day in DAYS})


def _contacts(service: Service, labels: Labels, lang: str) -> list[str]:
    contacts = [
        ("phone_label", " / ".join(service.phones)),
        ("whatsapp_label", " / ".join(service.whatsapp)),
        ("email_label", service.email or ""),
        ("web_label", service.web or ""),
    ]
    return [f"{labels.get(label, lang)}: {value}" for label, value in contacts if value]


def split_message(text: str, labels: Labels, lang: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` unchanged if it fits one message, else numbered parts joined by MESSAGE_BREAK."""
    if len(text) <= limit:
        return text
    reserve = len(labels.get("part", lang, n=99, total=99)) + 1
    chunks = _chunks(text.split("\n\n"), limit - reserve)
    total = len(chunks)
    numbered = [
        f"{labels.get('part', lang, n=n, total=total)} {chunk}" for n, chunk in enumerate(chunks, 1)
    ]
    return MESSAGE_BREAK.join(numbered)


def split_parts(rendered: str) -> list[str]:
    """The separate messages of a rendered text (one item when it was not split)."""
    return rendered.split(MESSAGE_BREAK)


def _chunks(paragraphs: Sequence[str], limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for paragraph in _fit(paragraphs, limit):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = paragraph
    if current:
        chunks.append(current)
    return chunks


def _fit(paragraphs: Sequence[str], limit: int) -> list[str]:
    """Paragraphs no longer than ``limit``: long ones are cut at line breaks, then hard."""
    fitted: list[str] = []
    for paragraph in paragraphs:
        pieces = [paragraph] if len(paragraph) <= limit else paragraph.split("\n")
        for piece in pieces:
            fitted += [piece[i : i + limit] for i in range(0, len(piece), limit)] or [""]
    return fitted
