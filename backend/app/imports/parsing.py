"""Read uploaded spreadsheets into rows of text, coping with real exports' quirks.

CSV: UTF-8 with or without BOM (falls back to Windows-1252), CRLF or LF, the delimiter
the most frequent of ``, ; \\t |`` in the header line. XLSX: the first sheet, first row as header, cell values
turned into text (Excel dates become ISO dates). Values are normalised later per field.
Blank lines and a report's footer (``footers``) are not data rows: they are listed in
``Sheet.skipped`` with their row numbers; blank lines after the last filled row are ignored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from app.imports.footers import describe, footer_start


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet; the message says why."""


@dataclass
class Sheet:
    columns: list[str]
    rows: list[dict[str, str]]  # one dict per data row, keyed by column name
    row_numbers: list[int]  # spreadsheet row of each data row (the header is row 1)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why): blank lines, footer


def _sheet(columns: list[str], lines: list[list[str]]) -> Sheet:
    """Data rows from the lines after the header (line 2 onwards), without blanks and footer."""
    filled = [(n, cells) for n, cells in enumerate(lines, start=2) if any(c.strip() for c in cells)]
    last = filled[-1][0] if filled else 1
    blank = [n for n, cells in enumerate(lines[: last - 1], start=2) if not any(c.strip() for c in cells)]
    numbers = [n for n, _ in filled]
    cut = footer_start([cells for _, cells in filled], numbers, blank, len(columns))
    skipped = [(n, "blank line") for n in blank] + [(n, describe(cells)) for n, cells in filled[cut:]]
    rows = [{c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)} for _, cells in filled[:cut]]
    return Sheet(columns, rows, numbers[:cut], sorted(skipped))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("the file is neither UTF-8 nor Windows-1252 text")


def _unique_columns(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    columns = []
    for i, raw in enumerate(header):
        name = (raw or "").strip() or f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        columns.append(name)
    return columns


def read_csv(data: bytes) -> Sheet:
    text = _decode(data)
    if not text.strip():
        raise SpreadsheetError("the file is empty")
    # The header line decides the delimiter: data values may contain commas ("1,200").
    header_line = text.splitlines()[0]
    delimiter = max(",;\t|", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise SpreadsheetError("the file has no header row") from exc
    return _sheet(_unique_columns(header), list(reader))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for corrupt files
        raise SpreadsheetError(f"not a readable XLSX workbook ({type(exc).__name__})") from exc
    sheet = workbook.worksheets[0]
    rows_iter: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v) for v in next(rows_iter)]
    except StopIteration as exc:
        raise SpreadsheetError("the first sheet is empty") from exc
    lines = [[_cell_text(v) for v in values] for values in rows_iter]
    workbook.close()
    return _sheet(_unique_columns(header), lines)


def read_sheet(filename: str, data: bytes) -> Sheet:
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    return read_xlsx(data) if is_xlsx else read_csv(data)
