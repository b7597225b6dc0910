"""The ``Tile`` type: what a host product shows for one account (``app.tiles.schemas.Tile``,
field for field): title, value and its display text, band and colour, trend points, a
one-line reason, when it was computed and a link back to Tempo."""

from __future__ import annotations

import strawberry
from strawberry.experimental.pydantic import type as from_model

from app.tiles.schemas import Tile as TileModel
from app.tiles.schemas import TileAccount as TileAccountModel
from app.tiles.schemas import TrendPoint as TrendPointModel


@from_model(model=TileAccountModel, all_fields=True, description="The account a tile is about")
class TileAccount:
    pass


@from_model(model=TrendPointModel, all_fields=True, description="One point of a tile's trend")
class TrendPoint:
    pass


@from_model(model=TileModel, all_fields=True, description="A tile, ready to render in another product")
class Tile:
    state: str = strawberry.field(description="ok, or no_data (nothing measured yet)")
