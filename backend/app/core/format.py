"""Numbers and text as people read them in one-line reasons, emails, digests and spreadsheets."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def short_money(amount: float) -> str:
    """$1.2M, $400K, $950 (reporting currency)."""
    if amount >= 1e6:
        return f"${amount / 1e6:.1f}M"
    if amount >= 1e3:
        return f"${amount / 1e3:.0f}K"
    return f"${amount:,.0f}"


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
