"""Numbers and text as people read them in one-line reasons, emails, digests and spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def short_money(amount: float) -> str:
    """$1.2M, $400K, $950 (reporting currency)."""
    if amount >= 1e6:
        return f"${amount / 1e6:.1f}M"
    if amount >= 1e3:
        return f"${amount / 1e3:.0f}K"
    return f"${amount:,.0f}"


def seconds(n: int) -> str:
    """``1 second``, ``5 seconds``."""
    return f"{n:,} second" if n == 1 else f"{n:,} seconds"


def score(value: float) -> str:
    """A health score as people read it: a whole number, halves up (43.5 -> "44"), the same
    rounding the SPA uses, so a sentence and a pill beside it never disagree."""
    return str(int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP)))


# A text cell that starts with one of these would be read as a formula by Excel, LibreOffice
# or Sheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """A text cell safe to open in a spreadsheet: a leading apostrophe, shown as text, before
    anything that would start a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _cell(value: Any, places: int | None) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if places is not None and isinstance(value, float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return value


def csv_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], places: Sequence[int | None] | None = None
) -> Iterator[str]:
    """CSV for spreadsheets, a few hundred rows per chunk: UTF-8 with a BOM (so Excel reads
    accents), CRLF, formula-safe text, ISO dates, and each number rounded to its unit
    (``places[i]`` decimals for column ``i``; money 2, scores 1, ratios 4)."""
    places = list(places) if places is not None else [None] * len(header)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write("\ufeff")
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(v, p) for v, p in zip(row, places, strict=True)])
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
