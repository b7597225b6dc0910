"""DAU, WAU and MAU on the account picture, from events sent through ingest: days are UTC
dates, windows end yesterday, and a 30-day window can span three months.

Today is 2026-03-02 (10:00 UTC), so the picture counts up to 2026-03-01:
DAU = 1 March; WAU = 23 February - 1 March; MAU = 31 January - 1 March (January, February
and March rows).

| user | sent as                                 | UTC day       | counts in                 |
| u1   | 2026-02-28T23:30:00-01:00               | 1 March       | DAU, WAU, MAU             |
|      | also 10 and 23 February                 |               | WAU (23rd), MAU           |
| u2   | 2026-03-01T00:30:00+02:00               | 28 February   | WAU, MAU                  |
| u3   | 2026-01-31T12:00:00Z                    | 31 January    | MAU (its first day)       |
| u4   | 2026-01-30T23:59:59Z                    | 30 January    | none (a day too early)    |
| u5   | 2026-03-02T08:00:00Z                    | today         | none (today is not over)  |
| u6   | 2026-02-22T23:00:00Z                    | 22 February   | MAU (a day before WAU)    |
| -    | no user id                              |               | none                      |
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts import service as accounts_service
from app.core.enums import Role
from tests.factories import bearer, make_account

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def ev(i: int, user: str | None, ts: str) -> dict[str, object]:
    return {"id": f"au-{i}", "account": "acct-au", "user_id": user, "event": "report.viewed", "timestamp": ts}


async def test_dau_wau_mau_across_a_month_boundary_and_time_zones(client, session, monkeypatch):
    account = await make_account(session, external_id="acct-au")
    headers = await bearer(session, Role.admin)
    events = [
        ev(1, "u1", "2026-02-28T23:30:00-01:00"),
        ev(2, "u1", "2026-02-10T09:00:00Z"),
        ev(3, "u1", "2026-02-23T00:00:00Z"),
        ev(4, "u2", "2026-03-01T00:30:00+02:00"),
        ev(5, "u3", "2026-01-31T12:00:00Z"),
        ev(6, "u4", "2026-01-30T23:59:59Z"),
        ev(7, "u5", "2026-03-02T08:00:00Z"),
        ev(8, "u6", "2026-02-22T23:00:00Z"),
        ev(9, None, "2026-03-01T12:00:00Z"),
        ev(10, "u1", "2026-03-01T18:00:00Z"),  # a second event the same day: still one user-day
    ]
    r = await client.post("/api/v1/ingest/events", json={"items": events}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["accepted"] == 10

    monkeypatch.setattr(accounts_service, "utcnow", lambda: NOW)
    picture = await client.get(f"/api/v1/accounts/{account.id}", headers=headers)
    assert picture.status_code == 200, picture.text
    active = picture.json()["active_users"]
    weeks = active.pop("weeks")
    # user-days in the 30 days: u1 3 (10 Feb, 23 Feb, 1 Mar), u2 1, u3 1, u6 1 = 6; 6 / 30 = 0.2 a day
    assert active == {
        "as_of": "2026-03-01",
        "dau": 1,
        "wau": 2,
        "mau": 4,
        "average_dau": pytest.approx(0.2),
        "dau_mau_ratio": pytest.approx(0.05),
    }
    assert len(weeks) == 12
    assert weeks[0]["ending"] == "2025-12-14" and weeks[-1] == {"ending": "2026-03-01", "users": 2}
    assert {w["ending"]: w["users"] for w in weeks if w["users"]} == {
        "2026-02-01": 2,  # 26 January - 1 February: u4 (30 Jan) and u3 (31 Jan)
        "2026-02-15": 1,  # u1 on 10 February
        "2026-02-22": 1,  # u6
        "2026-03-01": 2,  # u1 and u2
    }


async def test_an_account_nobody_used_has_zeros_and_no_ratio(client, session, monkeypatch):
    account = await make_account(session)
    headers = await bearer(session, Role.viewer)
    monkeypatch.setattr(accounts_service, "utcnow", lambda: NOW)
    active = (await client.get(f"/api/v1/accounts/{account.id}", headers=headers)).json()["active_users"]
    assert (active["dau"], active["wau"], active["mau"], active["average_dau"], active["dau_mau_ratio"]) == (
        0, 0, 0, 0, None,
    )  # fmt: skip
    assert [w["users"] for w in active["weeks"]] == [0] * 12
