"""Guided questionnaires defined as data (routes_content/flows/): loading, checking, answering."""

from bot.flows.check import check_flows
from bot.flows.guide import FlowGuide
from bot.flows.library import FlowLibrary
from bot.flows.loader import load_flows, read_flows

__all__ = ["FlowGuide", "FlowLibrary", "check_flows", "load_flows", "read_flows"]
