"""``check_content``: every content rule over a routes_content/ tree, as a list of Problems."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.content.catalog import Catalog
from bot.content.loader import read_content
from bot.content.problems import Problem, error
from bot.content.render import MESSAGE_LIMIT
from bot.content.rules import STATIC_RULES, freshness
from bot.content.schema import Content
from bot.flows.check import check_flows


def check_content(content_dir: Path, today: date, max_age_days: int = 180) -> list[Problem]:
    """All problems of the tree: schema, coverage, sizes, phones, sources, translations, ..."""
    if not content_dir.is_dir():
        return [error("missing_file", content_dir, None, "content folder does not exist")]
    content, problems = read_content(content_dir)
    for rule in STATIC_RULES:
        problems += rule(content)
    problems += freshness(content, today, max_age_days)
    if not any(p.code in ("missing_label", "label_placeholders") for p in problems):
        problems += rendered_sizes(content)
    problems += check_flows(content_dir)  # guided questionnaires in routes_content/flows/
    return sorted(set(problems), key=_order)


def rendered_sizes(content: Content) -> list[Problem]:
    """The first message of a route (intro plus its lines) must fit one WhatsApp message."""
    catalog = Catalog.from_content(content)
    problems = []
    for topic, route in content.routes.items():
        for lang, text in route.texts.items():
            size = len(catalog.route(topic, lang, None).intro)
            if size > MESSAGE_LIMIT:
                problems.append(
                    error(
                        "rendered_too_long",
                        text.origin.file,
                        text.intro_line,
                        f"intro with its hotlines is {size} characters (limit {MESSAGE_LIMIT})",
                    )
                )
    return problems


def _order(problem: Problem) -> tuple[str, int, str]:
    return (str(problem.file), problem.line or 0, problem.code)


__all__ = ["check_content", "rendered_sizes"]
