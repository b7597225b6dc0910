"""The board pack laid out as a PDF (reportlab): a dated cover, the three first-screen answers
(revenue at risk by health band; the accounts that need attention; renewals next quarter by
forecast and the expansion pipeline), the seven leadership KPIs with their 18-month charts,
NRR and GRR by quarter, and a page of definitions. The built-in PDF fonts only: text is made
safe for them (``format.pdf_safe``)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.reports import format as fmt
from app.reports.schemas import BoardPack

INK = colors.HexColor("#1f2330")
MUTED = colors.HexColor("#6b7280")
RULE = colors.HexColor("#e5e7eb")
ACCENT = colors.HexColor("#4f46e5")
RISK = colors.HexColor("#b91c1c")
HEAD_BG = colors.HexColor("#f3f4f6")
BAND_LABELS = {"at_risk": "At risk", "watch": "Watch", "healthy": "Healthy", "unscored": "Unscored"}
FORECAST_LABELS = {"commit": "Commit", "upside": "Upside", "risk": "Risk", "churn": "Churn", "unset": "No forecast yet"}
# The KPI charts: drawn at twice this size (charts.SCALE), printed at it.
CHART_W, CHART_H = 240, 96
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=base["BodyText"], fontName="Helvetica", fontSize=9.5, leading=13, textColor=INK
    )
    return {
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=MUTED, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "cell_r": ParagraphStyle("cell_r", parent=body, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "h1": ParagraphStyle("h1", parent=body, fontName="Helvetica-Bold", fontSize=18, leading=23, spaceAfter=4),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4
        ),
        "kpi_label": ParagraphStyle("kpi_label", parent=body, fontName="Helvetica-Bold", fontSize=9.5, leading=12),
        "kpi_value": ParagraphStyle("kpi_value", parent=body, fontName="Helvetica-Bold", fontSize=15, leading=19),
        "figure": ParagraphStyle(
            "figure", parent=body, fontName="Helvetica-Bold", fontSize=24, leading=30, textColor=RISK
        ),
        "cover_title": ParagraphStyle(
            "cover_title", parent=body, fontName="Helvetica-Bold", fontSize=34, leading=40, textColor=INK
        ),
        "cover_sub": ParagraphStyle("cover_sub", parent=body, fontSize=14, leading=20, textColor=MUTED),
        "cover_date": ParagraphStyle(
            "cover_date", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=22, textColor=ACCENT
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, PDF-safe)."""
    return Paragraph(escape(fmt.pdf_safe(text)), style)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float], right: set[int]) -> Table:
    s = _styles()
    head = [_p(h, s["cell_r"] if i in right else s["cell"]) for i, h in enumerate(header)]
    body = [
        [
            v if isinstance(v, Paragraph) else _p(str(v), s["cell_r"] if i in right else s["cell"])
            for i, v in enumerate(r)
        ]
        for r in rows
    ]
    table = Table([head, *body], colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _footer(pack: BoardPack) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(MUTED)
        text = fmt.pdf_safe(f"Tempo board pack · {pack.scope_label} · as of {fmt.day(pack.as_of)}")
        canvas.drawString(MARGIN, 10 * mm, text)
        canvas.drawRightString(PAGE_W - MARGIN, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _cover(pack: BoardPack) -> list[Any]:
    s = _styles()
    return [
        Spacer(1, 60 * mm),
        _p("Tempo", s["cover_sub"]),
        _p("Board pack", s["cover_title"]),
        Spacer(1, 4 * mm),
        _p("Customer health, revenue retention and what needs attention", s["cover_sub"]),
        Spacer(1, 14 * mm),
        _p(f"As of {fmt.day(pack.as_of)}", s["cover_date"]),
        Spacer(1, 3 * mm),
        _p(f"Accounts: {pack.scope_label.lower()} · money in {pack.currency}", s["muted"]),
        _p(
            "The retention metrics are the whole book's; revenue at risk, the accounts needing attention, "
            "renewals and expansion cover the accounts above.",
            s["muted"],
        ),
        PageBreak(),
    ]


def _answers(pack: BoardPack) -> list[Any]:
    s = _styles()
    money = pack.currency
    width = PAGE_W - 2 * MARGIN
    out: list[Any] = [_p("The three answers", s["h1"])]

    out += [
        _p("1. How much revenue is at risk?", s["h2"]),
        Paragraph(
            f'<font color="#b91c1c"><b>{escape(fmt.pdf_safe(fmt.money(pack.revenue_at_risk, money)))}</b></font>',
            s["figure"],
        ),
        _p(
            f"over {pack.risk_accounts:,} active accounts with {fmt.money(pack.risk_arr, money)} ARR, by health band:",
            s["body"],
        ),
        Spacer(1, 2 * mm),
        _table(
            ["Health band", "Accounts", "ARR", "Revenue at risk"],
            [
                [
                    BAND_LABELS.get(b.band, b.band),
                    f"{b.accounts:,}",
                    fmt.money(b.arr, money),
                    fmt.money(b.at_risk, money),
                ]
                for b in pack.by_band
            ],
            [width * 0.4, width * 0.15, width * 0.22, width * 0.23],
            {1, 2, 3},
        ),
    ]

    out += [
        CondPageBreak(60 * mm),
        _p("2. Which accounts need attention?", s["h2"]),
        _p(
            f"The top of the queue: {pack.attention_total:,} risks, "
            f"{fmt.money(pack.attention_at_stake, money)} ARR at stake in all.",
            s["body"],
        ),
        Spacer(1, 2 * mm),
    ]
    if pack.attention:
        out.append(
            _table(
                ["#", "Account", "Owner", "Why", "At stake"],
                [
                    [str(a.rank), a.account, a.owner or "Unassigned", a.reason, fmt.money(a.value, money)]
                    for a in pack.attention
                ],
                [width * 0.05, width * 0.22, width * 0.17, width * 0.41, width * 0.15],
                {0, 4},
            )
        )
    else:
        out.append(_p("No account has a risk in the queue.", s["muted"]))

    out += [
        CondPageBreak(70 * mm),
        _p("3. Where do renewals and expansion come from next quarter?", s["h2"]),
        _p(
            f"Renewals in {pack.renewals_label} ({fmt.short_day(pack.renewals_start)} to "
            f"{fmt.day(pack.renewals_end)}): {pack.renewals_count:,}, {fmt.money(pack.renewals_arr, money)} ARR up "
            "for renewal, by the team's forecast:",
            s["body"],
        ),
        Spacer(1, 2 * mm),
        _table(
            ["Forecast", "Renewals", "ARR up for renewal"],
            [
                [FORECAST_LABELS.get(f.forecast, f.forecast), f"{f.renewals:,}", fmt.money(f.arr, money)]
                for f in pack.by_forecast
            ],
            [width * 0.5, width * 0.2, width * 0.3],
            {1, 2},
        ),
        Spacer(1, 4 * mm),
        _p(
            f"Expansion pipeline: {fmt.money(pack.expansion_pipeline, money)} of expected expansion ARR over "
            f"{pack.expansion_accounts:,} accounts the queue shows as opportunities.",
            s["body"],
        ),
        PageBreak(),
    ]
    return out


def _kpis(pack: BoardPack, images: Mapping[str, bytes]) -> list[Any]:
    s = _styles()
    cells = []
    for k in pack.kpis:
        chart = Image(io.BytesIO(images[k.key]), width=CHART_W, height=CHART_H)
        cells.append(
            [
                _p(k.label, s["kpi_label"]),
                _p(k.value, s["kpi_value"]),
                _p(k.note, s["muted"]),
                Spacer(1, 1 * mm),
                chart,
            ]
        )
    rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
    if len(rows[-1]) == 1:
        rows[-1].append([])
    grid = Table(rows, colWidths=[(PAGE_W - 2 * MARGIN) / 2] * 2)
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
                ("LINEBELOW", (0, 0), (-1, -2), 0.5, RULE),
            ]
        )
    )
    return [
        _p("Leadership metrics, last 18 months", s["h1"]),
        _p("The whole book, as the Leadership page shows it; charts by month, the last one to date.", s["muted"]),
        Spacer(1, 4 * mm),
        grid,
        PageBreak(),
    ]


