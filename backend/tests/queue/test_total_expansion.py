"""The queue's totals cover every page: ARR at stake over its risks, expected expansion over its
opportunities (what the Opportunities tab of Today shows)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.alerts.models import Alert
from app.core.enums import Role
from app.scoring import service
from app.scoring.models import AccountHealth
from tests.factories import bearer, make_account


async def test_total_expansion_sums_the_opportunities_of_every_page(client, session):
    today = service.today()
    version = (await service.load_active(session)).version
    opened = datetime.now(UTC) - timedelta(hours=2)

    async def account(name, arr, health, rules, severity="high"):
        a = await make_account(session, name=name, arr=arr)
        session.add(AccountHealth(account_id=a.id, as_of=today, config_version=version, health_score=health))
        for rule in rules:
            session.add(
                Alert(
                    account_id=a.id, rule=rule, severity=severity, dedupe_key=f"{rule}:{a.id}",
                    title=f"{rule} on {name}", opened_at=opened, last_evaluated_at=opened,
                )
            )  # fmt: skip

    # expected expansion = ARR x 0.2 x (1 - p(health)); p(80) 0.07, p(60) 0.18, p(100) 0.03
    await account("Wide", 200_000, 80, ["expansion_ready", "seat_limit"])  # one item: 37,200
    await account("Calls", 50_000, 60, ["api_limit"])  # 8,200
    await account("Best", 10_000, 100, ["seat_limit"])  # 1,940
    # a risk: 100,000 x p(40) 0.35 x 0.8 = 28,000, not expansion
    await account("Down", 100_000, 40, ["health_drop"])
    await session.flush()
    headers = await bearer(session, Role.leader)

    both = (await client.get("/api/v1/queue", params={"scope": "all", "page_size": 1}, headers=headers)).json()
    assert both["total"] == 4
    assert len(both["items"]) == 1  # the totals are not the page's
    assert both["total_at_stake"] == pytest.approx(28_000, abs=0.01)
    assert both["total_expansion"] == pytest.approx(37_200 + 8_200 + 1_940, abs=0.01)

    only = (await client.get("/api/v1/queue", params={"scope": "all", "kind": "opportunity"}, headers=headers)).json()
    assert [i["account"]["name"] for i in only["items"]] == ["Wide", "Calls", "Best"]
    assert only["total_expansion"] == pytest.approx(47_340, abs=0.01)
    assert only["total_at_stake"] == 0

    risks = (await client.get("/api/v1/queue", params={"scope": "all", "kind": "risk"}, headers=headers)).json()
    assert risks["total_expansion"] == 0

    nothing = (
        await client.get("/api/v1/queue", params={"scope": "mine", "kind": "opportunity"}, headers=headers)
    ).json()
    assert (nothing["total"], nothing["total_at_stake"], nothing["total_expansion"]) == (0, 0, 0)
