"""``FlowLibrary``: the loaded flows of routes_content/flows/, as the engine's FlowBook."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.flows.guide import FlowGuide
from bot.flows.loader import load_flows
from bot.flows.schema import Flow


class FlowLibrary:
    """Implements ``FlowBook``: a flow by id, and the flows a route offers."""

    def __init__(self, flows: Mapping[str, Flow]) -> None:
        self._guides = {flow_id: FlowGuide(flow) for flow_id, flow in flows.items()}

    @classmethod
    def load(cls, content_dir: Path) -> FlowLibrary:
        """Load every flow file; raises ContentError (file, line, field) when one is malformed."""
        return cls(load_flows(content_dir))

    def flow(self, flow_id: str) -> FlowGuide | None:
        return self._guides.get(flow_id)

    def flows_for(self, topic: str) -> tuple[FlowGuide, ...]:
        return tuple(guide for guide in self._guides.values() if guide.topic == topic)
