"""The book's added columns on a hand-built book: contract start, days since the primary
contact was last active, age of the oldest open ticket, the next term renewal's forecast and
the queue's expansion potential; their filters, sorts and the export.

| account | renewal                                   | primary contact (usage)                        | open tickets        | alerts                         |
| Alpha   | CRM: renews in 200 days, started 165 ago  | Ann, email as the product's user id; last      | 10 d 1 h and 4 d    | expansion_ready (medium)       |
|         | (annual), forecast set to risk            | active on the last day of the previous month   | old; a solved one   |                                |
| Bravo   | yearly line from 400 days ago (no end)    | none (a non-primary contact was active today)  | only a solved one   | usage_drop; a snoozed          |
|         |                                           |                                                |                     | seat_limit                     |
| Charlie | monthly line from the 1st, 2 months ago   | never active (other users of the account are)  | none                | none                           |
| Delta   | none (no lines, no CRM date)              | a CRM contact whose id "42" is also a product  | none                | none                           |
|         |                                           | user's id: not tied (two systems' ids)         |                     |                                |
| Echo    | yearly line 500 days ago -> 230 days on   | created by Segment: its pseudonym is the       | 1 d 2 h old         | seat_limit (low)               |
|         | (multi-year), a monthly add-on            | events' user id; active yesterday              |                     |                                |
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.alerts.models import Alert
from app.connectors.models import SegmentUserBinding
from app.core.enums import Role
from app.core.models import utcnow
from app.ingest.writers import user_hash
from app.renewals import service as renewals
from app.renewals.models import Renewal
from app.revenue.models import SubscriptionLine
from app.scoring import service as scoring
from app.scoring.models import AccountHealth
from app.support.models import Ticket
from app.usage.models import UsageUserActivity
from tests.factories import bearer, make_account, make_contact


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return day.replace(year=y, month=m + 1)


async def active(session, account, uid: str | int, *days: date) -> None:
    """``uid`` (a product user id, or a hash already) active on ``days``: one row per month,
    bit d-1 for day d, as ingest writes them."""
    h = uid if isinstance(uid, int) else user_hash(uid)
    months: dict[date, int] = {}
    for d in days:
        months[d.replace(day=1)] = months.get(d.replace(day=1), 0) | 1 << (d.day - 1)
    for month, bits in months.items():
        session.add(UsageUserActivity(account_id=account.id, month=month, user_hash=h, active_days=bits))


def line(account, n: int, interval: str, start: date, end: date | None, amount: int) -> SubscriptionLine:
    return SubscriptionLine(
        source_id=f"bookcol-{account.name}-{n}", account_id=account.id, product=f"p{n}", quantity=Decimal(1),
        unit_amount=Decimal(amount), interval=interval, start_date=start, end_date=end,
    )  # fmt: skip


def alert(account, rule: str, severity: str, **extra) -> Alert:
    return Alert(
        account_id=account.id, rule=rule, severity=severity, dedupe_key=f"{rule}:{account.id}", title=rule,
        opened_at=utcnow() - timedelta(days=1), **extra,
    )  # fmt: skip


def ticket(account, n: int, opened: datetime, status: str = "open") -> Ticket:
    return Ticket(source_id=f"bookcol-{account.name}-t{n}", account_id=account.id, status=status, opened_at=opened)


async def _book(session):
    today = utcnow().date()
    now = datetime.now(UTC)
    version = (await scoring.load_active(session)).version

    alpha = await make_account(
        session, name="Alpha", arr=120_000, renewal_date=today + timedelta(days=200),
        contract_start=today - timedelta(days=165),
    )  # fmt: skip
    bravo = await make_account(session, name="Bravo", arr=60_000, renewal_date=None)
    charlie = await make_account(session, name="Charlie", arr=12_000, renewal_date=None)
    delta = await make_account(session, name="Delta", arr=5_000, renewal_date=None)
    echo = await make_account(session, name="Echo", arr=30_000, renewal_date=None)

    # Alpha: the CRM's email is capitalised; the product names the user in lower case
    await make_contact(session, alpha, email="Ann@Alpha.test", is_primary=True)
    await make_contact(session, alpha, email="bob@alpha.test")
    last_month_end = today.replace(day=1) - timedelta(days=1)
    await active(session, alpha, "ann@alpha.test", last_month_end - timedelta(days=3), last_month_end)
    await active(session, alpha, "ann@alpha.test", today + timedelta(days=1))  # a day not come yet
    await active(session, alpha, "bob@alpha.test", today)  # not the primary contact
    # Bravo: no primary contact; someone else was active today
    await make_contact(session, bravo, email="carl@bravo.test")
    await active(session, bravo, "carl@bravo.test", today)
    # Charlie: the primary contact never used the product; a colleague did
    await make_contact(session, charlie, email="dana@charlie.test", is_primary=True)
    await active(session, charlie, "eve@charlie.test", today - timedelta(days=2))
    # Echo: a contact the Segment connector created (its id is the pseudonym its events carry)
    pseudonym = str(user_hash("segment-user-42"))
    await make_contact(session, echo, source_id=pseudonym, email="fay@echo.test", is_primary=True)
    session.add(SegmentUserBinding(user_hash=int(pseudonym), group_id="echo", bound_at=now))
    await active(session, echo, pseudonym, today - timedelta(days=1), today - timedelta(days=40))
    # Delta's CRM contact id happens to equal a product user id: ids of two systems, not a match
    await make_contact(session, delta, source_id="42", email=None, is_primary=True)
    await active(session, delta, "42", today)

    session.add_all(
        [
            line(bravo, 1, "year", today - timedelta(days=400), None, 60_000),
            line(charlie, 1, "month", add_months(today.replace(day=1), -2), None, 1_000),
            line(echo, 1, "year", today - timedelta(days=500), today + timedelta(days=230), 24_000),
            line(echo, 2, "month", today - timedelta(days=10), None, 500),
            ticket(alpha, 1, now - timedelta(days=10, hours=1)),
            ticket(alpha, 2, now - timedelta(days=4), "pending"),
            ticket(alpha, 3, now - timedelta(days=40), "solved"),
            ticket(bravo, 1, now - timedelta(days=90), "closed"),
            ticket(echo, 1, now - timedelta(days=1, hours=2)),
            alert(alpha, "expansion_ready", "medium"),
            alert(bravo, "usage_drop", "high"),
            alert(bravo, "seat_limit", "high", status="snoozed", snoozed_until=now + timedelta(days=3)),
            alert(echo, "seat_limit", "low"),
            AccountHealth(account_id=alpha.id, as_of=today, config_version=version, health_score=90.0),
            AccountHealth(account_id=echo.id, as_of=today, config_version=version, health_score=50.0),
        ]
    )
    await session.flush()
    await renewals.sync(session)
    record = await session.scalar(select(Renewal).where(Renewal.account_id == alpha.id))
    record.forecast = "risk"
    await session.flush()
    return today


def expected_contract_starts(today: date) -> dict[str, date | None]:
    bravo_first = today - timedelta(days=400)
    # its last anniversary, about 35 days ago (from 29 February: the 28th, as PostgreSQL counts)
    leap = (bravo_first.month, bravo_first.day) == (2, 29)
    bravo = date(bravo_first.year + 1, bravo_first.month, 28 if leap else bravo_first.day)
    # Charlie bills on the 1st; on the 1st itself the cycle renewing today is still the current one
    charlie = add_months(today.replace(day=1), -1 if today.day == 1 else 0)
    return {
        "Alpha": today - timedelta(days=165),  # the CRM's
        "Bravo": bravo,
        "Charlie": charlie,
        "Delta": None,
        "Echo": today - timedelta(days=500),  # the multi-year term's start; the add-on does not count
    }


async def test_book_rows_carry_the_added_columns(client, session):
    today = await _book(session)
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/accounts", params={"sort": "name"}, headers=headers)
    assert r.status_code == 200, r.text
    rows = {i["name"]: i for i in r.json()["items"]}
    keys = (
        "contract_start", "days_since_primary_login", "oldest_ticket_age_days", "forecast_status",
        "expansion_potential",
    )  # fmt: skip
    got = {name: tuple(row[k] for k in keys) for name, row in rows.items()}
    starts = {k: v.isoformat() if v else None for k, v in expected_contract_starts(today).items()}
    last_month_end = today.replace(day=1) - timedelta(days=1)
    assert got == {
        # 120,000 x 0.2 x (1 - p(90) 0.05) = 22,800
        "Alpha": (starts["Alpha"], (today - last_month_end).days, 10, "risk", 22_800.0),
        # a snoozed opportunity does not count until its snooze is over
        "Bravo": (starts["Bravo"], None, None, None, None),
        "Charlie": (starts["Charlie"], None, None, None, None),
        "Delta": (None, None, None, None, None),
        # 30,000 x 0.2 x (1 - p(50) 0.265) = 4,410; its next renewal is a multi-year term with no forecast
        "Echo": (starts["Echo"], 1, 1, None, 4_410.0),
    }
    # the same value the queue ranks Alpha's and Echo's opportunities by
    queue = (await client.get("/api/v1/queue", params={"kind": "opportunity", "scope": "all"}, headers=headers)).json()
    assert {i["account"]["name"]: round(i["value"], 2) for i in queue["items"]} == {"Alpha": 22_800.0, "Echo": 4_410.0}


async def test_the_added_columns_filter_and_sort(client, session):
    today = await _book(session)
    headers = await bearer(session, Role.viewer)

    async def names(**params):
        r = await client.get("/api/v1/accounts", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return [i["name"] for i in r.json()["items"]]

    assert await names(filter="oldest_ticket>5") == ["Alpha"]
    assert await names(filter="oldest_ticket<=1d", sort="name") == ["Echo"]
    assert await names(filter="oldest_ticket=none", sort="name") == ["Bravo", "Charlie", "Delta"]
    assert await names(filter="forecast=risk,churn") == ["Alpha"]
    assert await names(filter="forecast=none", sort="name") == ["Bravo", "Charlie", "Delta", "Echo"]
    # sorts keep accounts without a value last, both ways
    oldest_first = await names(sort="-oldest_ticket_age_days")
    assert oldest_first[:2] == ["Alpha", "Echo"] and set(oldest_first[2:]) == {"Bravo", "Charlie", "Delta"}
    newest_first = await names(sort="oldest_ticket_age_days")
    assert newest_first[:2] == ["Echo", "Alpha"] and set(newest_first[2:]) == {"Bravo", "Charlie", "Delta"}
    starts = expected_contract_starts(today)
    known = sorted((d, n) for n, d in starts.items() if d is not None)
    assert (await names(sort="contract_start"))[:4] == [n for _, n in known]
    assert (await names(sort="-contract_start"))[:4] == [n for _, n in reversed(known)]
    assert (await names(sort="-forecast_status"))[0] == "Alpha"

    bad = await client.get("/api/v1/accounts", params={"filter": "oldest_ticket>soon"}, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["msg"] == "expected a number of days like 30 or 30d"
    fields = {f["name"]: f for f in (await client.get("/api/v1/accounts/fields", headers=headers)).json()["fields"]}
    assert fields["oldest_ticket"]["kind"] == "days" and fields["oldest_ticket"]["ops"] == [
        "=", "!=", "<", "<=", ">", ">=",
    ]  # fmt: skip
    assert fields["forecast"]["choices"] == ["commit", "upside", "risk", "churn"]


async def test_the_export_has_the_added_columns(client, session):
    today = await _book(session)
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/accounts/export", params={"sort": "name"}, headers=headers)
    assert r.status_code == 200, r.text
    table = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    added = (
        "Contract start", "Days since primary contact active", "Oldest open ticket (days)", "Renewal forecast",
        "Expansion potential",
    )  # fmt: skip
    got = {row["Account"]: tuple(row[c] for c in added) for row in table}
    starts = {k: v.isoformat() if v else "" for k, v in expected_contract_starts(today).items()}
    last_month_end = today.replace(day=1) - timedelta(days=1)
    assert got == {
        "Alpha": (starts["Alpha"], str((today - last_month_end).days), "10", "risk", "22800.00"),
        "Bravo": (starts["Bravo"], "", "", "", ""),
        "Charlie": (starts["Charlie"], "", "", "", ""),
        "Delta": ("", "", "", "", ""),
        "Echo": (starts["Echo"], "1", "1", "", "4410.00"),
    }
