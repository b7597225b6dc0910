"""Data hygiene over a hand-built book whose every figure is worked out below: fill rates,
checks, the score, the accounts behind a check (JSON and CSV), the digest's sentences, an
empty book, and a CSM's own accounts."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest

from app.accounts.access import EVERY_ACCOUNT
from app.auth import service as auth_service
from app.core.enums import Role
from app.core.models import utcnow
from app.hygiene import service
from app.identity.models import UnmatchedRecord
from app.ingest.models import DataSource
from app.revenue.models import SubscriptionLine
from app.support.models import Ticket
from app.surveys.models import SurveyResponse
from app.touchpoints.models import Touchpoint
from app.usage.models import UsageDaily
from tests.factories import bearer, make_account, make_contact, make_user

DAY = timedelta(days=1)


async def login(session, user) -> dict[str, str]:
    token, _, _ = await auth_service.login(session, user.email, "correct-horse")
    await session.flush()
    return {"Authorization": f"Bearer {token}"}


def line(account, source_id, interval, start, end=None, amount=0):
    return SubscriptionLine(
        source_id=source_id, account_id=account.id, product="core", quantity=Decimal(1),
        unit_amount=Decimal(amount), interval=interval, start_date=start, end_date=end,
    )  # fmt: skip


@pytest.fixture
async def book(session):
    """Five active accounts and a churned one (left out of everything):

    | | owner | ICP | plan | region | channel | seats | contract start | CRM renewal | lines | CRM ARR | ARR | contacts | last signal |
    |---|---|---|---|---|---|---|---|---|---|---|---|---|---|
    | A | csm | A | Growth | EMEA | inbound | 10 | -200 d | +165 d | yearly, ends +165 d | 50,000 | 50,000 | primary champion | touch yesterday |
    | B | csm | - | Growth | - | - | - | - | **-10 d** | - | - | 20,000 | - | usage yesterday |
    | C "=Cyberdyne" | csm | - | Scale | EMEA | outbound | 50 | -100 d | - | yearly, no end | **130,000** | 100,000 | sponsor | ticket 3 d ago |
    | D | - | B | Growth | NA | inbound | 5 | - | +30 d | - | 10,000 | 10,000 | primary | survey 5 d ago |
    | E | other | A | - | NA | inbound | 3 | - | +60 d | - | - | 5,000 | - | **touch 40 d ago** |
    """
    today = utcnow().date()
    now = utcnow()
    csm = await make_user(session, role=Role.csm, email="casey@tempo.test")
    other = await make_user(session, role=Role.csm, email="other@tempo.test")
    common = {"segment": "SMB", "plan": "Growth", "icp_tier": "A", "region": "NA", "acquisition_channel": "inbound"}
    a = await make_account(
        session, **{**common, "region": "EMEA"}, name="Acme", owner_id=csm.id, seats_purchased=10,
        contract_start=today - 200 * DAY, renewal_date=today + 165 * DAY, arr=50_000, declared_arr=Decimal(50_000),
    )  # fmt: skip
    b = await make_account(
        session, **{**common, "icp_tier": None, "region": None, "acquisition_channel": None},
        name="Beta", owner_id=csm.id, renewal_date=today - 10 * DAY, arr=20_000,
    )  # fmt: skip
    c = await make_account(
        session, **{**common, "icp_tier": None, "segment": "Enterprise", "plan": "Scale", "region": "EMEA",
                    "acquisition_channel": "outbound"}, name="=Cyberdyne", owner_id=csm.id, seats_purchased=50,
        contract_start=today - 100 * DAY, renewal_date=None, arr=100_000, declared_arr=Decimal(130_000),
    )  # fmt: skip
    d = await make_account(
        session, **{**common, "icp_tier": "B"}, name="Delta", seats_purchased=5, renewal_date=today + 30 * DAY,
        arr=10_000, declared_arr=Decimal(10_000),
    )  # fmt: skip
    e = await make_account(
        session, **{**common, "plan": None}, name="Echo", owner_id=other.id, seats_purchased=3,
        renewal_date=today + 60 * DAY, arr=5_000,
    )  # fmt: skip
    gone = await make_account(
        session, name="Gone", segment=None, plan=None, renewal_date=today - 400 * DAY, arr=0, status="churned"
    )
    session.add_all(
        [
            line(a, "a1", "year", today - 200 * DAY, today + 165 * DAY, amount=50_000),
            line(c, "c1", "year", today - 100 * DAY, amount=100_000),
            line(gone, "g1", "month", today - 500 * DAY, today - 400 * DAY, amount=100),
        ]
    )
    await make_contact(session, a, is_primary=True, role="champion")
    await make_contact(session, c, role="executive_sponsor")
    await make_contact(session, d, is_primary=True, role="user")
    await make_contact(session, gone, is_primary=True, role="champion")
    session.add_all(
        [
            Touchpoint(source_id="t-a", account_id=a.id, kind="call", occurred_at=now - DAY),
            # a note is not a signal: B's only sign of life is its usage
            Touchpoint(source_id="t-b", account_id=b.id, kind="note", occurred_at=now - DAY),
            UsageDaily(account_id=b.id, day=today - DAY, feature_id=0, events=3, active_users=1),
            Ticket(source_id="k-c", account_id=c.id, opened_at=now - 3 * DAY),
            SurveyResponse(source_id="s-d", account_id=d.id, kind="nps", score=9, responded_at=now - 5 * DAY),
            Touchpoint(source_id="t-e", account_id=e.id, kind="email", occurred_at=now - 40 * DAY),
            UnmatchedRecord(
                kind="events", item_id="u1", account_key_type="external_id", account_key="nobody",
                payload={}, received_at=now - 9 * DAY,
            ),
            UnmatchedRecord(
                kind="events", item_id="u2", account_key_type="external_id", account_key="found",
                payload={}, received_at=now - 20 * DAY, status="resolved", resolved_at=now - 19 * DAY,
            ),
            DataSource(key="crm", name="CRM", last_received_at=now - 20 * DAY, stale_after_days=10),
            DataSource(key="events", name="Events", last_received_at=now - DAY, stale_after_days=10),
        ]
    )  # fmt: skip
    await session.flush()
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "csm": csm, "today": today}


FILLS = {  # key: (filled, total, missing ARR)
    "segment": (5, 5, 0),
    "icp_tier": (3, 5, 120_000),  # B, C
    "plan": (4, 5, 5_000),  # E
    "owner": (4, 5, 10_000),  # D
    "renewal_date": (4, 5, 100_000),  # C
    "contract_start": (2, 5, 35_000),  # B, D, E
    "contract_end": (1, 2, 100_000),  # billed yearly: A and C; C's line has no end
    "region": (4, 5, 20_000),  # B
    "acquisition_channel": (4, 5, 20_000),  # B
    "seats_purchased": (4, 5, 20_000),  # B
    "primary_contact": (2, 5, 125_000),  # B, C, E
    "sponsor_or_champion": (2, 5, 35_000),  # B, D, E
}
CHECKS = {  # key: (failing, total, ARR affected, needs attention)
    "renewal_past": (1, 4, 20_000, True),  # B, of the four with a CRM date
    "renewal_missing": (1, 2, 100_000, True),  # C, of A and C on a term contract
    "arr_mismatch": (1, 2, 100_000, True),  # C (130,000 vs 100,000); D has no lines
    "silent": (1, 5, 5_000, True),  # E
    "no_owner": (1, 5, 10_000, True),  # D
    "unmatched_backlog": (1, 2, None, True),  # waiting 9 days > 7
    "stale_sources": (1, 2, None, True),  # CRM
}
# fills: segment 2*1 + ICP 2*0.6 + plan 0.8 + renewal date 0.8 + contract start 0.4 + channel 0.8
#        + seats 0.8 + sponsor 0.4 = 7.2 over weight 10;
# checks: renewal past 2*0.75 + missing 2*0.5 + ARR 2*0.5 + silent 1*0.8 + owner 2*0.8 = 5.9 over 9
SCORE = round(100 * (7.2 + 5.9) / 19, 1)


async def test_every_figure_of_a_known_book(client, session, book):
    h = await bearer(session, Role.leader)
    r = await client.get("/api/v1/hygiene", params={"scope": "all"}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scope"] == "all"
    assert body["silent_days"] == 30
    assert (body["accounts"], body["arr"]) == (5, 185_000)

    fills = {f["key"]: f for f in body["fill_rates"]}
    assert list(fills) == list(FILLS)
    for key, (filled, total, arr) in FILLS.items():
        f = fills[key]
        assert (f["filled"], f["total"], f["missing_arr"]) == (filled, total, arr), key
        assert f["rate"] == pytest.approx(filled / total), key
        assert f["needs_attention"] is (filled / total < 0.9), key
        assert f["accounts_key"] == f"missing:{key}"

    checks = {c["key"]: c for c in body["checks"]}
    assert list(checks) == list(CHECKS)
    for key, (failing, total, arr, attention) in CHECKS.items():
        c = checks[key]
        assert (c["failing"], c["total"], c["arr_affected"]) == (failing, total, arr), key
        assert c["share"] == pytest.approx(failing / total), key
        assert c["needs_attention"] is attention, key
        assert c["measurable"] is True
    assert checks["unmatched_backlog"]["oldest_days"] == 9.0
    assert checks["stale_sources"]["note"] == "Stale: CRM"
    assert {k for k, c in checks.items() if c["book_wide"]} == {"unmatched_backlog", "stale_sources"}
    assert {k for k, c in checks.items() if c["lists_accounts"]} == set(CHECKS) - {
        "unmatched_backlog",
        "stale_sources",
    }
    assert "10 %" in checks["arr_mismatch"]["definition"]
    assert "30 days" in checks["silent"]["definition"]

    assert body["score"] == SCORE == 68.9
    parts = {p["key"]: p for p in body["score_parts"]}
    assert {k: p["weight"] for k, p in parts.items() if p["counted"]} == {
        "fill:segment": 2, "fill:icp_tier": 2, "fill:plan": 1, "fill:renewal_date": 1, "fill:contract_start": 1,
        "fill:acquisition_channel": 1, "fill:seats_purchased": 1, "fill:sponsor_or_champion": 1,
        "check:renewal_past": 2, "check:renewal_missing": 2, "check:arr_mismatch": 2, "check:silent": 1,
        "check:no_owner": 2,
    }  # fmt: skip
    assert parts["check:renewal_past"]["value"] == 0.75
    assert parts["fill:region"] == {
        "key": "fill:region", "label": "Region", "kind": "fill_rate", "weight": 0, "value": 0.8, "counted": False,
    }  # fmt: skip
    assert "check:stale_sources" not in parts


async def test_silent_days_moves_the_window(client, session, book):
    h = await bearer(session, Role.admin)
    body = (await client.get("/api/v1/hygiene", params={"silent_days": 45}, headers=h)).json()
    silent = next(c for c in body["checks"] if c["key"] == "silent")
    assert (silent["failing"], silent["total"]) == (0, 5)
    assert "45 days" in silent["definition"]
    for bad in (6, 366, "x"):
        r = await client.get("/api/v1/hygiene", params={"silent_days": bad}, headers=h)
        assert r.status_code == 422
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["loc"] == ["query", "silent_days"]


async def test_the_accounts_behind_a_check(client, session, book):
    h = await bearer(session, Role.admin)
    r = await client.get("/api/v1/hygiene/checks/renewal_past/accounts", headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["key"], body["label"], body["total"], body["scope"]) == (
        "renewal_past",
        "Renewal date in the past",
        1,
        "all",
    )
    assert [c["key"] for c in body["columns"]] == ["renewal_date", "days_past", "next_renewal_date"]
    [beta] = body["items"]
    assert beta == {
        "id": str(book["b"].id),
        "external_id": book["b"].external_id,
        "name": "Beta",
        "owner_email": "casey@tempo.test",
        "arr": 20_000,
        "values": {
            "renewal_date": (book["today"] - 10 * DAY).isoformat(),
            "days_past": 10,
            "next_renewal_date": None,
        },
    }

    mismatch = (await client.get("/api/v1/hygiene/checks/arr_mismatch/accounts", headers=h)).json()
    assert [(i["name"], i["values"]) for i in mismatch["items"]] == [
        ("=Cyberdyne", {"crm_arr": 130_000, "billing_arr": 100_000, "difference": 0.3})
    ]
    silent = (await client.get("/api/v1/hygiene/checks/silent/accounts", headers=h)).json()
    assert [(i["name"], i["values"]) for i in silent["items"]] == [
        ("Echo", {"last_signal_on": (book["today"] - 40 * DAY).isoformat()})
    ]
    # largest ARR first, and the limit keeps the total
    primary = (await client.get("/api/v1/hygiene/checks/missing:primary_contact/accounts", headers=h)).json()
    assert [i["name"] for i in primary["items"]] == ["=Cyberdyne", "Beta", "Echo"]
    first = (
        await client.get("/api/v1/hygiene/checks/missing%3Aprimary_contact/accounts", params={"limit": 1}, headers=h)
    ).json()
    assert ([i["name"] for i in first["items"]], first["total"]) == (["=Cyberdyne"], 3)
    empty = (await client.get("/api/v1/hygiene/checks/missing:segment/accounts", headers=h)).json()
    assert (empty["items"], empty["total"]) == ([], 0)


async def test_csv_export_is_formula_safe(client, session, book):
    h = await bearer(session, Role.admin)
    r = await client.get("/api/v1/hygiene/checks/missing:icp_tier/accounts", params={"format": "csv"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["x-scope"] == "all"
    assert r.headers["x-total"] == "2"
    assert r.headers["content-disposition"].startswith('attachment; filename="tempo-hygiene-missing-icp_tier-')
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [
        ["Account ID", "External ID", "Account", "Owner email", "ARR"],
        [str(book["c"].id), book["c"].external_id, "'=Cyberdyne", "casey@tempo.test", "100000.00"],
        [str(book["b"].id), book["b"].external_id, "Beta", "casey@tempo.test", "20000.00"],
    ]

    r = await client.get("/api/v1/hygiene/checks/arr_mismatch/accounts", params={"format": "csv"}, headers=h)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8").removeprefix("\ufeff"))))
    assert rows[0][5:] == ["CRM ARR", "Billing ARR", "Difference"]
    assert rows[1][2:] == ["'=Cyberdyne", "casey@tempo.test", "100000.00", "130000.00", "100000.00", "0.3000"]


async def test_monthly_plans_need_no_renewal_date(client, session):
    """Billed only monthly: no CRM renewal date is needed (they renew every month), even with a
    contract start; an account billing never sent, with a contract start, is a term contract."""
    today = utcnow().date()
    monthly = await make_account(session, name="Monthly", contract_start=today - 90 * DAY, renewal_date=None)
    session.add(line(monthly, "m1", "month", today - 90 * DAY, amount=100))
    await make_account(session, name="CRM only", contract_start=today - 90 * DAY, renewal_date=None)
    # lapsed: its yearly line ended, it has not churned yet (inside the bridge)
    lapsed = await make_account(session, name="Lapsed", renewal_date=None, arr=0)
    session.add(line(lapsed, "l1", "year", today - 380 * DAY, today - 15 * DAY, amount=1000))
    await session.flush()
    h = await bearer(session, Role.admin)
    body = (await client.get("/api/v1/hygiene", headers=h)).json()
    fills = {f["key"]: (f["filled"], f["total"]) for f in body["fill_rates"]}
    checks = {c["key"]: (c["failing"], c["total"]) for c in body["checks"]}
    assert body["accounts"] == 3
    assert fills["renewal_date"] == (0, 2)  # CRM only and Lapsed; Monthly needs none
    assert fills["contract_end"] == (0, 0)  # nobody is billed yearly today
    assert checks["renewal_missing"] == (1, 1)  # CRM only
    listed = (await client.get("/api/v1/hygiene/checks/renewal_missing/accounts", headers=h)).json()
    assert [(i["name"], i["values"]["contract_start"]) for i in listed["items"]] == [
        ("CRM only", (today - 90 * DAY).isoformat())
    ]


async def test_an_unknown_key_is_a_404_naming_the_valid_ones(client, session):
    h = await bearer(session, Role.viewer)
    for key in ("nonsense", "missing:nonsense", "stale_sources", "unmatched_backlog"):
        r = await client.get(f"/api/v1/hygiene/checks/{key}/accounts", headers=h)
        assert r.status_code == 404, key
        assert r.headers["content-type"].startswith("application/problem+json")
        detail = r.json()["detail"]
        assert f"'{key}'" in detail
        assert "renewal_past, renewal_missing, arr_mismatch, silent, no_owner, missing:segment" in detail
        assert "missing:sponsor_or_champion" in detail


async def test_an_empty_book_scores_nothing(client, session):
    """No accounts: every count 0, every rate and share null, and no score (null, not 100:
    there is nothing to vouch for)."""
    h = await bearer(session, Role.admin)
    body = (await client.get("/api/v1/hygiene", headers=h)).json()
    assert (body["accounts"], body["arr"], body["score"]) == (0, 0, None)
    assert all(
        (f["filled"], f["total"], f["rate"], f["needs_attention"]) == (0, 0, None, False) for f in body["fill_rates"]
    )
    for c in body["checks"]:
        assert (c["failing"], c["total"], c["share"], c["needs_attention"]) == (0, 0, None, False), c["key"]
    mismatch = next(c for c in body["checks"] if c["key"] == "arr_mismatch")
    assert mismatch["measurable"] is False
    assert mismatch["note"] == "No active account in scope has both an ARR from the CRM and subscription lines."
    assert all(p["counted"] is False for p in body["score_parts"])
    assert await service.warnings(session) == []


async def test_a_csm_sees_their_own_accounts(client, session, book):
    """A CSM's default scope is mine: A, B and C (185,000 less D's and E's 15,000)."""
    h = await login(session, book["csm"])
    body = (await client.get("/api/v1/hygiene", headers=h)).json()
    assert (body["scope"], body["accounts"], body["arr"]) == ("mine", 3, 170_000)
    fills = {f["key"]: (f["filled"], f["total"]) for f in body["fill_rates"]}
    assert fills["icp_tier"] == (1, 3)
    assert fills["owner"] == (3, 3)
    checks = {c["key"]: (c["failing"], c["total"]) for c in body["checks"]}
    assert checks["silent"] == (0, 3)
    assert checks["no_owner"] == (0, 3)
    assert checks["renewal_past"] == (1, 2)  # B, of A and B
    # book-wide checks stay book-wide
    assert checks["stale_sources"] == (1, 2)
    # fills: segment 2*1 + ICP 2*1/3 + plan 1 + renewal date, contract start, channel, seats and
    # sponsor 5*2/3 = 7 over 10; checks: 2*0.5 (past) + 2*0.5 (missing) + 2*0.5 (ARR) + 1 + 2 = 6 over 9
    assert body["score"] == round(100 * 13 / 19, 1) == 68.4

    listed = (await client.get("/api/v1/hygiene/checks/missing:icp_tier/accounts", headers=h)).json()
    assert (listed["scope"], [i["name"] for i in listed["items"]]) == ("mine", ["=Cyberdyne", "Beta"])
    everyone = (await client.get("/api/v1/hygiene", params={"scope": "all"}, headers=h)).json()
    assert (everyone["scope"], everyone["accounts"]) == ("all", 5)


