"""Wiring: the only module that joins settings, storage, NLU, content, engine, inbox and web.

Nothing happens on import. ``build_puente`` opens resources; ``build_app`` makes the ASGI app;
``create_app`` is the factory uvicorn calls (``uvicorn --factory bot.app:create_app``), and
``create_web_app`` the one ``puente serve`` uses when ``puente work`` answers channel messages
and sends replies in a process of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import astuple, dataclass

from sqlalchemy import Engine as DbEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels.hub import ChannelHub
from bot.console import ConsoleConfig, build_console, directory_of
from bot.content.holder import CatalogHolder
from bot.engine.engine import Engine
from bot.engine.messages import Location
from bot.engine.ports import ContentCatalog, Place, RouteView, Understander
from bot.flows import FlowLibrary
from bot.handoff import CaseIntake, DeskHours, QueueDesk, Router, parse_rules, reader_for
from bot.i18n import Catalogs
from bot.inbox import Inbox
from bot.keys import protector_from_environ
from bot.settings import Settings, load_settings
from bot.storage.database import create_db_engine
from bot.storage.keycheck import verify_keys
from bot.storage.protection import Protector
from bot.storage.retention import RetentionPolicy, purge
from bot.storage.spool import Spool
from bot.web.chat import chat_routes

log = logging.getLogger(__name__)

CONTENT_POLL_SECONDS = 5.0
HOUSEKEEPING_SECONDS = 60.0


@dataclass(frozen=True)
class Puente:
    """The running parts of one process."""

    settings: Settings
    db: DbEngine
    nlu: Understander
    content: CatalogHolder
    inbox: Inbox
    protector: Protector


def load_nlu(settings: Settings) -> Understander:
    """The configured NLU backend (the local model is trained on first use and cached)."""
    from nlu import load_understander

    return load_understander(
        settings.nlu_data_dir, settings.nlu_cache_dir, settings.nlu_backend, settings.rasa_url
    )


def build_puente(
    settings: Settings,
    environ: Mapping[str, str],
    *,
    nlu: Understander | None = None,
    create_keys: bool = False,
) -> Puente:
    """Open the database, load keys, content, texts and the NLU, and join them."""
    protector = protector_from_environ(environ, settings.var_dir, create=create_keys)
    db = create_db_engine(settings.database_url)
    verify_keys(db, protector)
    content = CatalogHolder.load(settings.content_dir)
    understander = nlu or load_nlu(settings)
    flows = FlowLibrary.load(settings.content_dir)  # guided questionnaires (routes_content/flows)
    router = Router(parse_rules(settings.handoff_routing or ""))  # which team gets a new case
    desk = QueueDesk(reader_for(db), router, DeskHours.parse(settings.desk_hours))
    engine = Engine(
        understander,
        LiveContent(content),
        Catalogs.load(),
        default_lang=settings.default_language,
        flows=flows,
        desk=desk,
    )
    spool = Spool(settings.var_dir / "spool", protector)  # messages the database could not take
    inbox = Inbox(db, engine, protector, cases=CaseIntake(router), spool=spool)
    return Puente(settings, db, understander, content, inbox, protector)


def build_app(puente: Puente, *, watch_content: bool = True, background: bool = True) -> ASGIApp:
    """The ASGI application: web chat, API, channels, the caseworker console, health check.

    ``background``: answer queued channel messages and send the outbox in this process too
    (off when ``puente work`` does it elsewhere).
    """

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    channels = ChannelHub.from_settings(puente.settings, puente.db, puente.inbox, puente.protector)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        watcher = asyncio.create_task(_watch_content(puente.content)) if watch_content else None
        keeper = asyncio.create_task(_housekeeping(puente))
        # WhatsApp/SMS/Telegram clients; the answerer and the outbox sender, if configured
        await channels.start(run_sender=background, run_answerer=background)
        try:
            yield
        finally:
            await channels.stop()
            keeper.cancel()
            if watcher is not None:
                watcher.cancel()
            puente.db.dispose()

    console = build_console(
        puente.db,
        puente.protector,
        Catalogs.load(),
        directory_of(puente.content),
        ConsoleConfig(
            canned_replies=puente.settings.content_dir / "canned_replies.yaml",
            cookie_secure=puente.settings.console_cookie_secure,
            session_minutes=puente.settings.console_session_minutes,
            idle_minutes=puente.settings.console_idle_minutes,
            default_lang=puente.settings.default_language,
        ),
    )
    webhooks = channels.routes()  # first: a burst of them is the busiest traffic (and see FastLane)
    routes = [*webhooks, Route("/healthz", health), *chat_routes(puente.inbox), console]
    return FastLane(SecurityHeaders(Starlette(routes=routes, lifespan=lifespan)), webhooks)


def create_app() -> ASGIApp:
    """Factory for uvicorn workers: settings from the environment."""
    environ = dict(os.environ)
    return build_app(build_puente(load_settings(environ), environ))


def create_web_app() -> ASGIApp:
    """Factory for uvicorn workers beside a ``puente work`` process: webhooks only queue messages."""
    environ = dict(os.environ)
    return build_app(build_puente(load_settings(environ), environ), background=False)


class LiveContent(ContentCatalog):
    """The engine's view of content: always the holder's current catalog (reloads included)."""

    def __init__(self, holder: CatalogHolder) -> None:
        self._holder = holder

    def has_route(self, topic: str) -> bool:
        return self._holder.catalog.has_route(topic)

    def topic_title(self, topic: str, lang: str) -> str:
        return self._holder.catalog.topic_title(topic, lang)

    def route(self, topic: str, lang: str, city: str | None) -> RouteView:
        return self._holder.catalog.route(topic, lang, city)

    def section(self, topic: str, section_id: str, lang: str, city: str | None) -> str:
        return self._holder.catalog.section(topic, section_id, lang, city)

    def needs_city(self, topic: str) -> bool:
        return self._holder.catalog.needs_city(topic)

    def emergency_block(self, lang: str, topic: str | None) -> str:
        return self._holder.catalog.emergency_block(lang, topic)

    def nearest_services(self, topic: str, lang: str, location: Location, limit: int = 3) -> str:
        return self._holder.catalog.nearest_services(topic, lang, location, limit)

    def find_place(self, text: str) -> Place | None:
        return self._holder.catalog.find_place(text)


async def _housekeeping(puente: Puente) -> None:
    """Replay spooled messages every minute; apply the retention policy every hour."""
    settings = puente.settings
    policy = RetentionPolicy(settings.retention_days, settings.retention_topic_days, settings.inactive_days)
    minute = 0
    while True:
        await asyncio.sleep(HOUSEKEEPING_SECONDS)
        try:
            await asyncio.to_thread(puente.inbox.replay_spool)
            if minute % 60 == 0:
                report = await asyncio.to_thread(purge, puente.db, policy)
                log.info("retention purge: %d texts erased, %d contacts anonymised", *astuple(report))
        except Exception as exc:  # the loop must survive a database outage
            log.warning("housekeeping failed (%s); trying again later", type(exc).__name__)
        minute += 1


async def _watch_content(holder: CatalogHolder) -> None:
    """Reload content when its files change; a bad edit keeps the content already loaded."""
    while True:
        await asyncio.sleep(CONTENT_POLL_SECONDS)
        await asyncio.to_thread(holder.reload_if_changed)


class FastLane:
    """Hands requests for the channels' plain ASGI webhooks straight to them; the rest to ``app``.

    A burst of webhooks is the busiest traffic, and those endpoints read the request themselves:
    Starlette's router, exception middleware and wrappers would only add to each one's cost
    (``bench/webhook.py``), and the browser headers of ``SecurityHeaders`` mean nothing to a
    provider's servers (uvicorn checks every header it writes: about 2 µs per answer for those five).
    Only routes whose endpoint is a plain ASGI app (no path parameters, no route middleware) are
    taken, for their own methods and exact path; anything else (another method, a mounted app
    with a ``root_path``) goes through ``app`` as before.
    """

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self._direct: dict[tuple[str, str], ASGIApp] = {
            (route.path, method): route.app
            for route in routes
            if isinstance(route, Route) and route.app is route.endpoint and not route.param_convertors
            for method in route.methods or ()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            endpoint = self._direct.get((scope["path"], scope["method"]))
            if endpoint is not None:
                await endpoint(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds headers that keep the pages people open (web chat, console) private: no referrer, no
    framing, no sniffing, no caching."""

    HEADERS = (
        (b"referrer-policy", b"no-referrer"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'"),
        (b"cache-control", b"no-store"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
