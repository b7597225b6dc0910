"""A tile is what a host shows without knowing Tempo's internals: a title, a value with its
display text and unit, a band and the colour for it, trend points, a one-line reason, when it
was computed and a link back to the account in Tempo.

Theming is a short, closed list of variables (no CSS from the host reaches a page): each value
is checked here, so a tile's HTML or SVG only ever carries a colour, a font from a fixed list
and a radius in pixels.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TileKind(StrEnum):
    health = "health"
    quadrant = "quadrant"
    renewal = "renewal"
    usage_trend = "usage_trend"


class TrendPoint(BaseModel):
    date: date
    value: float | None = Field(description="null: nothing was measured that day")


class TileAccount(BaseModel):
    id: uuid.UUID
    name: str


class Tile(BaseModel):
    kind: TileKind
    account: TileAccount
    title: str = Field(description="What the tile shows, e.g. 'Health'")
    value: float | None = Field(description="The number behind the tile (null: no data yet, or not a number)")
    display: str = Field(description="The value as a person reads it, e.g. '72', 'Champions', '$117K'")
    unit: str | None = Field(description="What the value counts, e.g. 'score', 'days', 'USD', 'user-days'")
    band: str | None = Field(description="healthy, watch or at_risk (null: no data)")
    color: str = Field(description="The band's colour as #rrggbb, for hosts that colour the tile themselves")
    trend: list[TrendPoint] = Field(description="Oldest first")
    reason: str = Field(description="One line: why the value is what it is")
    computed_at: datetime | None = Field(description="When Tempo computed the value (null: never)")
    link: str = Field(description="The account in Tempo (signing in is needed there)")
    state: Literal["ok", "no_data"] = "ok"


FONTS: dict[str, str] = {
    "system": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "sans": "'Helvetica Neue', Arial, sans-serif",
    "serif": "Georgia, 'Times New Roman', serif",
    "mono": "ui-monospace, 'SFMono-Regular', Menlo, monospace",
}

HEX_COLOUR = r"^#[0-9a-fA-F]{6}$"


class Theme(BaseModel):
    """The variables a host may set; anything else is refused (422). Frozen: it keys caches."""

    model_config = ConfigDict(frozen=True)

    theme: Literal["light", "dark", "auto"] = "auto"
    accent: str | None = Field(default=None, pattern=HEX_COLOUR, description="#rrggbb")
    font: Literal["system", "sans", "serif", "mono"] = "system"
    radius: int = Field(default=8, ge=0, le=24, description="Corner radius in pixels")
    background: str | None = Field(default=None, pattern=HEX_COLOUR, description="#rrggbb")
