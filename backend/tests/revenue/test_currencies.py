"""Lines keep their own currency; ARR is in the reporting currency at the day's rate, and a
change of rate is its own movement (fx), never an expansion or contraction.

The test currency is XTS (ISO 4217's code reserved for testing: no bundled ECB rate), with the
euro as the reporting currency, so only the rates given here move anything."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.core.config import get_settings
from app.core.enums import Role
from app.revenue import service as revenue
from app.revenue.models import ArrMovement
from tests.factories import bearer, make_account


@pytest.fixture
def euro_reporting(monkeypatch):
    monkeypatch.setattr(get_settings(), "reporting_currency", "EUR")


async def test_fx_is_its_own_movement(client, session, euro_reporting):
    account = await make_account(session, external_id="fx")
    h = await bearer(session, Role.admin)
    rates = [("2026-01-01", "2.0"), ("2026-02-01", "1.6"), ("2026-04-01", "2.5")]  # XTS per euro
    r = await client.post(
        "/api/v1/fx-rates", json={"items": [{"currency": "xts", "day": d, "per_eur": p} for d, p in rates]}, headers=h
    )
    assert r.status_code == 200, r.text
    assert r.json()["stored"] == 3
    line = {"id": "X1", "account": "fx", "unit_amount": "1000", "currency": "XTS", "start_date": "2026-01-10"}
    for item in (
        line | {"changed_at": "2026-01-10T00:00:00Z"},
        line | {"quantity": 2, "changed_at": "2026-03-15T00:00:00Z"},
    ):
        assert (await client.post("/api/v1/ingest/subscriptions", json={"items": [item]}, headers=h)).status_code == 200

    await revenue.rebuild_accounts(session, [account.id], date(2026, 6, 1))
    moves = (
        await session.execute(
            select(ArrMovement.on, ArrMovement.kind, ArrMovement.detail, ArrMovement.amount, ArrMovement.arr_after)
            .where(ArrMovement.account_id == account.id)
            .order_by(ArrMovement.on, ArrMovement.id)
        )
    ).all()
    assert [tuple(m) for m in moves] == [
        (date(2026, 1, 10), "new", None, Decimal(6000), Decimal(6000)),  # 12,000 XTS at 2.0 per euro
        (date(2026, 2, 1), "fx", "gain", Decimal(1500), Decimal(7500)),  # the same 12,000 XTS at 1.6
        (date(2026, 3, 15), "expansion", "seat", Decimal(7500), Decimal(15000)),  # one more seat at 1.6
        (date(2026, 4, 1), "fx", "loss", Decimal(5400), Decimal(9600)),  # 24,000 XTS at 2.5
    ]

    await revenue.rebuild_rollups(session, date(2026, 6, 1))
    periods = (
        await client.get("/api/v1/metrics/retention", params={"from": "2026-01-01", "to": "2026-05-01"}, headers=h)
    ).json()["periods"]
    assert [(p["starting_arr"], p["new"], p["expansion"]["seat"], p["fx"], p["ending_arr"]) for p in periods] == [
        (0, 6000, 0, 0, 6000),
        (6000, 0, 0, 1500, 7500),
        (7500, 0, 7500, 0, 15000),
        (15000, 0, 0, -5400, 9600),
        (9600, 0, 0, 0, 9600),
    ]
    # FX is neither expansion nor contraction, nor net new ARR from existing customers
    assert [p["contraction"] for p in periods] == [0] * 5
    assert [p["net_new_arr_existing"] for p in periods] == [0, 0, 7500, 0, 0]

    listed = {x["currency"]: x for x in (await client.get("/api/v1/fx-rates", headers=h)).json()["items"]}
    assert (listed["XTS"]["per_eur"], listed["XTS"]["to_reporting"]) == (2.5, 0.4)
    picture = (await client.get(f"/api/v1/accounts/{account.id}", headers=h)).json()
    live = picture["subscriptions"][0]  # the live version first: 2 x 1,000 XTS a month, 9,600 EUR a year
    assert (live["currency"], live["quantity"], live["unit_amount"], live["arr"]) == ("XTS", 2.0, 1000.0, 9600.0)
