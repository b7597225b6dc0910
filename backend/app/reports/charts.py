"""Small PNG charts for emails and the board pack, drawn with matplotlib's Agg canvas (no display,
no pyplot).

Each chart is deterministic (same data, same bytes: no timestamps or software tag in the
file, a bundled font) and small (drawn at twice the size it is shown, then reduced to a
palette of a few dozen colours: well under 20 KB), because an email carries it inline.
Figures are built without pyplot (no global state) and drawn one at a time under a lock:
matplotlib's font and text caches are shared by threads.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PIL import Image

from app.reports.format import money_compact, month
from app.reports.schemas import QuadrantMoves

ACCENT = "#4f46e5"
GREEN = "#22a35a"
TEAL = "#14b8a6"
RED = "#dc3b3b"
AMBER = "#e0a21b"
BLUE = "#3b7ddd"
GREY = "#9aa1ad"
INK = "#1f2330"
MUTED = "#6b7280"
GRID = "#e5e7eb"
QUADRANT_LABELS = {
    "champions": "Champions",
    "frustrated_power_users": "Frustrated Power Users",
    "relationship_dependent": "Relationship-Dependent",
    "churn_risk": "Churn Risk",
}
METRIC_COLORS = {
    "arr": ACCENT,
    "nrr": GREEN,
    "grr": TEAL,
    "logo_churn": RED,
    "revenue_churn": AMBER,
    "expansion": GREEN,
    "net_new": ACCENT,
}

# Shown at WIDTH x height CSS pixels; drawn at SCALE times that.
WIDTH = 560
SCALE = 2
DPI = 100
COLORS = 48
_LOCK = threading.Lock()
_STYLE: dict[Any, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9 * SCALE,
    "axes.edgecolor": GRID,
    "axes.labelcolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "svg.hashsalt": "tempo",
}


def _figure(width: int, height: int) -> Figure:
    fig = Figure(figsize=(width * SCALE / DPI, height * SCALE / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    """The figure as a palette PNG, without metadata."""
    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    raw.seek(0)
    with Image.open(raw) as image:
        reduced = image.convert("RGB").quantize(
            colors=COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        out = io.BytesIO()
        reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _axes(fig: Figure) -> Axes:
    ax = fig.add_subplot(1, 1, 1)
    ax.grid(axis="y", color=GRID, linewidth=0.6 * SCALE)
    ax.set_axisbelow(True)
    ax.tick_params(axis="both", length=0)
    return ax


def _month_ticks(ax: Axes, months: Sequence[date], count: int = 6) -> None:
    every = max(1, len(months) // count)
    ticks = list(range(len(months) - 1, -1, -every))[::-1]
    ax.set_xticks(ticks)
    ax.set_xticklabels([month(months[i]) for i in ticks])
    ax.set_xlim(-0.3, len(months) - 0.7)


def _legend(ax: Axes, columns: int) -> None:
    """Above the plot, left-aligned, so it never covers a line or a bar."""
    ax.legend(
        loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, ncol=columns, borderaxespad=0.1,
        labelcolor=MUTED, handlelength=1.2,
    )  # fmt: skip


def _value_formatter(kind: str, currency: str) -> FuncFormatter:
    if kind == "money":
        return FuncFormatter(lambda v, _pos: money_compact(v, currency))
    return FuncFormatter(lambda v, _pos: f"{v * 100:.0f}%")


def line_chart(
    months: Sequence[date],
    lines: Sequence[tuple[str, Sequence[float | None], str]],
    kind: str,
    currency: str = "USD",
    height: int = 170,
    width: int = WIDTH,
    bars: bool = False,
    font_size: float = 9,
) -> bytes:
    """Lines (label, values, colour) over months; ``bars`` draws one series as columns
    (flows that change sign: net new ARR). Missing values leave gaps. A narrow chart labels
    fewer months."""
    with _LOCK, matplotlib.rc_context({**_STYLE, "font.size": font_size * SCALE}):
        fig = _figure(width, height)
        ax = _axes(fig)
        xs = list(range(len(months)))
        for label, values, color in lines:
            ys = [float("nan") if v is None else v for v in values]
            if bars:
                colors = [color if (v or 0) >= 0 else RED for v in values]
                ax.bar(xs, ys, color=colors, width=0.65, label=label)
                ax.axhline(0, color=MUTED, linewidth=1)
            else:
                ax.plot(xs, ys, color=color, linewidth=1.5 * SCALE, label=label)
                if ys and ys[-1] == ys[-1]:
                    ax.plot([xs[-1]], [ys[-1]], "o", color=color, markersize=3 * SCALE)
        ax.yaxis.set_major_formatter(_value_formatter(kind, currency))
        ax.yaxis.set_major_locator(MaxNLocator(4, integer=kind == "money"))
        known = [v for _, values, _ in lines for v in values if v is not None]
        if not known:
            ax.set_ylim(0, 1)
            ax.set_yticks([])
            ax.text(0.5, 0.5, "No data yet", transform=ax.transAxes, ha="center", va="center", color=MUTED)
        elif min(known) == max(known):  # a flat line: some room around it, whole units for money
            pad = abs(known[0]) * 0.1 or (1.0 if kind == "money" else 0.01)
            ax.set_ylim(known[0] - pad, known[0] + pad)
        if months:
            _month_ticks(ax, months, 6 if width >= 400 else 3)
        if len(lines) > 1:
            _legend(ax, len(lines))
        fig.tight_layout(pad=0.6)
        return _png(fig)


def arr_chart(months: Sequence[date], arr: Sequence[float], currency: str) -> bytes:
    """ARR at the end of each of the last 18 months (the current one: today)."""
    return line_chart(months, [("ARR", arr, ACCENT)], "money", currency)


def retention_chart(months: Sequence[date], nrr: Sequence[float | None], grr: Sequence[float | None]) -> bytes:
    """NRR and GRR by month."""
    return line_chart(months, [("NRR", nrr, GREEN), ("GRR", grr, TEAL)], "ratio")


def movers_chart(by_quadrant: Sequence[QuadrantMoves], height: int = 150) -> bytes:
    """The week's quadrant moves by the quadrant moved into: better, worse, sideways."""
    with _LOCK, matplotlib.rc_context(_STYLE):
        fig = _figure(WIDTH, height)
        ax = _axes(fig)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", color=GRID, linewidth=0.6 * SCALE)
        rows = list(reversed(by_quadrant))
        ys = list(range(len(rows)))
        left = [0.0] * len(rows)
        for field, label, color in (
            ("better", "Better", GREEN),
            ("worse", "Worse", RED),
            ("sideways", "Sideways", GREY),
        ):
            widths = [float(getattr(r, field)) for r in rows]
            ax.barh(ys, widths, left=left, color=color, height=0.6, label=label)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(ys)
        ax.set_yticklabels([QUADRANT_LABELS[r.quadrant.value] for r in rows])
        ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax.set_xlim(0, max([*left, 1]) * 1.05)
        _legend(ax, 3)
        fig.tight_layout(pad=0.6)
        return _png(fig)
