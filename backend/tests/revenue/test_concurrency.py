"""The revenue engine under real traffic: Stripe delivers the webhooks of one customer in
parallel, each commit queues a rebuild of the account, and the worker runs them at once.
The movements must come out exactly once."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select

from app.core.config import get_settings
from app.identity.models import AccountAlias
from app.revenue import service as revenue_service
from app.revenue.models import ArrMonth, ArrMovement
from tests.conftest import run_worker
from tests.factories import bearer, make_account
from tests.stripe_events import SECRET, URL, event, item, price, signature, subscription

# Six subscriptions of one customer, each a product of its own, started a month apart.
STARTS = [datetime(2026, m, 1, 9, tzinfo=UTC) for m in range(1, 7)]


@pytest.fixture(autouse=True)
def secret(monkeypatch):
    monkeypatch.setattr(get_settings(), "stripe_webhook_secret", SECRET)


def created(n: int) -> dict:
    start = int(STARTS[n].timestamp())
    sub = subscription(
        "cus_burst",
        [item(f"si_{n}", 1, price(10_000 * (n + 1), product=f"prod_{n}"), f"sub_{n}")],
        f"sub_{n}",
        start_date=start,
        created=start,
    )
    return event("customer.subscription.created", sub, f"evt_burst_{n}")


async def test_a_burst_of_webhooks_for_one_customer_moves_arr_exactly_once(
    committed_sessions, live_server, own_queue, redis, monkeypatch
):
    monkeypatch.setattr(revenue_service, "ROLLUP_DEBOUNCE_SECONDS", 0.2)
    async with committed_sessions() as s:
        account = await make_account(s, external_id="burst")
        s.add(AccountAlias(account_id=account.id, source="stripe", key="cus_burst"))
        headers = await bearer(s)
        await s.commit()

    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:

        async def send(n: int) -> int:
            payload = json.dumps(created(n)).encode()
            r = await client.post(
                URL,
                content=payload,
                headers={"Stripe-Signature": signature(payload, int(time.time())), "Content-Type": "application/json"},
            )
            return r.status_code

        assert await asyncio.gather(*(send(n) for n in range(6))) == [200] * 6
        worker = await run_worker(redis, own_queue)
        assert worker.jobs_failed == 0

        async with committed_sessions() as s:
            moves = (
                await s.execute(
                    select(ArrMovement.on, ArrMovement.kind, ArrMovement.detail, ArrMovement.amount)
                    .where(ArrMovement.account_id == account.id)
                    .order_by(ArrMovement.on)
                )
            ).all()
            months = (
                await s.execute(
                    select(func.count(), func.count(ArrMonth.month.distinct()), func.min(ArrMonth.month)).where(
                        ArrMonth.account_id == account.id
                    )
                )
            ).one()
        # $100/month, then $200, $300... : new 1,200 in January, a cross-sell each month after
        assert [tuple(m) for m in moves] == [
            (date(2026, 1, 1), "new", None, Decimal(1200)),
            *[(date(2026, m, 1), "expansion", "cross_sell", Decimal(1200 * m)) for m in range(2, 7)],
        ]
        today = datetime.now(UTC).date()
        expected = (today.year - 2026) * 12 + today.month  # Feb 2026 to next month, each once
        assert tuple(months) == (expected, expected, date(2026, 2, 1))

        r = await client.get(
            "/api/v1/metrics/retention", params={"from": "2026-01-01", "to": "2026-06-01"}, headers=headers
        )
        periods = r.json()["periods"]
        assert [(p["new"], p["expansion"]["cross_sell"]) for p in periods] == [
            (1200, 0), (0, 2400), (0, 3600), (0, 4800), (0, 6000), (0, 7200),
        ]  # fmt: skip
        assert all(p["starting_arr"] + p["new"] + p["expansion"]["cross_sell"] == p["ending_arr"] for p in periods)
