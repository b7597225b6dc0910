"""The leadership overview (``GET /api/v1/metrics/overview``) on a hand-worked book.

Churn probability is the default curve (no calibration in an empty database):
(0, 0.6) (40, 0.35) (60, 0.18) (80, 0.07) (100, 0.03); unscored counts at p(50) = 0.265.
Saveable fraction: no term renewal ahead 0.8; 45 days 0.45.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from app.accounts.models import Contact
from app.alerts.models import Alert
from app.auth import service as auth
from app.auth.models import User
from app.core.enums import Role
from app.flows.leadership_overview import next_quarter
from app.renewals.models import Renewal
from app.scoring import service as scoring
from app.scoring.models import AccountHealth
from app.surveys.models import SurveyResponse
from tests.factories import make_account, make_user

FORECASTS = ("commit", "upside", "risk", "churn", "unset")


async def _login(session, user: User) -> dict[str, str]:
    token, _, _ = await auth.login(session, user.email, "correct-horse")
    await session.flush()
    return {"Authorization": f"Bearer {token}"}


def _groups(window: dict[str, Any]) -> dict[str, tuple[int, float]]:
    return {g["forecast"]: (g["renewals"], g["arr"]) for g in window["by_forecast"]}


def test_next_quarter_is_the_calendar_quarter_after_today():
    assert next_quarter(date(2025, 2, 15)) == (date(2025, 4, 1), date(2025, 6, 30))
    assert next_quarter(date(2025, 3, 31)) == (date(2025, 4, 1), date(2025, 6, 30))
    assert next_quarter(date(2025, 7, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert next_quarter(date(2025, 11, 30)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert next_quarter(date(2024, 12, 31)) == (date(2025, 1, 1), date(2025, 3, 31))


async def test_an_empty_book_answers_zeros(client, session):
    leader = await make_user(session, role=Role.leader)
    body = (await client.get("/api/v1/metrics/overview", headers=await _login(session, leader))).json()
    start, end = next_quarter(scoring.today())
    assert body["scope"] == "all"  # nobody reports to this leader
    assert body["as_of"] == scoring.today().isoformat()
    assert body["currency"] == "USD"
    risk = body["revenue_at_risk"]
    assert (risk["value"], risk["arr"], risk["accounts"], risk["by_band"]) == (0, 0, 0, [])
    assert risk["probability_source"] == "default"
    assert body["attention"]["items"] == []
    assert (body["attention"]["total_items"], body["attention"]["total_at_stake"]) == (0, 0)
    quarter = body["renewals_next_quarter"]["next_quarter"]
    assert (quarter["start"], quarter["end"]) == (start.isoformat(), end.isoformat())
    assert quarter["label"] == f"Q{(start.month - 1) // 3 + 1} {start.year}"
    assert (quarter["renewals"], quarter["arr"], quarter["no_forecast"]) == (0, 0, 0)
    assert _groups(quarter) == {f: (0, 0) for f in FORECASTS}
    assert body["renewals_next_quarter"]["within_90_days"]["renewals"] == 0
    expansion = body["expansion_pipeline"]
    assert (expansion["value"], expansion["accounts"]) == (0, 0)
    assert [(r["rule"], r["accounts"], r["value"]) for r in expansion["by_rule"]] == [
        ("expansion_ready", 0, 0),
        ("seat_limit", 0, 0),
        ("api_limit", 0, 0),
    ]
    nps, csat = body["nps"], body["csat"]
    assert (nps["value"], nps["respondents"], nps["previous"], nps["change"]) == (None, 0, None, None)
    assert (csat["value"], csat["responses"], csat["previous"], csat["change"]) == (None, 0, None, None)
    for figure in ("revenue_at_risk", "attention", "renewals_next_quarter", "expansion_pipeline", "nps", "csat"):
        assert body[figure]["definition"].endswith(".")


@pytest.fixture
async def book(session) -> dict[str, Any]:
    """A leader with two CSMs (A and B), a CSM outside the team (C), and an unowned account."""
    today = scoring.today()
    now = datetime.now(UTC)
    version = (await scoring.load_active(session)).version
    leader = await make_user(session, role=Role.leader, name="Lee Lead")
    a = await make_user(session, role=Role.csm, name="Ann A", lead_id=leader.id)
    b = await make_user(session, role=Role.csm, name="Ben B", lead_id=leader.id)
    c = await make_user(session, role=Role.csm, name="Cat C")
    accounts: dict[str, Any] = {}

    async def account(key: str, arr: float, health: float | None, band: str | None, owner: User | None, **kw: Any):
        acct = await make_account(session, name=key, arr=arr, owner_id=owner.id if owner else None, **kw)
        if health is not None:
            session.add(
                AccountHealth(account_id=acct.id, as_of=today, config_version=version, health_score=health, band=band)
            )
        accounts[key] = acct
        return acct

    def alert(key: str, rule: str, hours_ago: int = 5) -> None:
        opened = now - timedelta(hours=hours_ago)
        session.add(
            Alert(
                account_id=accounts[key].id, rule=rule, severity="high", dedupe_key=f"{rule}:{key}",
                title=f"{rule} on {key}", opened_at=opened, last_evaluated_at=opened,
            )
        )  # fmt: skip

    # a1: 100,000 x p(40) 0.35 x saveable(45 d) 0.45 = 15,750 at stake
    await account("a1", 100_000, 40, "at_risk", a, next_renewal_date=today + timedelta(days=45), renewal_term="annual")
    # a2: 200,000 x p(80) 0.07 x 0.8 = 11,200; expansion 200,000 x 0.2 x 0.93 = 37,200
    await account("a2", 200_000, 80, "healthy", b)
    # a3: 50,000 x p(50) 0.265 x 0.8 = 10,600 (unscored; outside the team)
    await account("a3", 50_000, None, None, c)
    # a4: 40,000 x p(60) 0.18 x 0.8 = 5,760; expansion 40,000 x 0.2 x 0.82 = 6,560 (nobody's)
    await account("a4", 40_000, 60, "watch", None)
    # s1..s9: 1,000k x 0.35 x 0.8 = 280k each, 12,600 together (Ben's)
    for k in range(1, 10):
        await account(f"s{k}", 1_000 * k, 40, "at_risk", b)
    # churned: counts nowhere
    await account("gone", 999_999, 10, "at_risk", a, status="churned")

    alert("a1", "health_drop")
    alert("a3", "critical_ticket")
    alert("a4", "detractor")
    alert("a2", "expansion_ready")
    alert("a4", "seat_limit")
    alert("gone", "health_drop")
    for k in range(1, 10):
        alert(f"s{k}", "inactivity", hours_ago=k)

    start, end = next_quarter(today)

    def renewal(key: str, day: date, arr: float, forecast: str | None = None, **kw: Any) -> None:
        session.add(
            Renewal(
                account_id=accounts[key].id, renewal_date=day, arr_up_for_renewal=Decimal(str(arr)),
                forecast=forecast, term=kw.pop("term", "annual"), **kw,
            )
        )  # fmt: skip

    # the next quarter's last day is 92 days or more away: never within 90 days
    renewal("a1", end, 100_000, "commit")
    renewal("a2", end, 200_000)
    renewal("s1", end, 1_000, "churn")
    renewal("a3", end, 50_000, "risk")
    # today: within 90 days, never in the next quarter
    renewal("a4", today, 40_000, "upside")
    renewal("a2", today, 200_000, "commit")
    # left out: after the quarter, past, monthly, already settled
    renewal("s2", end + timedelta(days=1), 2_000, "commit")
    renewal("s3", today - timedelta(days=1), 3_000, "commit")
    renewal("s4", end - timedelta(days=1), 4_000, "commit", term="monthly")
    renewal("s5", end - timedelta(days=2), 5_000, "commit", outcome="renewed")

    c1 = Contact(account_id=accounts["a1"].id, name="Cho One", email="cho@a1.test")
    c2 = Contact(account_id=accounts["a1"].id, name="Dee Two", email="dee@a1.test")
    c3 = Contact(account_id=accounts["a2"].id, name="Eve Three", email="eve@a2.test")
    session.add_all([c1, c2, c3])
    await session.flush()
    n = 0

    def survey(key: str, kind: str, score: int, days_ago: float, contact: Contact | None = None, email=None):
        nonlocal n
        n += 1
        session.add(
            SurveyResponse(
                source_id=f"sv-{n}", account_id=accounts[key].id, contact_id=contact.id if contact else None,
                contact_email=email, kind=kind, score=score, responded_at=now - timedelta(days=days_ago),
            )
        )  # fmt: skip

    # the last 90 days: Cho's latest is 10 (promoter; her 3 before it does not count), Dee 8
    # (passive; her 0 dated tomorrow is not in yet), Pat's latest 2 (detractor: one respondent
    # by email whatever its case), an anonymous 9 on a3 (promoter, outside the team)
    survey("a1", "nps", 10, 5, c1)
    survey("a1", "nps", 3, 20, c1)
    survey("a1", "nps", 8, 10, c2)
    survey("a1", "nps", 0, -1, c2)
    survey("a2", "nps", 2, 3, email="Pat@a2.test")
    survey("a2", "nps", 9, 30, email="pat@a2.test")
    survey("a3", "nps", 9, 1)
    # the 90 days before: Cho 6 (detractor), Eve 9 (promoter); Eve's 10 of 200 days ago is too old
    survey("a1", "nps", 6, 100, c1)
    survey("a2", "nps", 9, 120, c3)
    survey("a2", "nps", 10, 200, c3)
    # CSAT: 5, 3 (team), 2 (outside); before: 4
    survey("a1", "csat", 5, 1)
    survey("a2", "csat", 3, 40)
    survey("a3", "csat", 2, 2)
    survey("a1", "csat", 4, 100)
    await session.flush()
    return {"leader": leader, "a": a, "b": b, "c": c, "accounts": accounts, "start": start, "end": end}


async def test_the_overview_over_every_account(client, session, book):
    headers = await _login(session, book["leader"])
    body = (await client.get("/api/v1/metrics/overview", params={"scope": "all"}, headers=headers)).json()
    assert body["scope"] == "all"

    risk = body["revenue_at_risk"]
    # 15,750 + 11,200 + 10,600 + 5,760 + 12,600
    assert risk["value"] == pytest.approx(55_910, abs=0.01)
    assert (risk["accounts"], risk["arr"]) == (13, 435_000)
    assert [(g["band"], g["accounts"], g["arr"], g["at_risk"], g["book_filter"]) for g in risk["by_band"]] == [
        ("at_risk", 10, 145_000, pytest.approx(28_350, abs=0.01), "status=active band=at_risk"),
        ("healthy", 1, 200_000, pytest.approx(11_200, abs=0.01), "status=active band=healthy"),
        ("unscored", 1, 50_000, pytest.approx(10_600, abs=0.01), "status=active band=none"),
        ("watch", 1, 40_000, pytest.approx(5_760, abs=0.01), "status=active band=watch"),
    ]
    assert risk["book_filter"] == "status=active"
    # the one definition: the same figure as GET /metrics/revenue-at-risk
    same = (await client.get("/api/v1/metrics/revenue-at-risk", headers=headers)).json()
    assert same["revenue_at_risk"] == risk["value"]

    attention = body["attention"]
    names = {str(v.id): k for k, v in book["accounts"].items()}
    got = [(i["rank"], names[i["account_id"]], round(i["value"], 2), i["severity"]) for i in attention["items"]]
    assert got == [
        (1, "a1", 15_750.0, "high"),
        (2, "a3", 10_600.0, "high"),
        (3, "a4", 5_760.0, "high"),
        *[(4 + n, f"s{k}", 280.0 * k, "high") for n, k in enumerate(range(9, 2, -1))],
    ]
    assert attention["items"][0]["owner_id"] == str(book["a"].id)
    assert attention["items"][0]["owner_name"] == "Ann A"
    assert attention["items"][2]["owner_id"] is None
    assert attention["total_items"] == 12
    assert attention["total_at_stake"] == pytest.approx(44_710, abs=0.01)
    # the same numbers the Today page shows
    today_page = (
        await client.get("/api/v1/queue", params={"scope": "all", "kind": "risk", "page_size": 10}, headers=headers)
    ).json()
    assert [i["account"]["id"] for i in today_page["items"]] == [i["account_id"] for i in attention["items"]]
    assert [i["reason"] for i in today_page["items"]] == [i["reason"] for i in attention["items"]]
    assert today_page["total"] == attention["total_items"]
    assert today_page["total_at_stake"] == pytest.approx(attention["total_at_stake"], abs=0.01)

    renewals = body["renewals_next_quarter"]
    quarter = renewals["next_quarter"]
    assert (quarter["start"], quarter["end"]) == (book["start"].isoformat(), book["end"].isoformat())
    assert (quarter["renewals"], quarter["arr"], quarter["no_forecast"]) == (4, 351_000, 1)
    assert _groups(quarter) == {
        "commit": (1, 100_000),
        "upside": (0, 0),
        "risk": (1, 50_000),
        "churn": (1, 1_000),
        "unset": (1, 200_000),
    }
    within = renewals["within_90_days"]
    assert (within["renewals"], within["arr"], within["no_forecast"]) == (2, 240_000, 0)
    assert _groups(within)["upside"] == (1, 40_000)
    assert _groups(within)["commit"] == (1, 200_000)

    expansion = body["expansion_pipeline"]
    assert expansion["value"] == pytest.approx(43_760, abs=0.01)
    assert expansion["accounts"] == 2
    assert [(r["rule"], r["accounts"], r["value"]) for r in expansion["by_rule"]] == [
        ("expansion_ready", 1, pytest.approx(37_200, abs=0.01)),
        ("seat_limit", 1, pytest.approx(6_560, abs=0.01)),
        ("api_limit", 0, 0),
    ]

    nps = body["nps"]
    # 4 respondents: 2 promoters, 1 detractor -> 25; before: 1 and 1 of 2 -> 0
    assert (nps["value"], nps["respondents"], nps["promoters"], nps["detractors"]) == (25.0, 4, 2, 1)
    assert (nps["previous"], nps["previous_respondents"], nps["change"]) == (0.0, 2, 25.0)
    csat = body["csat"]
    assert (csat["value"], csat["responses"], csat["previous"], csat["previous_responses"]) == (3.33, 3, 4.0, 1)
    assert csat["change"] == -0.67


async def test_the_overview_of_a_team_and_of_one_csm(client, session, book):
    # a leader's default is their team: Ann's and Ben's accounts
    body = (await client.get("/api/v1/metrics/overview", headers=await _login(session, book["leader"]))).json()
    assert body["scope"] == "team"
    # 15,750 + 11,200 + 12,600
    assert body["revenue_at_risk"]["value"] == pytest.approx(39_550, abs=0.01)
    assert (body["revenue_at_risk"]["accounts"], body["revenue_at_risk"]["arr"]) == (11, 345_000)
    names = {str(v.id): k for k, v in book["accounts"].items()}
    assert [names[i["account_id"]] for i in body["attention"]["items"]] == ["a1", *[f"s{k}" for k in range(9, 0, -1)]]
    assert body["attention"]["total_items"] == 10
    assert body["attention"]["total_at_stake"] == pytest.approx(28_350, abs=0.01)
    quarter = body["renewals_next_quarter"]["next_quarter"]
    assert (quarter["renewals"], quarter["arr"], quarter["no_forecast"]) == (3, 301_000, 1)
    within = body["renewals_next_quarter"]["within_90_days"]
    assert (within["renewals"], within["arr"]) == (1, 200_000)
    assert body["expansion_pipeline"]["value"] == pytest.approx(37_200, abs=0.01)
    assert body["expansion_pipeline"]["accounts"] == 1
    # Cho 10, Dee 8, Pat 2: one promoter, one detractor of 3 -> 0; before: Cho 6, Eve 9 -> 0
    nps = body["nps"]
    assert (nps["value"], nps["respondents"], nps["previous"], nps["change"]) == (0.0, 3, 0.0, 0.0)
    assert (body["csat"]["value"], body["csat"]["responses"]) == (4.0, 2)

    # a CSM's own: Ann's a1 only
    mine = (
        await client.get("/api/v1/metrics/overview", params={"scope": "mine"}, headers=await _login(session, book["a"]))
    ).json()
    assert mine["scope"] == "mine"
    assert mine["revenue_at_risk"]["value"] == pytest.approx(15_750, abs=0.01)
    assert mine["revenue_at_risk"]["accounts"] == 1
    assert [names[i["account_id"]] for i in mine["attention"]["items"]] == ["a1"]
    assert mine["expansion_pipeline"]["value"] == 0
    assert mine["renewals_next_quarter"]["next_quarter"]["renewals"] == 1
    # Cho 10 and Dee 8: 1 promoter of 2 -> 50
    assert (mine["nps"]["value"], mine["nps"]["respondents"]) == (50.0, 2)


async def test_a_bad_scope_is_a_422_naming_it(client, session):
    leader = await make_user(session, role=Role.leader)
    r = await client.get(
        "/api/v1/metrics/overview", params={"scope": "everyone"}, headers=await _login(session, leader)
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "scope"]
