"""Every console route, as every role and as a logged-out visitor: the server's answer.

The table below must name every route of the console (a new route without an entry fails
``test_every_route_is_in_the_table``). Each POST runs on a fresh case of team ``general``,
prepared as the action needs (claimed by the actor for release/reply/close).
"""

from __future__ import annotations

import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from tests.console.conftest import Site, enrol, sign_in

ROLES = ("anonymous", "ana", "gina", "sofia", "root")  # gina works in team gbv, the case is in general
PAGE_OK = {"anonymous": 303, "ana": 200, "gina": 200, "sofia": 200, "root": 200}
SUPERVISOR_PAGE = {"anonymous": 303, "ana": 403, "gina": 403, "sofia": 200, "root": 200}
CASE_PAGE = {"anonymous": 303, "ana": 200, "gina": 404, "sofia": 200, "root": 200}
CASE_BACKGROUND = {"anonymous": 401, "ana": 200, "gina": 404, "sofia": 200, "root": 200}
CASE_ACTION = {"anonymous": 401, "ana": 303, "gina": 404, "sofia": 303, "root": 303}
PUBLIC = dict.fromkeys(ROLES, 200)

# (method, path template) -> (expected status per role, form data, claim first?)
TABLE: dict[tuple[str, str], tuple[dict[str, int], dict[str, str], bool]] = {
    ("GET", "/console/"): (PAGE_OK, {}, False),
    ("GET", "/console/queue/rows"): ({**PAGE_OK, "anonymous": 401}, {}, False),
    ("GET", "/console/cases/{case_id}"): (CASE_PAGE, {}, False),
    ("GET", "/console/cases/{case_id}/transcript"): (CASE_BACKGROUND, {}, False),
    ("POST", "/console/cases/{case_id}/claim"): (CASE_ACTION, {}, False),
    ("POST", "/console/cases/{case_id}/release"): (CASE_ACTION, {}, True),
    ("POST", "/console/cases/{case_id}/transfer"): (CASE_ACTION, {"team": "gbv"}, False),
    ("POST", "/console/cases/{case_id}/reply"): (CASE_ACTION, {"text": "Hola"}, True),
    ("POST", "/console/cases/{case_id}/note"): (CASE_ACTION, {"text": "nota"}, False),
    ("POST", "/console/cases/{case_id}/close"): (CASE_ACTION, {"outcome": "resolved"}, True),
    ("GET", "/console/supervisor"): (SUPERVISOR_PAGE, {}, False),
    ("GET", "/console/supervisor/unanswered.csv"): (SUPERVISOR_PAGE, {}, False),
    ("GET", "/console/audit"): (SUPERVISOR_PAGE, {}, False),
    ("GET", "/console/login"): (PUBLIC, {}, False),
    ("POST", "/console/login"): (dict.fromkeys(ROLES, 403), {}, False),  # no login-form token
    ("GET", "/console/login/code"): (dict.fromkeys(ROLES, 303), {}, False),  # nobody mid-login
    ("POST", "/console/login/code"): (dict.fromkeys(ROLES, 401), {}, False),
    ("GET", "/console/enrol"): ({**PAGE_OK, "anonymous": 303}, {}, False),
    ("POST", "/console/enrol"): ({**dict.fromkeys(ROLES, 303), "anonymous": 401}, {"code": "000000"}, False),
    ("POST", "/console/logout"): (dict.fromkeys(ROLES, 303), {}, False),
}


def console_routes(site: Site) -> set[tuple[str, str]]:
    mount = next(r for r in site.app.routes if isinstance(r, Mount) and r.path == "/console")
    found = set()
    for route in mount.routes:
        if isinstance(route, Route):
            for method in route.methods or ():
                if method != "HEAD":
                    found.add((method, "/console" + route.path.replace("{case_id:int}", "{case_id}")))
    return found


def test_every_route_is_in_the_table(site: Site) -> None:
    assert console_routes(site) == set(TABLE)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_as_expected_for(role: str, site: Site) -> None:
    world = site.world
    client = site.client()
    csrf = ""
    if role != "anonymous":
        if role in ("sofia", "root"):
            enrol(world, role)
        csrf = sign_in(client, world, role)
    answers = {}
    for (method, template), (expected, form, claim_first) in TABLE.items():
        case_id = world.ask_person(f"walk-{role}-{len(answers):03d}")
        if claim_first and role in world.actors:
            claimer = world.actors[role] if role != "gina" else world.actors["ana"]
            world.queue.claim(claimer, case_id)
        path = template.format(case_id=case_id)
        if method == "GET":
            status = client.get(path).status_code
        else:
            status = client.post(path, data={"csrf": csrf, **form}).status_code
        answers[(method, template)] = (status, expected[role])
    wrong = {route: got for route, got in answers.items() if got[0] != got[1]}
    assert not wrong, f"{role}: (got, expected) {wrong}"


def test_logged_out_visitor_sees_no_case_content(site: Site) -> None:
    case_id = site.world.ask_person("user-7000001")
    client = TestClient(site.app, follow_redirects=True)
    for path in (f"/console/cases/{case_id}", f"/console/cases/{case_id}/transcript", "/console/queue/rows"):
        response = client.get(path)
        assert "handoff_requested" not in response.text
