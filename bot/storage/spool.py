"""A disk spool for inbound messages that could not be stored (database down).

Each message is sealed with the Protector into its own file under ``var/spool/``; the server
replays them through the inbox when the database is back (duplicates are answered once there).
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from bot.engine.messages import InboundMessage, Location, Media
from bot.storage.protection import Protector

log = logging.getLogger(__name__)


class Spool:
    """Keeps unstored messages sealed on disk until they can be replayed."""

    def __init__(self, directory: Path, protector: Protector) -> None:
        self._directory = directory
        self._protector = protector

    def put(self, message: InboundMessage) -> None:
        self._directory.mkdir(parents=True, exist_ok=True)
        data = asdict(message)
        data["received_at"] = message.received_at.isoformat()
        sealed = self._protector.seal(json.dumps(data))
        path = self._directory / f"{uuid.uuid4().hex}.msg"
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(sealed)
        os.replace(temporary, path)  # a reader never sees half a file

    def pending(self) -> int:
        return len(list(self._directory.glob("*.msg"))) if self._directory.exists() else 0

    def replay(self, receive: Callable[[InboundMessage], object]) -> int:
        """Hand every spooled message to ``receive``; a file goes only once it was received."""
        replayed = 0
        for path in sorted(self._directory.glob("*.msg")) if self._directory.exists() else []:
            message = self._read(path)
            try:
                receive(message)
            except Exception as exc:  # still failing: keep it for the next round
                log.warning("spool replay failed (%s), %d message(s) kept", type(exc).__name__, self.pending())
                break
            path.unlink(missing_ok=True)
            replayed += 1
        return replayed

    def _read(self, path: Path) -> InboundMessage:
        data = json.loads(self._protector.open(path.read_bytes()))
        location = Location(**data["location"]) if data.get("location") else None
        media = tuple(Media(**m) for m in data.get("media", ()))
        return InboundMessage(
            channel=data["channel"],
            user_id=data["user_id"],
            provider_message_id=data["provider_message_id"],
            text=data["text"],
            received_at=datetime.fromisoformat(data["received_at"]),
            location=location,
            media=media,
        )
