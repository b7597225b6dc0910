"""A tile as an SVG image (email, chat) and as the document an iframe shows.

Both are built from Jinja2 templates with autoescape on: every text that comes from the data
(the account's name, the reason, the display value) is escaped, and the theme's values are
checked again here against the closed list of ``Theme`` even though the model already did,
so a ``Theme`` built without validation still cannot put anything but a colour, a font from
``FONTS`` and a radius into a page.

The SVG carries no script and no external reference (no links, no fonts, no images). The
HTML document carries no inline script or style: the page's CSP allows only ``'self'``, so
its look comes from ``tile.css``, its behaviour from ``tile.js``, the theme from ``data-*``
attributes the script re-checks and applies through the CSSOM, and the tile itself (when
the server has it) from a ``<script type="application/json">`` block, which is data.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from app.tiles.schemas import FONTS, HEX_COLOUR, Theme, Tile, TileKind, TrendPoint

__all__ = ["html_document", "svg"]

_HEX = re.compile(HEX_COLOUR)
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

SVG_WIDTH = 320
SVG_HEIGHT = 120

# The palette of each scheme; a host's ``background`` replaces ``bg``, its ``accent`` replaces
# ``accent`` (the sparkline). ``auto`` is light in an SVG: an image cannot ask for the reader's
# colour scheme reliably across mail clients.
PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "bg": "#ffffff",
        "border": "#e5e7eb",
        "fg": "#111827",
        "muted": "#6b7280",
        "accent": "#4f46e5",
        "none": "#9ca3af",
    },
    "dark": {
        "bg": "#111827",
        "border": "#374151",
        "fg": "#f9fafb",
        "muted": "#9ca3af",
        "accent": "#818cf8",
        "none": "#6b7280",
    },
}

BAND_LABELS = {"healthy": "Healthy", "watch": "Watch", "at_risk": "At risk"}


def _colour(value: object) -> str | None:
    """``value`` when it is a ``#rrggbb`` colour, else None."""
    return value if isinstance(value, str) and _HEX.fullmatch(value) else None


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    one_line = " ".join(text.split())
    if len(one_line) <= limit:
        return one_line
    return one_line[: limit - 1].rstrip() + "…"