def _quarters(pack: BoardPack) -> list[Any]:
    s = _styles()
    width = PAGE_W - 2 * MARGIN
    money = pack.currency
    return [
        _p("NRR and GRR by quarter", s["h1"]),
        _p(
            "Each quarter's cohort: the accounts with ARR on its first day; the quarter in progress to date.",
            s["muted"],
        ),
        Spacer(1, 3 * mm),
        _table(
            ["Quarter", "Starting ARR", "Ending ARR", "NRR", "GRR"],
            [
                [
                    q.quarter + (" (to date)" if q.partial else ""),
                    fmt.money(q.starting_arr, money),
                    fmt.money(q.ending_arr, money),
                    fmt.percent(q.nrr),
                    fmt.percent(q.grr),
                ]
                for q in pack.quarters
            ],
            [width * 0.24, width * 0.22, width * 0.22, width * 0.16, width * 0.16],
            {1, 2, 3, 4},
        ),
        PageBreak(),
    ]


def _definitions(pack: BoardPack) -> list[Any]:
    s = _styles()
    out: list[Any] = [_p("Definitions", s["h1"])]
    for name, sentence in pack.definitions:
        out.append(
            KeepTogether(
                [Paragraph(f"<b>{escape(fmt.pdf_safe(name))}</b>: {escape(fmt.pdf_safe(sentence))}", s["body"])]
            )
        )
        out.append(Spacer(1, 2 * mm))
    return out


def render(pack: BoardPack, images: Mapping[str, bytes]) -> bytes:
    """The PDF; ``images``: each KPI's chart (PNG) by its key."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"Tempo board pack {pack.as_of.isoformat()}",
        author="Tempo",
        subject=f"Board pack, {pack.scope_label}",
        creator="Tempo",
        invariant=True,
    )
    story = [*_cover(pack), *_answers(pack), *_kpis(pack, images), *_quarters(pack), *_definitions(pack)]
    footer = _footer(pack)
    doc.build(story, onFirstPage=lambda c, d: None, onLaterPages=footer)
    return out.getvalue()
