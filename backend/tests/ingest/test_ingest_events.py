"""The usage pipeline: raw events -> daily rollups and user activity, exact under re-sends."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import select, text

from app.core.enums import Role
from app.ingest import service
from app.ingest.schemas import Kind
from app.ingest.writers import user_hash
from app.usage.models import Feature, UsageDaily, UsageEvent, UsageUserActivity
from tests.factories import bearer, make_account

URL = "/api/v1/ingest/events"


def ev(i, user, ts, account="acct-e", **kw):
    return {
        "id": f"e{i}",
        "account": account,
        "user_id": user,
        "event": kw.pop("event", "report.viewed"),
        "timestamp": ts,
        **kw,
    }


async def _daily(session):
    rows = await session.execute(
        select(UsageDaily.day, Feature.key, UsageDaily.events, UsageDaily.active_users, UsageDaily.minutes)
        .join(Feature, Feature.id == UsageDaily.feature_id)
        .order_by(UsageDaily.day, Feature.key)
    )
    return [tuple(r) for r in rows]


async def test_events_roll_up_exactly_and_resends_change_nothing(client, session):
    await make_account(session, external_id="acct-e")
    headers = await bearer(session, Role.admin)
    batch = [
        ev(1, "u1", "2026-11-02T09:00:00Z", feature="reports", duration_seconds=120),
        ev(2, "u1", "2026-11-02T10:00:00Z", feature="reports", duration_seconds=60),
        ev(3, "u2", "2026-11-02T23:59:59Z", feature="reports"),
        # 00:30 at +02:00 is 22:30 UTC the day before.
        ev(4, "u3", "2026-11-03T00:30:00+02:00", feature="exports", duration_seconds=30),
        ev(5, "u1", "2026-11-05T08:00:00", feature="reports"),  # naive = UTC
    ]
    r = await client.post(URL, json={"items": batch}, headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["accepted"], r.json()["duplicates"]) == (5, 0)
    expected = [
        (date(2026, 11, 2), "exports", 1, 1, 0.5),
        (date(2026, 11, 2), "reports", 3, 2, 3.0),
        (date(2026, 11, 5), "reports", 1, 1, None),  # no duration sent: time unknown, not zero
    ]
    assert await _daily(session) == expected

    again = await client.post(URL, json={"items": batch}, headers=headers)
    assert (again.json()["accepted"], again.json()["duplicates"]) == (0, 5)
    assert await _daily(session) == expected

    masks = dict((await session.execute(select(UsageUserActivity.user_hash, UsageUserActivity.active_days))).all())
    assert masks == {user_hash("u1"): (1 << 1) | (1 << 4), user_hash("u2"): 1 << 1, user_hash("u3"): 1 << 1}
    # Raw user ids are never stored.
    stored = (await session.execute(text("SELECT count(*) FROM usage_event WHERE user_hash IS NULL"))).scalar()
    assert stored == 0
    assert "u1" not in str((await session.execute(select(UsageEvent.properties))).all())

    more = await client.post(
        URL,
        json={
            "items": [
                ev(6, "u4", "2026-11-02T12:00:00Z", feature="reports"),
                ev(6, "u4", "2026-11-02T12:00:00Z", feature="reports"),
            ]
        },
        headers=headers,
    )
    assert (more.json()["accepted"], more.json()["duplicates"]) == (1, 1)
    assert (await _daily(session))[1] == (date(2026, 11, 2), "reports", 4, 3, 3.0)


async def test_events_map_to_features_by_pattern_or_unattributed(client, session):
    await make_account(session, external_id="acct-e")
    session.add(Feature(key="dashboards", name="Dashboards", is_core=True, event_pattern=r"^dashboard\."))
    await session.flush()
    headers = await bearer(session, Role.admin)
    await client.post(
        URL,
        json={
            "items": [
                ev(1, "u1", "2026-11-02T09:00:00Z", event="dashboard.opened"),
                ev(2, "u1", "2026-11-02T09:00:00Z", event="something.else"),
            ]
        },
        headers=headers,
    )
    assert [(k, n) for _, k, n, _, _ in await _daily(session)] == [("dashboards", 1), ("unattributed", 1)]


async def test_bad_events_are_rejected_with_paths(client, session):
    await make_account(session, external_id="acct-e")
    headers = await bearer(session, Role.admin)
    r = await client.post(
        URL,
        json={
            "items": [
                ev(1, "u1", "yesterday"),
                {"id": "e2", "account": "acct-e", "timestamp": "2026-11-02T09:00:00Z"},
                ev(3, "u1", "2026-11-02T09:00:00Z", duration_seconds=-5),
                ev(4, "u1", "2026-11-02T09:00:00Z"),
            ]
        },
        headers=headers,
    )
    body = r.json()
    assert body["accepted"] == 1
    assert [(x["index"], x["id"], x["errors"][0]["loc"]) for x in body["rejected"]] == [
        (0, "e1", ["timestamp"]),
        (1, "e2", ["event"]),
        (2, "e3", ["duration_seconds"]),
    ]


async def test_concurrent_sends_keep_distinct_users_exact(committed_sessions):
    """Two batches for the same account and day, committed concurrently, each with a
    different user: the day must show 2 active users, not max(1, 1)."""
    async with committed_sessions() as s:
        account = await make_account(s, external_id="acct-c")
        await s.commit()

    async def send(i: int, user: str) -> None:
        async with committed_sessions() as s:
            await service.ingest(s, Kind.events, [ev(i, user, "2026-11-02T09:00:00Z", account="acct-c")])
            await asyncio.sleep(0.2)  # hold the transaction open while the other one runs
            await s.commit()

    await asyncio.gather(send(1, "alice"), send(2, "bob"))
    async with committed_sessions() as s:
        row = (
            await s.execute(
                select(UsageDaily.events, UsageDaily.active_users).where(UsageDaily.account_id == account.id)
            )
        ).one()
        assert tuple(row) == (2, 2)
