"""The queue and case pages, and the case actions: claim, release, transfer, reply, note, close.

Every handler here runs behind the Gate (session, stage, CSRF); the queue layer checks again
that the case belongs to the actor's teams. After an action the browser is sent back to a page
(POST, then redirect), so reloading never repeats a reply.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from bot.console.canned import CannedReplies
from bot.console.directory import Directory, referral_choices
from bot.console.sessions import Visit
from bot.console.web import PREFIX, Pages, form_text, redirect
from bot.handoff.casefile import CaseFiles
from bot.handoff.errors import InvalidInput
from bot.handoff.queue import OUTCOMES, CaseRow, HandoffQueue

OUTCOME_LABELS = {
    "resolved": "Resolved",
    "referred": "Referred to a service",
    "no_response": "No response from the person",
    "duplicate": "Duplicate case",
    "out_of_scope": "Not something we can help with",
    "other": "Other",
}
ACTIVE = ("open", "claimed")


class CaseworkPages:
    """Handlers of the queue and case pages."""

    def __init__(
        self, queue: HandoffQueue, files: CaseFiles, canned: CannedReplies, directory: Directory, pages: Pages
    ) -> None:
        self._queue = queue
        self._files = files
        self._canned = canned
        self._directory = directory
        self._pages = pages

    # -- queue -------------------------------------------------------------------------------

    async def queue_page(self, request: Request, visit: Visit) -> Response:
        rows = await run_in_threadpool(self._queue.active_cases, visit.actor)
        return self._pages.html("queue.html", visit=visit, csrf=visit.csrf, **_split(rows))

    async def queue_rows(self, request: Request, visit: Visit) -> Response:
        rows = await run_in_threadpool(self._queue.active_cases, visit.actor)
        version = _queue_version(rows)
        if request.query_params.get("version") == version:
            return Response(status_code=204)  # waits are counted up in the browser
        return self._pages.html("_queue_rows.html", visit=visit, csrf=visit.csrf, **_split(rows))

    # -- case --------------------------------------------------------------------------------

    async def case_page(self, request: Request, visit: Visit) -> Response:
        case_id = _case_id(request)
        view = await run_in_threadpool(self._files.view, visit.actor, case_id)
        case, actor = view.case, visit.actor
        active = case.status in ACTIVE
        mine = case.claimed_by == actor.id
        teams = await run_in_threadpool(self._queue.team_names)
        members = await run_in_threadpool(self._queue.team_members, case.team)
        matching, others = referral_choices(self._directory, case.topic)
        return self._pages.html(
            "case.html",
            visit=visit,
            csrf=visit.csrf,
            view=view,
            case=case,
            mine=mine,
            can_claim=case.status == "open",
            can_release=case.status == "claimed" and (mine or actor.is_supervisor),
            can_transfer=active and (case.claimed_by in (None, actor.id) or actor.is_supervisor),
            can_close=active and (mine or actor.is_supervisor),
            can_reply=case.status == "claimed" and mine,
            can_note=active,
            other_teams=[t for t in teams if t != case.team],
            members=[(i, name) for i, name in members if i != case.claimed_by],
            canned=[(r.id, r.label, r.text(view.contact_lang)) for r in self._canned.all()],
            outcomes=[(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
            matching=matching,
            others=others,
        )

    async def transcript(self, request: Request, visit: Visit) -> Response:
        transcript = await run_in_threadpool(self._files.transcript, visit.actor, _case_id(request))
        if request.query_params.get("version") == transcript.version:
            return Response(status_code=204)
        return self._pages.html("_transcript.html", transcript=transcript)

    # -- actions -----------------------------------------------------------------------------

    async def claim(self, request: Request, visit: Visit) -> Response:
        case_id = _case_id(request)
        await run_in_threadpool(self._queue.claim, visit.actor, case_id)
        return redirect(f"{PREFIX}/cases/{case_id}")

    async def release(self, request: Request, visit: Visit) -> Response:
        await run_in_threadpool(self._queue.release, visit.actor, _case_id(request))
        return redirect(f"{PREFIX}/")

    async def transfer(self, request: Request, visit: Visit) -> Response:
        case_id = _case_id(request)
        team = (await form_text(request, "team")).strip()
        person = (await form_text(request, "caseworker")).strip()
        if team:
            await run_in_threadpool(lambda: self._queue.transfer(visit.actor, case_id, team=team))
            return redirect(f"{PREFIX}/")
        if not person.isdigit():
            raise InvalidInput("choose a team or a caseworker")
        caseworker_id = int(person)
        await run_in_threadpool(lambda: self._queue.transfer(visit.actor, case_id, caseworker_id=caseworker_id))
        return redirect(f"{PREFIX}/cases/{case_id}")

    async def reply(self, request: Request, visit: Visit) -> Response:
        case_id = _case_id(request)
        text = await form_text(request, "text")
        canned_id = await form_text(request, "canned")
        if not text.strip() and canned_id:
            canned = self._canned.find(canned_id)
            lang = await run_in_threadpool(self._files.language, visit.actor, case_id)
            text = canned.text(lang) if canned else ""
        await run_in_threadpool(self._files.reply, visit.actor, case_id, text)
        return redirect(f"{PREFIX}/cases/{case_id}#reply")

    async def note(self, request: Request, visit: Visit) -> Response:
        case_id = _case_id(request)
        text = await form_text(request, "text")
        await run_in_threadpool(self._files.note, visit.actor, case_id, text)
        return redirect(f"{PREFIX}/cases/{case_id}#notes")

    async def close(self, request: Request, visit: Visit) -> Response:
        case_id = _case_id(request)
        outcome = await form_text(request, "outcome")
        referral = (await form_text(request, "referral")).strip() or None
        if referral is not None and referral not in {s.id for s in self._directory()}:
            raise InvalidInput("that service is not in the directory")
        await run_in_threadpool(self._queue.close, visit.actor, case_id, outcome, referral)
        return redirect(f"{PREFIX}/?closed={case_id}")


def _case_id(request: Request) -> int:
    return int(request.path_params["case_id"])


def _queue_version(rows: list[CaseRow]) -> str:
    stamp = ";".join(f"{r.id},{r.status},{r.urgent},{r.team},{r.claimed_by},{r.topic}" for r in rows)
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def _split(rows: list[CaseRow]) -> dict[str, Any]:
    return {
        "version": _queue_version(rows),
        "waiting": [r for r in rows if r.status == "open"],
        "mine": [r for r in rows if r.status == "claimed" and r.mine],
        "others": [r for r in rows if r.status == "claimed" and not r.mine],
    }