def _web_link(link: str) -> str | None:
    """The link when it is an absolute http(s) URL (never ``javascript:`` and the like)."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    return link if parts.scheme in {"http", "https"} and parts.netloc else None


def _band_label(band: str | None) -> str | None:
    if not band:
        return None
    return BAND_LABELS.get(band, band.replace("_", " ").capitalize())


def _computed_label(computed_at: datetime | None) -> str:
    if computed_at is None:
        return "Not computed yet"
    return f"Computed {computed_at.day} {computed_at:%b %Y}"


@dataclass(frozen=True)
class Spark:
    """A sparkline in a box of ``width`` x ``height`` pixels: the points of the polyline and the
    last one (drawn as a dot; the only mark when there is a single value)."""

    points: list[tuple[float, float]]
    width: float
    height: float

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)

    @property
    def last(self) -> tuple[float, float] | None:
        return self.points[-1] if self.points else None


def sparkline(trend: Sequence[TrendPoint], width: float, height: float, pad: float = 3.0) -> Spark:
    """Points for the measured values of ``trend`` (days with nothing measured are skipped; a
    point sits at its date's place on the x axis, so a gap in the days shows as a longer
    segment). One value sits in the middle; equal values draw a flat line halfway up."""
    measured = [(p.date, p.value) for p in trend if p.value is not None]
    if not measured:
        return Spark([], width, height)
    low = min(v for _, v in measured)
    high = max(v for _, v in measured)
    first = trend[0].date
    span = (trend[-1].date - first).days
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    points: list[tuple[float, float]] = []
    for i, (day, v) in enumerate(measured):
        if len(measured) == 1:
            x = width / 2
        elif span > 0:
            x = pad + inner_w * ((day - first).days / span)
        else:  # every point on one day: spread them evenly
            x = pad + inner_w * (i / (len(measured) - 1))
        y = pad + inner_h / 2 if high == low else pad + inner_h * (1 - (v - low) / (high - low))
        points.append((round(x, 1), round(y, 1)))
    return Spark(points, width, height)


def _theme_values(theme: Theme) -> dict[str, Any]:
    """The theme's values, each checked again against the closed list (a ``Theme`` made with
    ``model_construct`` skips pydantic's checks); anything off the list falls back to the
    default."""
    name = theme.theme if theme.theme in {"light", "dark", "auto"} else "auto"
    font = theme.font if theme.font in FONTS else "system"
    radius = theme.radius if isinstance(theme.radius, int) and 0 <= theme.radius <= 24 else 8
    return {
        "theme": name,
        "font": font,
        "radius": radius,
        "accent": _colour(theme.accent),
        "background": _colour(theme.background),
    }


def _value_size(display: str, unit: str | None) -> tuple[int, str | None]:
    """The value's font size and the unit as it fits left of the sparkline (about 176 px):
    widths are estimated from the number of characters, as an SVG cannot measure text."""
    size = 30 if len(display) <= 6 else 22 if len(display) <= 10 else 18
    room = 176 - len(display) * size * 0.6
    if unit is None:
        return size, None
    chars = int(room / (13 * 0.55)) - 1
    return size, _clip(unit, chars) if chars >= 3 else None


def svg(tile: Tile, theme: Theme) -> str:
    """A self-contained 320x120 SVG of the tile."""
    values = _theme_values(theme)
    palette = dict(PALETTES["dark" if values["theme"] == "dark" else "light"])
    if values["background"]:
        palette["bg"] = values["background"]
    if values["accent"]:
        palette["accent"] = values["accent"]
    band_colour = _colour(tile.color) or palette["none"]
    size, unit = _value_size(tile.display, tile.unit)
    spark = sparkline(tile.trend, 92, 34)
    band = _band_label(tile.band)
    heading = _clip(f"{tile.title} · {tile.account.name}", 27 if band else 42)
    described = ", ".join(
        part
        for part in (
            f"{tile.title} of {tile.account.name}: {tile.display}" + (f" {tile.unit}" if tile.unit else ""),
            band,
            tile.reason,
            _computed_label(tile.computed_at),
        )
        if part
    )
    return _env.get_template("tile.svg").render(
        width=SVG_WIDTH,
        height=SVG_HEIGHT,
        radius=min(values["radius"], 24),
        font=FONTS[values["font"]],
        p=palette,
        band_colour=band_colour,
        band=band,
        heading=heading,
        display=_clip(tile.display, 14),
        value_size=size,
        unit=unit,
        reason=_clip(tile.reason, 42),
        computed=_computed_label(tile.computed_at),
        spark=spark,
        spark_x=SVG_WIDTH - 20 - spark.width,
        spark_y=34,
        described=described,
    )


def _json_for_script(tile: Tile) -> Markup:
    """The tile as JSON that cannot end its ``<script>`` block nor open a comment in it:
    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes, which JSON.parse reads back."""
    text = tile.model_dump_json()
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # noqa: S704 - every character that could end the block is escaped above


def _origins(origins: Iterable[str]) -> str | None:
    kept = [o for o in origins if _ORIGIN.fullmatch(o)]
    return " ".join(kept) if kept else None


def html_document(
    tile: Tile | None,
    theme: Theme,
    *,
    kind: TileKind,
    account_id: uuid.UUID,
    static_prefix: str = "/embed/static",
    origins: Iterable[str] = (),
    refresh_notice: int = 60,
) -> str:
    """The iframe's document. ``tile`` None is the shell: the script fetches the tile once it
    has a token (from the URL's fragment or from the parent). ``origins`` (the embed
    configuration's allowed host origins) become ``data-origins``: the only parents the
    script answers before it holds a token of its own."""
    values = _theme_values(theme)
    fallback: dict[str, Any] | None = None
    if tile is not None:
        fallback = {
            "title": tile.title,
            "account": tile.account.name,
            "display": tile.display,
            "unit": tile.unit,
            "band": tile.band if tile.band in BAND_LABELS else None,
            "band_label": _band_label(tile.band),
            "reason": tile.reason,
            "computed": _computed_label(tile.computed_at),
            "computed_iso": tile.computed_at.isoformat() if tile.computed_at else None,
            "link": _web_link(tile.link),
            "spark": sparkline(tile.trend, 120, 36),
        }
    return _env.get_template("tile.html").render(
        kind=TileKind(kind).value,
        account_id=str(uuid.UUID(str(account_id))),
        static_prefix=static_prefix.rstrip("/"),
        theme=values,
        origins=_origins(origins),
        refresh_notice=max(1, int(refresh_notice)),
        data=_json_for_script(tile) if tile is not None else None,
        tile=fallback,
        page_title=f"{tile.title} · {tile.account.name}" if tile is not None else "Tempo tile",
    )
