"""Record what the real server answers the mini-program, with the demo data, for the screenshots.

Starts the app in-process (a fresh SQLite file, `junxiu migrate` + `junxiu demo` on a frozen
clock), logs in through the fake WeChat as the demo retiree, the demo family member, a new
(unbound) user and a retiree with nothing booked, and saves every response the pages read to a
JSON file. Then it changes the server the way people would (signs the demo retiree up for a full
activity, has staff return his check-in) and records again. The renderer
(tools/render.jest.js) replays these answers through its wx.request mock.

    PYTHONPATH=. python miniprogram_stub/tools/record_demo.py var/screens/demo-responses.json
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from sqlmodel import select

from backend.accounts import binding
from backend.accounts.models import Retiree, StaffAccount, Unit
from backend.app import create_app
from backend.core.cache import MemoryCache
from backend.core.clock import FrozenClock
from backend.core.db import make_engine, transaction
from backend.core.migrate import upgrade_to_head
from backend.core.security import PersonalDataCipher
from backend.core.serving import serve_in_thread
from backend.core.settings import REPO_ROOT, Settings
from backend.demo import DEMO_FAMILY_OPENID, DEMO_RETIREE_OPENID, load_demo
from backend.wechat.fake_server import start_fake_wechat_server

# A Wednesday morning in Beijing: the screenshots do not change with the day they are taken.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
STAFF_PASSWORD = "junxiu-staff-2026"
BOT_QUESTION = "体检多久一次"  # the first suggestion chip on the bot page
INBOX_PAGE = 30  # pages/inbox PAGE_SIZE
BOT_INDEX = REPO_ROOT / "var" / "screens" / "bot_index.pkl"  # built once, reused


class Recorder:
    """GETs (and a few POSTs) as the client sends them, keyed 'METHOD /path?sorted query'."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    @staticmethod
    def key(method: str, path: str, query: dict[str, Any] | None = None) -> str:
        items = (query or {}).items()
        pairs = sorted((k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in items)
        return f"{method} {path}" + (f"?{urlencode(pairs)}" if pairs else "")

    def send(
        self,
        out: dict[str, Any],
        token: str,
        method: str,
        path: str,
        query: dict[str, Any] | None = None,
        body: Any = None,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        res = self.client.request(method, path, params=query, json=body, headers=headers)
        data = res.json() if res.content else ""
        out[self.key(method, path, query)] = {"status": res.status_code, "body": data}
        return data


def _login(client: httpx.Client, fake_base: str, openid: str) -> dict[str, Any]:
    code = httpx.post(f"{fake_base}/_fake/login-code", json={"openid": openid}).json()["code"]
    res = client.post("/api/v1/auth/wechat", json={"code": code})
    res.raise_for_status()
    return dict(res.json())


def _reads(rec: Recorder, token: str, retiree_id: int) -> dict[str, Any]:
    """Everything the pages read for one retiree."""
    out: dict[str, Any] = {}
    q = {"retiree_id": retiree_id}
    rec.send(out, token, "GET", "/api/v1/me")
    rec.send(out, token, "GET", "/api/v1/checkin", q)
    rec.send(out, token, "GET", "/api/v1/safecheck", q)
    bookings = rec.send(out, token, "GET", "/api/v1/bookings", q)
    rec.send(out, token, "GET", "/api/v1/inbox", {"retiree_id": retiree_id, "limit": 1})
    inbox = rec.send(out, token, "GET", "/api/v1/inbox", {"limit": INBOX_PAGE})
    for item in (inbox.get("data") or [])[:1] if isinstance(inbox, dict) else []:
        rec.send(out, token, "GET", f"/api/v1/inbox/{item['id']}")
        rec.send(out, token, "POST", f"/api/v1/inbox/{item['id']}/read")
    rec.send(out, token, "GET", "/api/v1/meals/orders", q)
    rec.send(out, token, "GET", "/api/v1/meals/menus", {"retiree_id": retiree_id, "days": 7})
    rec.send(out, token, "GET", "/api/v1/meals/standing-orders", q)
    rec.send(out, token, "GET", "/api/v1/rides", q)
    rec.send(out, token, "GET", "/api/v1/rides/destinations", q)
    rec.send(out, token, "GET", "/api/v1/visits/care", q)
    rec.send(out, token, "GET", "/api/v1/contact/call", q)
    rec.send(out, token, "GET", "/api/v1/notices/preferences")
    rec.send(out, token, "GET", "/api/v1/bot/questions")
    rec.send(out, token, "GET", f"/api/v1/retirees/{retiree_id}/family")
    rec.send(out, token, "GET", "/api/v1/sos/alerts/current", q)
    rec.send(out, token, "GET", "/api/v1/sos/contacts", q)
    rec.send(out, token, "GET", "/api/v1/matters", q)
    rec.send(out, token, "GET", "/api/v1/bereavement", q)
    rec.send(out, token, "GET", "/api/v1/medical/claims", q)
    rec.send(out, token, "GET", "/api/v1/health-record", q)
    rec.send(out, token, "GET", "/api/v1/cases", q)
    listing = rec.send(out, token, "GET", "/api/v1/activities", q)
    rec.send(out, token, "GET", "/api/v1/activities", {**q, "can_join": True})
    ids = {a["id"] for a in listing.get("data", [])} if isinstance(listing, dict) else set()
    for b in bookings if isinstance(bookings, list) else []:
        if b.get("kind") == "activity":
            ids.add(b.get("bookable_id"))
    for activity_id in sorted(i for i in ids if i):
        rec.send(out, token, "GET", f"/api/v1/activities/{activity_id}", q)
    mine = rec.send(out, token, "GET", "/api/v1/satisfaction/surveys", q)
    for survey in mine.get("data", []) if isinstance(mine, dict) else []:
        rec.send(out, token, "GET", f"/api/v1/satisfaction/surveys/{survey['id']}", q)
    pending = rec.send(out, token, "GET", "/api/v1/satisfaction/ratings/pending", q)
    for item in pending.get("data", []) if isinstance(pending, dict) else []:
        ask = {"source": item["source"], "source_id": item["source_id"], **q}
        rec.send(out, token, "GET", "/api/v1/satisfaction/ratings", ask)
    return out


def _settings(tmp: Path, fake_base: str) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp / 'screens.db'}",
        redis_url="",
        secret_key="screens-secret-key-screens-secret-key-0123",
        wechat_api_base=fake_base,
        mount_fake_wechat=False,
        upload_dir=tmp / "uploads",
        bot_index_path=BOT_INDEX,
        run_scheduler=False,
        log_level="WARNING",
    )


