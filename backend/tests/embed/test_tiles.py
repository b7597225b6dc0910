"""The four tiles from hand-made snapshots, renewals and ARR months: exact values and reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Account
from app.core.config import get_settings
from app.renewals.models import Renewal
from app.revenue.models import ArrMonth
from app.scoring import service as scoring
from app.scoring.models import AccountHealth, HealthSnapshot, QuadrantMove
from app.tiles import service as tiles
from app.tiles.schemas import TileKind, TrendPoint
from tests.factories import make_account


async def scored(session: AsyncSession, history: list[tuple[int, float, dict]], **current) -> Account:
    """An account with snapshots ``(days ago, score, extra columns)`` and its current health from
    the newest one."""
    account = await make_account(session, name="Acme <Labs>")
    version = (await scoring.load_active(session)).version
    today = scoring.today()
    for days_ago, value, extra in history:
        session.add(
            HealthSnapshot(
                account_id=account.id, as_of=today - timedelta(days=days_ago), config_version=version,
                health_score=value, **extra,
            )
        )  # fmt: skip
    newest = min(history, key=lambda h: h[0])
    session.add(
        AccountHealth(
            account_id=account.id, as_of=today - timedelta(days=newest[0]), config_version=version,
            health_score=newest[1], **current,
        )
    )  # fmt: skip
    await session.flush()
    return account


async def test_health_tile_reads_the_current_score_its_30_day_change_and_weakest_component(session):
    parts = {
        "usage_score": 80.0, "support_score": 41.4, "sentiment_score": 66.0, "relationship_score": 70.0,
        "commercial_score": None, "band": "watch",
    }  # fmt: skip
    account = await scored(
        session,
        [(120, 90.0, {}), (35, 70.0, {}), (31, 68.0, {}), (10, 64.0, {}), (0, 62.6, parts)],
        band="watch",
        coverage=0.8,
    )
    tile = (await tiles.tiles(session, TileKind.health, [account.id]))[account.id]
    today = scoring.today()
    assert (tile.title, tile.value, tile.display, tile.unit, tile.band, tile.color) == (
        "Health", 62.6, "63", "score", "watch", "#e0a21b",
    )  # fmt: skip
    # 62.6 against 68.0 (the newest snapshot at least 30 days before today's): -5.4 → "-5"
    assert tile.reason == "-5 in 30 days; weakest: support 41"
    # 90 days back: the 120-day-old snapshot is not part of the trend
    assert tile.trend == [
        TrendPoint(date=today - timedelta(days=d), value=v) for d, v in ((35, 70.0), (31, 68.0), (10, 64.0), (0, 62.6))
    ]
    assert tile.link == f"{get_settings().public_url}/accounts/{account.id}"
    assert tile.account.name == "Acme <Labs>" and tile.state == "ok" and tile.computed_at is not None


async def test_an_account_without_health_gets_a_no_data_tile_of_every_kind(session):
    account = await make_account(session)
    for kind in TileKind:
        tile = (await tiles.tiles(session, kind, [account.id]))[account.id]
        assert (tile.state, tile.value, tile.display, tile.band, tile.color, tile.trend) == (
            "no_data", None, "—", None, "#8a94a6", [],
        ), kind  # fmt: skip
    assert await tiles.tiles(session, TileKind.health, []) == {}


async def test_quadrant_tile_says_since_when_and_from_where(session):
    account = await scored(
        session,
        [(20, 55.0, {"usage_axis": 70.0}), (0, 58.0, {"usage_axis": 64.5})],
        quadrant="frustrated_power_users",
        usage_axis=64.5,
    )
    session.add(
        QuadrantMove(
            account_id=account.id, moved_on=date(2026, 11, 3), from_quadrant="champions",
            to_quadrant="frustrated_power_users",
        )
    )  # fmt: skip
    await session.flush()
    tile = (await tiles.tiles(session, TileKind.quadrant, [account.id]))[account.id]
    assert (tile.display, tile.band, tile.color, tile.value) == ("Frustrated Power Users", "watch", "#e0a21b", None)
    assert tile.reason == "Since 3 Nov 2026, from Champions"
    assert [p.value for p in tile.trend] == [70.0, 64.5]


async def test_renewal_tile_takes_the_next_open_renewal_and_the_forecast_a_person_set(session):
    account = await scored(session, [(0, 80.0, {})], band="healthy")
    today = scoring.today()
    session.add_all(
        [
            Renewal(account_id=account.id, renewal_date=today - timedelta(days=300), arr_up_for_renewal=Decimal(90_000),
                    outcome="renewed"),
            Renewal(account_id=account.id, renewal_date=today + timedelta(days=28),
                    arr_up_for_renewal=Decimal("117450.00"), forecast="risk", suggested_forecast="commit"),
            Renewal(account_id=account.id, renewal_date=today + timedelta(days=393), arr_up_for_renewal=Decimal(1)),
            ArrMonth(account_id=account.id, month=date(today.year, today.month, 1), arr=Decimal("117450")),
        ]
    )  # fmt: skip
    await session.flush()
    tile = (await tiles.tiles(session, TileKind.renewal, [account.id]))[account.id]
    due = today + timedelta(days=28)
    assert (tile.value, tile.display, tile.unit, tile.band) == (117450.0, "$117K", "USD", "watch")
    assert tile.reason == f"Renews in 28 days ({due.day} {due:%b %Y}); forecast risk"
    assert tile.trend == [TrendPoint(date=date(today.year, today.month, 1), value=117450.0)]


async def test_renewal_band_falls_back_to_the_suggestion_then_to_health(session):
    account = await scored(session, [(0, 30.0, {})], band="at_risk")
    session.add(Renewal(account_id=account.id, renewal_date=scoring.today() + timedelta(days=1)))
    await session.flush()
    tile = (await tiles.tiles(session, TileKind.renewal, [account.id]))[account.id]
    assert (tile.band, tile.display) == ("at_risk", "$0")
    assert tile.reason.startswith("Renews tomorrow (") and tile.reason.endswith("); no forecast yet")


async def test_usage_tile_compares_user_days_with_the_window_before(session):
    usage = lambda days, prev: {"inputs": {"usage": {"user_days": days, "prev_user_days": prev}}}  # noqa: E731
    account = await scored(session, [(7, 50.0, usage(300.0, 310.0)), (0, 52.0, usage(340.0, 400.0))])
    tile = (await tiles.tiles(session, TileKind.usage_trend, [account.id]))[account.id]
    # (340 - 400) / 400 = -15 %: down, but less than 20 % → watch
    assert (tile.value, tile.display, tile.unit, tile.band) == (340.0, "340", "user-days", "watch")
    assert tile.reason == "-15% on the 4 weeks before (400 user-days)"
    assert [p.value for p in tile.trend] == [300.0, 340.0]


async def test_tiles_of_many_accounts_take_one_statement(session, engine):
    from sqlalchemy import event

    accounts = [await scored(session, [(0, 50.0 + i, {})], band="watch") for i in range(30)]
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        found = await tiles.tiles(session, TileKind.health, [a.id for a in accounts])
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)
    assert len(found) == 30 and len(statements) == 1
    assert found[accounts[7].id].value == 57.0


def test_computed_at_falls_back_to_the_snapshot_date():
    row = {"as_of": date(2026, 12, 1)}
    assert tiles._computed(row) == datetime(2026, 12, 1, tzinfo=UTC)
    assert tiles._computed({}) is None


def test_a_change_is_signed_and_never_minus_zero():
    assert [tiles._signed(d) for d in (5.4, -5.4, 0.4, -0.4, 0.0, -0.5, 0.5)] == [
        "+5", "-5", "±0", "±0", "±0", "-1", "+1",
    ]  # fmt: skip
