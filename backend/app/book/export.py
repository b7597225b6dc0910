"""The book as CSV or XLSX, safe to open in a spreadsheet (text cells through
``core.format.safe_text``; numbers and dates stay typed)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from app.book.schemas import BookRow
from app.core.format import csv_chunks as format_csv
from app.core.format import safe_text

COLUMNS: tuple[tuple[str, str], ...] = (
    ("external_id", "External ID"),
    ("name", "Account"),
    ("segment", "Segment"),
    ("plan", "Plan"),
    ("owner", "Owner"),
    ("arr", "ARR"),
    ("renewal_date", "Renewal date"),
    ("renewal_term", "Renewal term"),
    ("health_score", "Health"),
    ("band", "Band"),
    ("quadrant", "Quadrant"),
    ("feature_adoption", "Feature adoption"),
    ("usage_change", "Usage change (4 weeks)"),
    ("open_tickets", "Open tickets"),
    ("last_touch_on", "Last touch"),
    ("last_qbr_on", "Last QBR"),
    ("open_alerts", "Open alerts"),
    ("flag", "Flag"),
    ("status", "Status"),
    ("contract_start", "Contract start"),
    ("days_since_primary_login", "Days since primary contact active"),
    ("oldest_ticket_age_days", "Oldest open ticket (days)"),
    ("forecast_status", "Renewal forecast"),
    ("expansion_potential", "Expansion potential"),
)


def _cells(a: BookRow) -> list[Any]:
    out: list[Any] = []
    for key, _ in COLUMNS:
        value: Any = (a.owner.email if a.owner else None) if key == "owner" else getattr(a, key)
        if hasattr(value, "value"):  # enums
            value = value.value
        if isinstance(value, str):
            value = safe_text(value)
        out.append(value)
    return out


# decimals per number column: money to the cent, scores to a tenth, ratios to 0.01 %
_PLACES = {"arr": 2, "health_score": 1, "feature_adoption": 4, "usage_change": 4, "expansion_potential": 2}


def csv_chunks(rows: list[BookRow]) -> Iterator[str]:
    """The book as CSV (``core.format.csv_chunks``: BOM, formula-safe, rounded to units)."""
    return format_csv([label for _, label in COLUMNS], (_cells(r) for r in rows), [_PLACES.get(k) for k, _ in COLUMNS])


def xlsx_bytes(rows: list[BookRow]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Book")
    ws.freeze_panes = "A2"
    ws.append([label for _, label in COLUMNS])
    for row in rows:
        cells = []
        for value in _cells(row):
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever openpyxl guesses
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
