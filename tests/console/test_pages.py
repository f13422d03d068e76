"""The console over HTTP: sign-in, second factor, CSRF, queue, case actions, web chat delivery."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from bot.console.totp import code_at
from bot.storage.models import AuditEntry, Caseworker
from tests.console.conftest import Site, console_app, csrf_of, enrol, sign_in
from tests.handoff.world import PASSWORD


def test_login_sets_a_strict_httponly_cookie_and_shows_the_queue(site: Site) -> None:
    client = site.client()
    page = client.get("/console/login")
    assert page.status_code == 200 and 'name="password"' in page.text
    response = client.post("/console/login", data={"csrf": csrf_of(page.text), "username": "ana", "password": PASSWORD})
    assert (response.status_code, response.headers["location"]) == (303, "/console/")
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
    assert "Secure" not in cookie  # this site is configured for local http
    queue = client.get("/console/")
    assert queue.status_code == 200 and "Nobody is waiting." in queue.text
    assert "default-src 'self'" in queue.headers["content-security-policy"]


def test_secure_cookie_when_configured(site: Site) -> None:
    from starlette.testclient import TestClient

    client = TestClient(
        console_app(site.world, cookie_secure=True), base_url="https://testserver", follow_redirects=False
    )
    page = client.get("/console/login")
    response = client.post("/console/login", data={"csrf": csrf_of(page.text), "username": "ana", "password": PASSWORD})
    assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_gets_the_same_answer_as_an_unknown_user(site: Site) -> None:
    client = site.client()
    answers = []
    for username in ("ana", "nobody"):
        page = client.get("/console/login")
        response = client.post(
            "/console/login", data={"csrf": csrf_of(page.text), "username": username, "password": "wrong password!"}
        )
        answers.append((response.status_code, "Wrong username or password" in response.text))
    assert answers == [(401, True), (401, True)]


def test_login_form_needs_its_csrf_cookie(site: Site) -> None:
    response = site.client().post("/console/login", data={"csrf": "forged", "username": "ana", "password": PASSWORD})
    assert response.status_code == 403


def test_five_failures_lock_the_account(site: Site) -> None:
    client = site.client()
    for _ in range(5):
        page = client.get("/console/login")
        client.post("/console/login", data={"csrf": csrf_of(page.text), "username": "ana", "password": "not it at all"})
    page = client.get("/console/login")
    response = client.post("/console/login", data={"csrf": csrf_of(page.text), "username": "ana", "password": PASSWORD})
    assert response.status_code == 401
    site.world.accounts.unlock("ana")
    sign_in(client, site.world, "ana")


def test_supervisor_must_enrol_totp_before_anything_else(site: Site) -> None:
    client = site.client()
    page = client.get("/console/login")
    response = client.post(
        "/console/login", data={"csrf": csrf_of(page.text), "username": "sofia", "password": PASSWORD}
    )
    assert response.headers["location"] == "/console/enrol"
    assert client.get("/console/").headers["location"] == "/console/enrol"
    assert client.get("/console/queue/rows").status_code == 401
    enrol_page = client.get("/console/enrol")
    uri = re.search(r"otpauth://totp/[^<\s]+", enrol_page.text)
    assert uri and "issuer=Puente" in uri.group()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', enrol_page.text)
    assert secret
    csrf = csrf_of(enrol_page.text)
    wrong = client.post("/console/enrol", data={"csrf": csrf, "code": "000000"})
    assert wrong.headers["location"] == "/console/enrol?wrong=1"
    code = code_at(secret[1].replace(" ", ""), datetime.now(UTC))
    done = client.post("/console/enrol", data={"csrf": csrf, "code": code})
    assert done.headers["location"] == "/console/"
    assert client.get("/console/supervisor").status_code == 200


def test_team_can_require_totp_for_its_caseworkers(site: Site) -> None:
    site.world.team("legal", require_totp=True)
    site.world.worker("lia", teams=("legal",))
    client = site.client()
    page = client.get("/console/login")
    response = client.post("/console/login", data={"csrf": csrf_of(page.text), "username": "lia", "password": PASSWORD})
    assert response.headers["location"] == "/console/enrol"


def test_enrolled_caseworker_needs_a_fresh_code(site: Site) -> None:
    secret = enrol(site.world, "ana")
    client = site.client()
    page = client.get("/console/login")
    response = client.post("/console/login", data={"csrf": csrf_of(page.text), "username": "ana", "password": PASSWORD})
    assert response.headers["location"] == "/console/login/code"
    form = client.get("/console/login/code")
    bad = client.post("/console/login/code", data={"csrf": csrf_of(form.text), "code": "123456"})
    assert bad.status_code == 401
    good = client.post(
        "/console/login/code", data={"csrf": csrf_of(form.text), "code": code_at(secret, datetime.now(UTC))}
    )
    assert good.headers["location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_posts_without_the_session_csrf_token_are_refused(site: Site) -> None:
    case_id = site.world.ask_person("user-6000001")
    client = site.client()
    sign_in(client, site.world, "ana")
    for token in ("", "forged-token"):
        response = client.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
        assert response.status_code == 403
    assert site.world.case(case_id).status == "open"


def test_claim_reply_note_close_through_the_pages(site: Site) -> None:
    world = site.world
    case_id = world.ask_person("user-6000002")
    client = site.client()
    csrf = sign_in(client, world, "ana")
    assert f"/console/cases/{case_id}" in client.get("/console/queue/rows").text
    assert client.post(f"/console/cases/{case_id}/claim", data={"csrf": csrf}).status_code == 303
    page = client.get(f"/console/cases/{case_id}")
    assert page.status_code == 200 and "es|handoff_requested" in page.text and 'id="reply-form"' in page.text
    assert "Are you safe right now?" not in page.text and "¿Estás a salvo en este momento?" in page.text
    reply = client.post(f"/console/cases/{case_id}/reply", data={"csrf": csrf, "text": "", "canned": "safety"})
    assert reply.status_code == 303
    chat = client.get("/api/v1/chat", params={"user": "user-6000002", "after": 0}).json()
    assert chat["replies"][-1]["text"] == "¿Estás a salvo en este momento? Si estás en peligro, llama ya al 123."
    assert client.post(f"/console/cases/{case_id}/note", data={"csrf": csrf, "text": "nota"}).status_code == 303
    bad_referral = client.post(
        f"/console/cases/{case_id}/close", data={"csrf": csrf, "outcome": "referred", "referral": "nope"}
    )
    assert bad_referral.status_code == 422
    closed = client.post(
        f"/console/cases/{case_id}/close",
        data={"csrf": csrf, "outcome": "referred", "referral": "comisaria_familia_cucuta"},
    )
    assert closed.status_code == 303 and world.case(case_id).status == "closed"
    with world.db.connect() as conn:
        actions = list(conn.scalars(select(AuditEntry.action).where(AuditEntry.handoff_id == case_id)))
    assert actions == ["open", "claim", "view", "reply", "note", "close"]


def test_transcript_refresh_answers_204_when_nothing_changed(site: Site) -> None:
    case_id = site.world.ask_person("user-6000003")
    client = site.client()
    sign_in(client, site.world, "ana")
    fragment = client.get(f"/console/cases/{case_id}/transcript")
    version = re.search(r'data-version="([0-9a-f]+)"', fragment.text)
    assert version
    assert client.get(f"/console/cases/{case_id}/transcript", params={"version": version[1]}).status_code == 204
    site.world.say("user-6000003", "¿sigue ahí?")
    assert "¿sigue ahí?" in client.get(f"/console/cases/{case_id}/transcript", params={"version": version[1]}).text


def test_logout_ends_the_session(site: Site) -> None:
    client = site.client()
    csrf = sign_in(client, site.world, "ana")
    cookie = client.cookies.get("puente_console")
    assert client.post("/console/logout", data={"csrf": csrf}).headers["location"] == "/console/login"
    client.cookies.set("puente_console", cookie or "", path="/console")
    assert client.get("/console/").headers["location"] == "/console/login"


def test_supervisor_page_and_redacted_csv(site: Site) -> None:
    world = site.world
    world.say("user-6000004", "hola")
    world.say("user-6000004", "1")
    world.say("user-6000004", "me llamo Carla Pérez, mi número es 300 123 4567")
    world.say("user-6000004", "7")  # a wrong menu pick: not a content gap
    enrol(world, "sofia")
    client = site.client()
    sign_in(client, world, "sofia")
    page = client.get("/console/supervisor?days=7")
    assert page.status_code == 200 and "me llamo [name], mi número es [number]" in page.text
    assert "Carla" not in page.text and "4567" not in page.text
    csv = client.get("/console/supervisor/unanswered.csv?days=7")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0] == "date_utc,language,nearest_topic,confidence,text" and len(lines) == 2
    assert "[name]" in lines[1] and "Carla" not in csv.text
    with world.db.connect() as conn:
        assert conn.scalar(select(AuditEntry.action).where(AuditEntry.action == "export")) == "export"


def test_audit_page_is_read_only(site: Site) -> None:
    case_id = site.world.ask_person("user-6000005")
    enrol(site.world, "root")
    client = site.client()
    csrf = sign_in(client, site.world, "root")
    page = client.get(f"/console/audit?case={case_id}")
    assert page.status_code == 200 and ">open<" in page.text
    assert client.post("/console/audit", data={"csrf": csrf}).status_code == 405


def test_passwords_are_argon2_hashes(site: Site) -> None:
    with site.world.db.connect() as conn:
        hashes = list(conn.scalars(select(Caseworker.password_hash)))
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_queue_refresh_answers_204_until_the_queue_changes(site: Site) -> None:
    client = site.client()
    sign_in(client, site.world, "ana")
    first = client.get("/console/queue/rows")
    version = re.search(r'class="queue-version" data-version="([0-9a-f]+)"', first.text)
    assert version
    assert client.get("/console/queue/rows", params={"version": version[1]}).status_code == 204
    site.world.ask_person("user-6000006", urgent=True)
    changed = client.get("/console/queue/rows", params={"version": version[1]})
    assert changed.status_code == 200 and "b-urgent" in changed.text
