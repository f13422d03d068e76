"""Loads, validates and renders routes_content/ (the only code that reads it)."""

from bot.content.catalog import Catalog
from bot.content.check import check_content
from bot.content.holder import CatalogHolder
from bot.content.loader import load_content, read_content
from bot.content.problems import ContentError, Problem
from bot.content.render import MESSAGE_LIMIT, split_parts
from bot.engine.ports import MESSAGE_BREAK

__all__ = [
    "MESSAGE_BREAK",
    "MESSAGE_LIMIT",
    "Catalog",
    "CatalogHolder",
    "ContentError",
    "Problem",
    "check_content",
    "load_content",
    "read_content",
    "split_parts",
]
