"""The queue's order on a hand-worked book (DESIGN §9)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.alerts.models import Alert
from app.core.enums import Role
from app.renewals import service as renewals
from app.scoring import service
from app.scoring.models import AccountHealth
from tests.factories import make_account, make_user


async def test_queue_ranks_by_arr_at_stake(client, session):
    from app.auth import service as auth

    csm = await make_user(session, role=Role.csm)
    today = service.today()
    version = (await service.load_active(session)).version
    t0 = datetime.now(UTC) - timedelta(hours=5)

    async def account(name, arr, health, quadrant, renewal_in, rule, opened, owner=None):
        # a contract renewal date from the CRM, a year after the contract started
        renewal = today + timedelta(days=renewal_in) if renewal_in is not None else None
        a = await make_account(
            session, name=name, arr=arr, owner_id=owner, renewal_date=renewal,
            contract_start=renewal - timedelta(days=365) if renewal else None,
        )  # fmt: skip
        session.add(
            AccountHealth(account_id=a.id, as_of=today, config_version=version, health_score=health, quadrant=quadrant)
        )
        session.add(
            Alert(
                account_id=a.id,
                rule=rule,
                severity="high",
                dedupe_key=f"{rule}:{a.id}",
                title=f"{rule} on {name}",
                opened_at=opened,
                last_evaluated_at=opened,
            )
        )
        return a

    await account("A", 400_000, 38, "churn_risk", 74, "health_drop", t0, owner=csm.id)
    await account("B", 100_000, 20, "churn_risk", 20, "critical_ticket", t0, owner=csm.id)
    await account("C", 50_000, 50, "relationship_dependent", None, "inactivity", t0)
    await account("D", 200_000, 90, "champions", None, "expansion_ready", t0)
    await account("E", 50_000, 50, "relationship_dependent", None, "detractor", t0 + timedelta(hours=1))
    await session.flush()
    await renewals.sync(session)

    token, _, _ = await auth.login(session, csm.email, "correct-horse")
    await session.flush()
    mine = (await client.get("/api/v1/queue", headers={"Authorization": f"Bearer {token}"})).json()
    assert [i["account"]["name"] for i in mine["items"]] == ["A", "B"]  # a CSM's own book by default

    everyone = (
        await client.get("/api/v1/queue", params={"scope": "all"}, headers={"Authorization": f"Bearer {token}"})
    ).json()
    got = [(i["rank"], i["kind"], i["account"]["name"], round(i["value"], 2)) for i in everyone["items"]]
    # A: 400,000 x p(38) 0.3625 x saveable(74 d) 0.69333 = 100,533.33
    # B: 100,000 x p(20) 0.475 x saveable(20 d) 0.23333 = 11,083.33
    # C and E: 50,000 x p(50) 0.265 x 0.8 (no renewal) = 10,600; E's signal is fresher
    # D (opportunity): 200,000 x 0.2 x (1 - p(90) 0.05) = 38,000
    assert got == [
        (1, "risk", "A", 100533.33),
        (2, "risk", "B", 11083.33),
        (3, "risk", "E", 10600.0),
        (4, "risk", "C", 10600.0),
        (5, "opportunity", "D", 38000.0),
    ]
    assert everyone["items"][0]["reason"] == (
        "$400K ARR · health 38, churn risk · renewal in 74 days · $101K at stake · health_drop on A"
    )
    assert everyone["total_at_stake"] == pytest.approx(100533.33 + 11083.33 + 10600 + 10600, abs=0.02)
    only = (
        await client.get(
            "/api/v1/queue",
            params={"scope": "all", "kind": "opportunity"},
            headers={"Authorization": f"Bearer {token}"},
        )
    ).json()
    assert [i["account"]["name"] for i in only["items"]] == ["D"]
