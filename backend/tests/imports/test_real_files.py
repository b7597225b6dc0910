"""Import the real shared data sets through the API and check every count.

Expected numbers are computed independently from the files with the csv module.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import Account
from app.core.enums import Role
from app.revenue.models import SubscriptionLine
from app.support.models import Ticket
from app.usage.models import UsageDaily
from tests.factories import bearer
from tests.imports.uploads import post_file
from tests.shared_data import shared_data_dir

DATA = shared_data_dir()
RAVEN = DATA / "ravenstack"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


async def upload(client, headers, kind, path: Path, **form):
    return await post_file(client, headers, kind, path.name, path.read_bytes(), **form)


async def count(session, model) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def admin(session):
    return await bearer(session, Role.admin)


async def test_ravenstack_end_to_end(client, session, admin):
    accounts = rows(RAVEN / "ravenstack_accounts.csv")
    dry = await upload(
        client, admin, "accounts", RAVEN / "ravenstack_accounts.csv", preset="ravenstack-accounts", dry_run=True
    )
    assert (dry["rows"], dry["accepted"], dry["rejected"], dry["dry_run"]) == (len(accounts), 500, [], True)
    assert await count(session, Account) == 0  # a dry run writes nothing

    real = await upload(client, admin, "accounts", RAVEN / "ravenstack_accounts.csv", preset="ravenstack-accounts")
    assert (real["accepted"], real["updated"], real["duplicates"], real["rejected"]) == (500, 0, 0, [])
    first = accounts[0]
    acct = (await session.execute(select(Account).where(Account.external_id == first["account_id"]))).scalar_one()
    assert (acct.name, acct.plan, acct.seats_purchased, acct.region, acct.signup_date.isoformat()) == (
        first["account_name"],
        first["plan_tier"],
        int(first["seats"]),
        first["country"],
        first["signup_date"],
    )

    subs = rows(RAVEN / "ravenstack_subscriptions.csv")
    report = await upload(
        client, admin, "subscriptions", RAVEN / "ravenstack_subscriptions.csv", preset="ravenstack-subscriptions"
    )
    assert (report["accepted"], report["unmatched"], report["rejected"]) == (len(subs), 0, [])
    live = [s for s in subs if not s["end_date"]]
    stored_live = await session.scalar(
        select(func.count()).select_from(SubscriptionLine).where(SubscriptionLine.end_date.is_(None))
    )
    assert stored_live == len(live)
    sample = subs[0]
    stmt = select(SubscriptionLine).where(SubscriptionLine.source_id == sample["subscription_id"])
    line = (await session.execute(stmt)).scalar_one()
    # Priced by MRR: quantity x unit amount x 12 == the file's ARR.
    assert line.quantity * line.unit_amount * 12 == Decimal(sample["arr_amount"])

    usage = rows(RAVEN / "ravenstack_feature_usage.csv")
    sub_account = {s["subscription_id"]: s["account_id"] for s in subs}
    seen: set[str] = set()
    kept = [u for u in usage if not (u["usage_id"] in seen or seen.add(u["usage_id"]))]
    keys = {(sub_account[u["subscription_id"]], u["usage_date"], u["feature_name"]) for u in kept}
    report = await upload(
        client, admin, "usage-daily", RAVEN / "ravenstack_feature_usage.csv", preset="ravenstack-feature-usage"
    )
    assert (report["rows"], report["duplicates"], report["merged"], report["accepted"], report["rejected"]) == (
        len(usage),
        len(usage) - len(kept),
        len(kept) - len(keys),
        len(keys),
        [],
    )
    assert (len(usage) - len(kept), len(keys)) == (21, 24960)
    total_events = sum(int(u["usage_count"]) for u in kept)
    assert await session.scalar(select(func.sum(UsageDaily.events))) == total_events
    total_minutes = sum(int(u["usage_duration_secs"]) for u in kept) / 60
    assert await session.scalar(select(func.sum(UsageDaily.minutes))) == pytest.approx(total_minutes)

    tickets = rows(RAVEN / "ravenstack_support_tickets.csv")
    report = await upload(
        client, admin, "tickets", RAVEN / "ravenstack_support_tickets.csv", preset="ravenstack-tickets"
    )
    assert (report["accepted"], report["rejected"]) == (len(tickets), [])
    t = (await session.execute(select(Ticket).where(Ticket.source_id == "T-0024de"))).scalar_one()
    assert (t.priority, t.status, t.escalated) == (2, "closed", False)
    assert t.opened_at == datetime(2023, 7, 27, tzinfo=UTC)
    assert t.resolved_at == datetime(2023, 7, 28, 3, 0, tzinfo=UTC)  # from "2023-07-28 3:00"
    assert t.first_response_at == datetime(2023, 7, 27, 1, 14, tzinfo=UTC)  # + 74 minutes
    by_priority = dict((await session.execute(select(Ticket.priority, func.count()).group_by(Ticket.priority))).all())
    expected = {1: 0, 2: 0, 3: 0, 4: 0}
    for row in tickets:
        expected[{"urgent": 1, "high": 2, "medium": 3, "low": 4}[row["priority"]]] += 1
    assert by_priority == expected
    with_csat = sum(1 for row in tickets if row["satisfaction_score"])
    assert await session.scalar(select(func.count()).select_from(Ticket).where(Ticket.csat.is_not(None))) == with_csat

    # Importing the same file again changes nothing.
    again = await upload(
        client, admin, "tickets", RAVEN / "ravenstack_support_tickets.csv", preset="ravenstack-tickets"
    )
    assert (again["accepted"], again["updated"], again["duplicates"]) == (0, 0, len(tickets))


async def test_mrr_playbook_creates_missing_accounts(client, session, admin):
    periods = rows(DATA / "mrr-playbook" / "subscription_periods.csv")
    report = await upload(
        client, admin, "subscriptions", DATA / "mrr-playbook" / "subscription_periods.csv", preset="mrr-playbook"
    )
    customers = {p["customer_id"] for p in periods}
    assert (report["rows"], report["accepted"], report["accounts_created"], report["unmatched"]) == (
        len(periods),
        len(periods),
        len(customers),
        0,
    )
    assert await count(session, Account) == len(customers)
    mrr = await session.scalar(select(func.sum(SubscriptionLine.quantity * SubscriptionLine.unit_amount)))
    assert mrr == sum(Decimal(p["monthly_amount"]) for p in periods)