def record(out_path: Path) -> dict[str, Any]:
    BOT_INDEX.parent.mkdir(parents=True, exist_ok=True)
    clock = FrozenClock(NOW)
    fake = start_fake_wechat_server(clock=clock)
    tmp = Path(tempfile.mkdtemp(prefix="junxiu-screens-"))
    settings = _settings(tmp, fake.base_url)
    upgrade_to_head(settings.database_url)
    engine = make_engine(settings.database_url)
    cipher = PersonalDataCipher(settings.secret_key, settings.id_encryption_key)
    with transaction(engine) as db:
        load_demo(db, clock=clock, cipher=cipher, upload_dir=settings.upload_dir)
    app = create_app(settings, clock=clock, cache=MemoryCache(), configure_logs=False)
    running = serve_in_thread(app)
    scenes: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=running.base_url, timeout=60) as client:
            rec = Recorder(client)
            scenes.update(_scenes(rec, client, fake.base_url, engine, clock))
    finally:
        running.stop()
        fake.stop()
        engine.dispose()
    recording = {"now": NOW.isoformat().replace("+00:00", "Z"), "scenes": scenes}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(recording, ensure_ascii=False, indent=1), encoding="utf-8")
    return recording


def _scene(session: dict[str, Any], responses: dict[str, Any]) -> dict[str, Any]:
    return {"token": session["token"], "me": session["identity"], "responses": responses}


