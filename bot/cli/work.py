"""``puente work``: answer queued channel messages and send the replies, in a process of its own.

``puente serve`` starts one beside its web workers, at a lower CPU priority: in a burst the
webhooks keep answering the providers at once and the answers follow as fast as the CPU left
over allows (``idle``: only CPU nobody else wants, the Linux SCHED_IDLE policy; ``low``: nice
10). More can run on other machines against the same database.
"""

from __future__ import annotations

import asyncio
import os
import signal
from enum import StrEnum
from typing import Annotated

import typer

from bot.logs import configure_logging
from bot.settings import Settings, load_settings

PARENT_CHECK_SECONDS = 1.0


class Priority(StrEnum):
    normal = "normal"
    low = "low"
    idle = "idle"


def work(
    priority: Annotated[Priority, typer.Option(help="CPU priority of this process")] = Priority.normal,
    with_parent: Annotated[bool, typer.Option(hidden=True, help="Stop when the parent process ends")] = False,
) -> None:
    """Answer queued WhatsApp/SMS/Telegram messages and send the outbox until stopped."""
    configure_logging()
    settings = load_settings(os.environ)
    lower_priority(priority)
    asyncio.run(_work(settings, parent=os.getppid() if with_parent else None))


def lower_priority(priority: Priority) -> None:
    """``low``: nice 10; ``idle``: SCHED_IDLE where the system has it, else nice 19."""
    if priority is Priority.low:
        os.nice(10)
    elif priority is Priority.idle:
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except (AttributeError, OSError):
            os.nice(19)


async def _work(settings: Settings, parent: int | None) -> None:
    from bot.app import build_puente
    from bot.channels.hub import ChannelHub
    from bot.channels.wakeup import listen

    puente = build_puente(settings, os.environ)
    hub = ChannelHub.from_settings(settings, puente.db, puente.inbox, puente.protector)
    if not hub.channels or hub.answerer is None:
        typer.echo("no channel is configured (see `puente config`): nothing to do", err=True)
        puente.db.dispose()
        return
    stop = _stop_on_signals()
    await hub.start()
    tasks = [asyncio.create_task(listen(puente.db, hub.answerer.wake, stop))]
    if parent is not None:
        tasks.append(asyncio.create_task(_stop_when_orphaned(parent, stop)))
    try:
        await stop.wait()
    finally:
        await hub.stop()
        await asyncio.gather(*tasks)
        puente.db.dispose()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _stop_when_orphaned(parent: int, stop: asyncio.Event) -> None:
    """``puente serve`` went away without stopping us (killed): stop too."""
    while not stop.is_set():
        if os.getppid() != parent:
            stop.set()
            return
        await asyncio.sleep(PARENT_CHECK_SECONDS)