async def test_warnings_for_the_digest(session, book):
    """Worst first: by the share that fails, then by ARR (then alphabetically); the owner's fill
    rate is left to the no-owner check."""
    assert await service.warnings(session, EVERY_ACCOUNT, limit=5) == [
        "60 % of accounts have no primary contact (3 of 5, $125K ARR)",
        "60 % of accounts have no contract start date (3 of 5, $35K ARR)",
        "60 % of accounts have no executive sponsor or champion (3 of 5, $35K ARR)",
        "50 % of accounts billed yearly have no contract end date (1 of 2, $100K ARR)",
        "50 % of accounts on a term contract have no renewal date from the CRM (1 of 2, $100K ARR)",
    ]
    every = await service.warnings(session, EVERY_ACCOUNT, limit=100)
    assert every[5:] == [
        "50 % of accounts with ARR from both the CRM and billing disagree on ARR by more than 10 % (1 of 2, $100K ARR)",
        "1 of 2 data sources is stale (CRM)",
        "40 % of accounts have no ICP tier (2 of 5, $120K ARR)",
        "25 % of accounts with a CRM renewal date have it in the past (1 of 4, $20K ARR)",
        "20 % of accounts not billed monthly have no renewal date from the CRM (1 of 5, $100K ARR)",
        "20 % of accounts have no acquisition channel (1 of 5, $20K ARR)",
        "20 % of accounts have no region (1 of 5, $20K ARR)",
        "20 % of accounts have no seats purchased (1 of 5, $20K ARR)",
        "20 % of accounts have no owner (1 of 5, $10K ARR)",
        "20 % of accounts have no plan (1 of 5, $5K ARR)",
        "20 % of accounts sent no signal in 30 days (1 of 5, $5K ARR)",
        "1 ingested record waits for an unknown account, the oldest for 9 days",
    ]
    # the owner's fill rate says what the no-owner check says: one sentence
    assert sum("no owner" in w for w in every) == 1
