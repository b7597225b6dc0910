"""The four tiles, from the same tables the account page reads (``repository``): a host gets a
title, a value as people read it, a band with its colour, trend points, one line of reason, when
it was computed and a link back.

No access check here: callers decide which accounts a caller may see (GraphQL through the
account it resolved, the embed route through the token's account list).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.enums import Band, Forecast, Quadrant
from app.core.format import score, short_money
from app.core.models import utcnow
from app.tiles import repository
from app.tiles.schemas import Tile, TileAccount, TileKind, TrendPoint

BAND_COLOURS: dict[str | None, str] = {
    Band.healthy: "#22a35a",
    Band.watch: "#e0a21b",
    Band.at_risk: "#dc3b3b",
    None: "#8a94a6",
}
QUADRANTS: dict[str, tuple[str, str, Band]] = {
    Quadrant.champions: ("Champions", "#22a35a", Band.healthy),
    Quadrant.frustrated_power_users: ("Frustrated Power Users", "#e0a21b", Band.watch),
    Quadrant.relationship_dependent: ("Relationship-Dependent", "#3b7ddd", Band.watch),
    Quadrant.churn_risk: ("Churn Risk", "#dc3b3b", Band.at_risk),
}
COMPONENTS = ("usage", "support", "sentiment", "relationship", "commercial")
# A renewal's band: the forecast a person set, else the one Tempo suggests, else the account's.
FORECAST_BANDS: dict[str, Band] = {
    Forecast.commit: Band.healthy,
    Forecast.upside: Band.healthy,
    Forecast.risk: Band.watch,
    Forecast.churn: Band.at_risk,
}


def today() -> date:
    return utcnow().date()


def link(account_id: uuid.UUID) -> str:
    return f"{get_settings().public_url.rstrip('/')}/accounts/{account_id}"


def _trend(points: list[dict[str, Any]]) -> list[TrendPoint]:
    return [TrendPoint(date=date.fromisoformat(p["date"][:10]), value=p["value"]) for p in points]


def _computed(row: dict[str, Any]) -> datetime | None:
    computed: datetime | None = row.get("computed_at")
    if computed is not None:
        return computed
    if row.get("as_of") is not None:
        return datetime.combine(row["as_of"], time(), UTC)
    return None


def _base(kind: TileKind, row: dict[str, Any], title: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "account": TileAccount(id=row["id"], name=row["name"]),
        "title": title,
        "link": link(row["id"]),
        "trend": _trend(row.get("trend") or []),
        "computed_at": _computed(row),
    }


def _no_data(kind: TileKind, row: dict[str, Any], title: str, reason: str) -> Tile:
    return Tile(
        **_base(kind, row, title) | {"computed_at": None},
        value=None,
        display="—",
        unit=None,
        band=None,
        color=BAND_COLOURS[None],
        reason=reason,
        state="no_data",
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _signed(delta: float) -> str:
    """+3, -5, and ±0 for a change that rounds to nothing (never "-0")."""
    size = score(abs(delta))
    if size == "0":
        return "±0"
    return f"+{size}" if delta > 0 else f"-{size}"


def health(row: dict[str, Any], _: date) -> Tile:
    if row["health_score"] is None:
        return _no_data(TileKind.health, row, "Health", "Not scored yet: no signals have arrived for this account")
    parts = [(row[f"{c}_score"], c) for c in COMPONENTS if row.get(f"{c}_score") is not None]
    weakest = min(parts) if parts else None
    pieces = []
    if row["score_30_days_before"] is not None:
        pieces.append(f"{_signed(row['health_score'] - row['score_30_days_before'])} in 30 days")
    if weakest is not None:
        pieces.append(f"weakest: {weakest[1]} {score(weakest[0])}")
    return Tile(
        **_base(TileKind.health, row, "Health"),
        value=round(row["health_score"], 1),
        display=score(row["health_score"]),
        unit="score",
        band=row["band"],
        color=BAND_COLOURS.get(row["band"], BAND_COLOURS[None]),
        reason=_sentence("; ".join(pieces)) if pieces else f"{round(row['coverage'] * 100)}% of the inputs measured",
    )


def quadrant(row: dict[str, Any], _: date) -> Tile:
    if row["quadrant"] is None:
        return _no_data(TileKind.quadrant, row, "Quadrant", "Not placed yet: the account has no usage or health score")
    label, colour, band = QUADRANTS[row["quadrant"]]
    if row["moved_on"] is not None and row["from_quadrant"] is not None:
        reason = f"Since {row['moved_on']:%-d %b %Y}, from {QUADRANTS[row['from_quadrant']][0]}"
    elif row["moved_on"] is not None:
        reason = f"Since {row['moved_on']:%-d %b %Y}"
    else:
        reason = "Usage and health place it here"
    return Tile(
        **_base(TileKind.quadrant, row, "Quadrant"),
        value=None,
        display=label,
        unit=None,
        band=band,
        color=colour,
        reason=reason,
    )


def renewal(row: dict[str, Any], day: date) -> Tile:
    if row["renewal_date"] is None:
        return _no_data(TileKind.renewal, row, "Renewal", "No open renewal on record")
    days = (row["renewal_date"] - day).days
    forecast = row["forecast"] or row["suggested_forecast"]
    band = FORECAST_BANDS.get(forecast) if forecast else None
    band = band or (Band(row["band"]) if row["band"] else None)
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    said = f"forecast {forecast}" if row["forecast"] else f"suggested {forecast}" if forecast else "no forecast yet"
    tile = Tile(
        **_base(TileKind.renewal, row, "Renewal"),
        value=round(row["arr_up"], 2),
        display=short_money(row["arr_up"]),
        unit=get_settings().reporting_currency,
        band=band,
        color=BAND_COLOURS.get(band, BAND_COLOURS[None]),
        reason=f"Renews {when} ({row['renewal_date']:%-d %b %Y}); {said}",
    )
    tile.computed_at = row["updated_at"]
    return tile


def usage_trend(row: dict[str, Any], _: date) -> Tile:
    if row["user_days"] is None:
        return _no_data(TileKind.usage_trend, row, "Usage", "No product usage has arrived for this account")
    days, before = row["user_days"], row["prev_user_days"]
    if before:
        change = (days - before) / before
        reason = f"{_signed(change * 100)}% on the 4 weeks before ({before:,.0f} user-days)"
        band = Band.healthy if change >= 0 else Band.watch if change > -0.2 else Band.at_risk
    else:
        reason = "No usage in the 4 weeks before: nothing to compare with"
        band = None
    return Tile(
        **_base(TileKind.usage_trend, row, "Usage"),
        value=days,
        display=f"{days:,.0f}",
        unit="user-days",
        band=band,
        color=BAND_COLOURS.get(band, BAND_COLOURS[None]),
        reason=reason,
    )


BUILDERS: dict[TileKind, Callable[[dict[str, Any], date], Tile]] = {
    TileKind.health: health,
    TileKind.quadrant: quadrant,
    TileKind.renewal: renewal,
    TileKind.usage_trend: usage_trend,
}


async def tiles(session: AsyncSession, kind: TileKind, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Tile]:
    """The tile of each account that exists (an unknown id is simply absent)."""
    if not account_ids:
        return {}
    day = today()
    build = BUILDERS[TileKind(kind)]
    return {row["id"]: build(row, day) for row in await repository.rows(session, kind, account_ids, day)}