def _ride_to_rate(client: httpx.Client, engine, clock, token: str, rid: int) -> None:  # noqa: ANN001
    """The 请评价 buttons as they look after a ride: the demo retiree's first ride offered for a
    rating (the demo's rides are all still ahead, so none has been completed yet)."""
    from backend.satisfaction import service as satisfaction
    from backend.satisfaction.schemas import Source

    auth = {"Authorization": f"Bearer {token}"}
    rides = client.get("/api/v1/rides", params={"retiree_id": rid}, headers=auth).json()
    if not rides.get("data"):
        return
    with transaction(engine) as db:
        retiree = db.get(Retiree, rid)
        assert retiree is not None
        satisfaction.invite(
            db,
            clock=clock,
            source=Source.ride,
            source_id=rides["data"][0]["id"],
            retiree_id=rid,
            unit_id=retiree.unit_id,
            label="上周三去医院的用车",
            notify=False,
        )


def _scenes(rec: Recorder, client: httpx.Client, fake_base: str, engine, clock) -> dict[str, Any]:  # noqa: ANN001
    scenes: dict[str, Any] = {}
    # The demo retiree as the demo loads him.
    me = _login(client, fake_base, DEMO_RETIREE_OPENID)
    rid = me["identity"]["retiree"]["id"]
    _ride_to_rate(client, engine, clock, me["token"], rid)
    scenes["retiree"] = _scene(me, _reads(rec, me["token"], rid))
    answer: dict[str, Any] = {}
    rec.send(answer, me["token"], "POST", "/api/v1/bot/ask", body={"question": BOT_QUESTION})
    scenes["retiree"]["responses"].update(answer)

    # The family member following two retirees.
    fam = _login(client, fake_base, DEMO_FAMILY_OPENID)
    following = fam["identity"]["following"]
    responses: dict[str, Any] = {}
    for f in following:
        responses.update(_reads(rec, fam["token"], f["retiree_id"]))
    scenes["family"] = _scene(fam, responses)

    # A new WeChat user: the binding page, and what the server says to a wrong code.
    new = _login(client, fake_base, "screens-new-user")
    responses = {}
    rec.send(responses, new["token"], "GET", "/api/v1/me")
    wrong = {"code": "000000", "id_tail": "0000"}
    rec.send(responses, new["token"], "POST", "/api/v1/bind/retiree", body=wrong)
    scenes["unbound"] = _scene(new, responses)

    # A retiree of the second 军休所 with nothing booked yet: every empty list.
    with transaction(engine) as db:
        second = db.exec(select(Unit).where(Unit.name == "第二军休所")).one()
        retiree = db.exec(
            select(Retiree).where(Retiree.unit_id == second.id).order_by(Retiree.id)  # type: ignore[arg-type]
        ).first()
        staff = db.exec(select(StaffAccount).where(StaffAccount.username == "liqiang")).one()
        issued = binding.issue_binding_code(db, clock=clock, staff=staff, retiree=retiree)
        code, tail = issued.code, retiree.id_number_tail
    empty = _login(client, fake_base, "screens-empty-user")
    res = client.post(
        "/api/v1/bind/retiree",
        json={"code": code, "id_tail": tail},
        headers={"Authorization": f"Bearer {empty['token']}"},
    )
    res.raise_for_status()
    empty = _login(client, fake_base, "screens-empty-user")
    scenes["empty"] = _scene(empty, _reads(rec, empty["token"], empty["identity"]["retiree"]["id"]))

    # What changes: the demo retiree joins the waiting list of a full activity, submits his
    # check-in, and staff return it with a reason.
    token = me["token"]
    auth = {"Authorization": f"Bearer {token}"}
    listing = client.get("/api/v1/activities", params={"retiree_id": rid}, headers=auth).json()
    full = [a for a in listing["data"] if a["remaining"] == 0 and a["can_sign_up"]]
    for a in full[:1]:
        key = "screens-signup-1"
        body = {"retiree_id": rid, "quantity": 1, "notes": None, "idempotency_key": key}
        client.post(f"/api/v1/activities/{a['id']}/signup", json=body, headers=auth)
    answers = {
        "same_address": True,
        "new_address": None,
        "phone": "13900000000",
        "party_life": True,
        "social_orgs": None,
        "trips_abroad": [],
        "awards": None,
        "discipline": None,
        "marriage_change": None,
        "household_change": None,
        "health_note": None,
        "care_needs": [],
    }
    submit = {"retiree_id": rid, "answers": answers, "declaration": True}
    submit["request_id"] = "screens-checkin-1"
    res = client.post("/api/v1/checkin/submit", json=submit, headers=auth)
    if res.status_code != 200:
        raise RuntimeError(f"check-in submit refused: {res.text}")
    staff_login = {"username": "zhangmin", "password": STAFF_PASSWORD}
    staff_token = client.post("/api/v1/staff/login", json=staff_login).json()["token"]
    staff_auth = {"Authorization": f"Bearer {staff_token}"}
    campaigns = client.get("/api/v1/staff/checkin/campaigns", headers=staff_auth).json()
    subs = client.get(
        f"/api/v1/staff/checkin/campaigns/{campaigns[0]['id']}/submissions",
        params={"status": "submitted", "limit": 500},
        headers=staff_auth,
    ).json()
    row_id = next(r["id"] for r in subs["data"] if r["retiree_id"] == rid)
    row = client.get(f"/api/v1/staff/checkin/submissions/{row_id}", headers=staff_auth).json()
    reasons = {"phone": "电话打不通，请核对后再填"}
    client.post(
        f"/api/v1/staff/checkin/submissions/{row['id']}/return",
        json={"version": row["version"], "reasons": reasons},
        headers=staff_auth,
    ).raise_for_status()
    scenes["retiree_later"] = _scene(me, _reads(rec, token, rid))

    # 紧急求助: the demo retiree keeps two emergency contacts and presses the button.
    people = [
        {"name": "王小红", "relation": "女儿", "phone": "13900000001"},
        {"name": "王大力", "relation": "儿子", "phone": "13900000002"},
    ]
    client.put(
        "/api/v1/sos/contacts", json={"retiree_id": rid, "contacts": people}, headers=auth
    ).raise_for_status()
    client.post("/api/v1/sos/alerts", json={"retiree_id": rid}, headers=auth).raise_for_status()
    scenes["retiree_sos"] = _scene(me, _reads(rec, token, rid))

    # Last, since it ends his open items: the first person the family member follows dies; the
    # family's home shows the centre's help, and the 遗属 page the checklist staff opened.
    gone = following[0]["retiree_id"]
    admin_login = {"username": "admin", "password": "junxiu-admin-2026"}
    admin_token = client.post("/api/v1/staff/login", json=admin_login).json()["token"]
    client.post(
        f"/api/v1/staff/retirees/{gone}/status",
        json={"status": "去世", "note": "家属来电", "died_on": (NOW.date()).isoformat()},
        headers={"Authorization": f"Bearer {admin_token}"},
    ).raise_for_status()
    bereaved = _login(client, fake_base, DEMO_FAMILY_OPENID)
    scenes["family_bereaved"] = _scene(bereaved, _reads(rec, bereaved["token"], gone))
    return scenes


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else REPO_ROOT / "var" / "screens" / "demo-responses.json"
    recording = record(out)
    count = sum(len(s["responses"]) for s in recording["scenes"].values())
    sys.stdout.write(f"recorded {count} responses in {len(recording['scenes'])} scenes: {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
