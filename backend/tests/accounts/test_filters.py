"""The book's filter language on a hand-built book, its errors, and the export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.alerts.models import Alert
from app.auth import service as auth
from app.book import filters
from app.core.enums import Role
from app.core.models import utcnow
from app.renewals import service as renewals
from app.scoring import service as scoring
from app.scoring.models import AccountHealth
from app.scoring.repository import book_facts
from tests.factories import bearer, make_account, make_user


async def _book(session):
    """Six accounts; ``today`` is the API's (UTC) date.

    | name    | ARR  | segment    | renewal | health     | QBR   | touch | tickets | usage | adoption |
    | Acme    | 120k | Enterprise | +45     | 55 at_risk | -120  | -10   | 3       | -45%  | 40%      |
    | Bravo   | 8k   | SMB        | +30     | 65 watch   | -30   | -40   | 0       | +10%  | 90%      |
    | Charlie | 60k  | Mid-Market | +75     | 50 at_risk | never | never | 1       | -20%  | -        |
    | Delta   | 200k | Enterprise | -5      | 40 at_risk | never | -3    | 0       | -     | 20%      |
    | Echo    | 45k  | SMB        | +200    | 85 healthy | -10   | -10   | 0       | +5%   | 75%      |
    | Foxtrot | 70k  | -          | +10     | (none)     |       |       |         |       |          |
    """
    today = utcnow().date()
    csm = await make_user(session, role=Role.csm, email="casey@example.com", name="Casey")
    version = (await scoring.load_active(session)).version
    day = timedelta(days=1)

    async def account(name, arr, segment, renewal_in, health=None, **facts):
        a = await make_account(
            session, name=name, arr=arr, segment=segment, renewal_date=today + renewal_in * day, **facts.pop("acct", {})
        )
        if health is not None:
            band, quadrant = health
            session.add(
                AccountHealth(
                    account_id=a.id,
                    as_of=today,
                    config_version=version,
                    health_score=facts.pop("score"),
                    band=band,
                    quadrant=quadrant,
                    **facts,
                )
            )
        return a

    acme = await account(
        "Acme",
        120_000,
        "Enterprise",
        45,
        ("at_risk", "churn_risk"),
        score=55.0,
        last_qbr_on=today - 120 * day,
        last_touch_on=today - 10 * day,
        open_tickets=3,
        usage_change=-0.45,
        feature_adoption=0.4,
        acct={"owner_id": csm.id, "flag": "red", "tags": ["key", "emea"]},
    )
    await account(
        "Bravo",
        8_000,
        "SMB",
        30,
        ("watch", "relationship_dependent"),
        score=65.0,
        last_qbr_on=today - 30 * day,
        last_touch_on=today - 40 * day,
        open_tickets=0,
        usage_change=0.1,
        feature_adoption=0.9,
    )
    charlie = await account(
        "Charlie", 60_000, "Mid-Market", 75, ("at_risk", "churn_risk"), score=50.0, open_tickets=1, usage_change=-0.2
    )
    await account(
        "Delta",
        200_000,
        "Enterprise",
        -5,
        ("at_risk", "churn_risk"),
        score=40.0,
        last_touch_on=today - 3 * day,
        open_tickets=0,
        feature_adoption=0.2,
    )
    await account(
        "Echo",
        45_000,
        "SMB",
        200,
        ("healthy", "champions"),
        score=85.0,
        last_qbr_on=today - 10 * day,
        last_touch_on=today - 10 * day,
        open_tickets=0,
        usage_change=0.05,
        feature_adoption=0.75,
    )
    await account("Foxtrot", 70_000, None, 10)
    session.add(
        Alert(
            account_id=charlie.id,
            rule="critical_ticket",
            severity="high",
            dedupe_key=f"critical_ticket:{charlie.id}",
            title="P1 open for 2 days",
            opened_at=utcnow(),
        )
    )
    await session.flush()
    token, _, _ = await auth.login(session, csm.email, "correct-horse")
    await session.flush()
    await renewals.sync(session)  # the CRM dates become the accounts' next renewals (Delta's is past)
    return {"Authorization": f"Bearer {token}"}, acme


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the journey's filter: renewing in 60 days, at risk, no QBR in 90 days
        ("renewal_in<=60 band=at_risk qbr>90", ["Acme"]),
        # past renewals are not "renewing within"; no health row is no band
        ("renewal_in<=60", ["Acme", "Foxtrot", "Bravo"]),
        ("renewal_in>60", ["Charlie", "Echo"]),
        # never had a QBR counts as older than any age (an account never scored too)
        ("qbr>90", ["Delta", "Acme", "Foxtrot", "Charlie"]),
        ("qbr<=30", ["Echo", "Bravo"]),
        ("last_touch<=14", ["Delta", "Acme", "Echo"]),
        ("health<60", ["Delta", "Acme", "Charlie"]),
        ("health=none", ["Foxtrot"]),
        # the built-in views
        ("renewal_in<90 health<70", ["Acme", "Charlie", "Bravo"]),
        ("health>80 adoption>70%", ["Echo"]),
        ("usage_change<-30%", ["Acme"]),
        ("arr>50k health<60", ["Delta", "Acme", "Charlie"]),
        # text: case-insensitive, lists are "any of"; != keeps missing values
        ("segment=enterprise,SMB", ["Delta", "Acme", "Echo", "Bravo"]),
        ("segment!=SMB", ["Delta", "Acme", "Foxtrot", "Charlie"]),
        ("segment=none", ["Foxtrot"]),
        ('segment="Mid-Market"', ["Charlie"]),
        ("quadrant=churn_risk arr<100000", ["Charlie"]),
        ("flag=red", ["Acme"]),
        ("tag=emea", ["Acme"]),
        ("tag=none", ["Delta", "Foxtrot", "Charlie", "Echo", "Bravo"]),
        ("open_tickets>=1", ["Acme", "Charlie"]),
        ("alert=critical_ticket", ["Charlie"]),
        ("alert=any", ["Charlie"]),
        ("alert!=any arr>=60000", ["Delta", "Acme", "Foxtrot"]),
        ("owner=me", ["Acme"]),
        ("owner=CASEY@example.com", ["Acme"]),
        ("owner=none arr>100k", ["Delta"]),
        ("adoption>=0.4 adoption<0.8", ["Acme", "Echo"]),
        ("", ["Delta", "Acme", "Foxtrot", "Charlie", "Echo", "Bravo"]),
    ],
)
async def test_filter_language_selects_exactly(client, session, text, expected):
    headers, _ = await _book(session)
    r = await client.get("/api/v1/accounts", params={"filter": text, "sort": "-arr", "scope": "all"}, headers=headers)
    assert r.status_code == 200, r.text
    assert [i["name"] for i in r.json()["items"]] == expected
    assert r.json()["total"] == len(expected)


async def test_book_rows_carry_the_facts_and_sort_on_them(client, session):
    headers, _ = await _book(session)
    today = utcnow().date()
    r = await client.get(
        "/api/v1/accounts", params={"filter": "health<=55", "sort": "last_qbr_on", "scope": "all"}, headers=headers
    )
    body = r.json()
    # oldest QBR first; never (NULL) last
    names = [i["name"] for i in body["items"]]
    assert names[0] == "Acme" and set(names[1:]) == {"Delta", "Charlie"}
    first = body["items"][0]
    assert (first["name"], first["open_tickets"], first["usage_change"], first["feature_adoption"]) == (
        "Acme",
        3,
        -0.45,
        0.4,
    )
    assert first["last_qbr_on"] == (today - timedelta(days=120)).isoformat()
    assert first["open_alerts"] == 0
    charlie = (await client.get("/api/v1/accounts", params={"q": "charlie", "scope": "all"}, headers=headers)).json()[
        "items"
    ][0]
    assert charlie["open_alerts"] == 1
    by_usage = await client.get("/api/v1/accounts", params={"sort": "usage_change", "scope": "all"}, headers=headers)
    assert [i["name"] for i in by_usage.json()["items"]][:3] == ["Acme", "Charlie", "Echo"]


async def test_the_filter_comes_back_canonical(client, session):
    headers, _ = await _book(session)
    r = await client.get(
        "/api/v1/accounts", params={"filter": "renewal_in<=60d  band:at_risk adoption>0.7 arr>50K"}, headers=headers
    )
    assert r.json()["filter"] == "renewal_in<=60 band=at_risk adoption>70% arr>50000"
    assert filters.parse('industry="Financial Services",Retail').text == "industry='Financial Services',Retail"


@pytest.mark.parametrize(
    ("text", "loc", "msg"),
    [
        ("helth<60", ["query", "filter", 0], "unknown field 'helth'; did you mean 'health'?"),
        ("arr>1 band=red", ["query", "filter", 1], "unknown band 'red'; one of healthy, watch, at_risk"),
        ("quadrant=champion", ["query", "filter", 0], "unknown quadrant 'champion'; did you mean 'champions'?"),
        ("arr>lots", ["query", "filter", 0], "expected an amount like 50000, 50k or 1.2m"),
        ("segment<5", ["query", "filter", 0], "segment takes = or !="),
        ("qbr>", ["query", "filter", 0], "qbr> needs a value"),
        ("renewal_in<=2.5", ["query", "filter", 0], "expected a number of days like 60 or 60d"),
        ("health<none", ["query", "filter", 0], "'none' only works with = and != (health=none)"),
        ("status=none", ["query", "filter", 0], "status always has a value; 'none' matches nothing"),
        ("just-words", ["query", "filter", 0], "expected field, operator and value, like health<60"),
        ('segment="SMB', ["query", "filter"], "No closing quotation"),
    ],
)
async def test_a_bad_filter_is_a_422_naming_the_term(client, session, text, loc, msg):
    headers = await bearer(session, Role.viewer)
    r = await client.get("/api/v1/accounts", params={"filter": text}, headers=headers)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"] == [{"loc": loc, "msg": msg, "type": "filter"}]


async def test_fields_catalogue_lists_values_seen_in_the_book(client, session):
    headers, _ = await _book(session)
    body = (await client.get("/api/v1/accounts/fields", headers=headers)).json()
    by_name = {f["name"]: f for f in body["fields"]}
    assert by_name["segment"]["choices"] == ["Enterprise", "Mid-Market", "SMB"]
    assert by_name["band"]["choices"] == ["healthy", "watch", "at_risk"]
    assert by_name["health"]["ops"] == ["=", "!=", "<", "<=", ">", ">="]
    assert by_name["tag"]["choices"] == ["emea", "key"]
    assert [o["email"] for o in body["owners"]] == ["casey@example.com"]


async def test_export_csv_is_the_filtered_book_and_formula_safe(client, session):
    headers, acme = await _book(session)
    acme.name = '=HYPERLINK("http://evil","x")'
    acme.region = "@SUM(A1)"
    await session.flush()
    r = await client.get(
        "/api/v1/accounts/export", params={"filter": "renewal_in<=60 band=at_risk qbr>90"}, headers=headers
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].startswith('attachment; filename="tempo-book-')
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:9] == [
        "External ID", "Account", "Segment", "Plan", "Owner", "ARR", "Renewal date", "Renewal term", "Health"
    ]  # fmt: skip
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Account"] == '\'=HYPERLINK("http://evil","x")'
    assert (
        row["Owner"],
        row["ARR"],
        row["Renewal term"],
        row["Health"],
        row["Band"],
        row["Usage change (4 weeks)"],
    ) == (
        "casey@example.com",
        "120000.00",  # money to the cent
        "contract",  # a CRM date with no contract start: its length is not known
        "55.0",  # scores to a tenth
        "at_risk",
        "-0.4500",  # ratios to 0.01 %
    )


async def test_export_xlsx_keeps_text_as_text(client, session):
    headers, acme = await _book(session)
    acme.name = "+cmd|' /C calc'!A0"
    await session.flush()
    r = await client.get(
        "/api/v1/accounts/export", params={"format": "xlsx", "sort": "-arr", "scope": "all"}, headers=headers
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 7  # header + six accounts
    assert [row[1] for row in rows[1:3]] == ["Delta", "'+cmd|' /C calc'!A0"]
    assert rows[2][5] == 120000  # numbers stay numbers
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_book_facts_from_snapshot_inputs():
    from datetime import date

    inputs = {
        "usage": {"user_days": 60.0, "prev_user_days": 100.0, "feature_adoption": 0.5},
        "support": {"open_tickets": 2.0},
        "relationship": {"days_since_touch": 12.0, "days_since_qbr": None},
    }
    assert book_facts(inputs, date(2026, 3, 1)) == {
        "feature_adoption": 0.5,
        "usage_change": -0.4,
        "open_tickets": 2,
        "last_touch_on": date(2026, 2, 17),
        "last_qbr_on": None,
    }
    # no usage before: no change (not +inf); nothing known: all None
    assert book_facts({"usage": {"user_days": 5.0, "prev_user_days": 0.0}}, date(2026, 3, 1))["usage_change"] is None
    assert set(book_facts({}, date(2026, 3, 1)).values()) == {None}
