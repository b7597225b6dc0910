"""Figures as the rendered reports print them, matching the web app's formatting (compact money
with three significant digits, percentages with one decimal), so an email, a Slack message, a
PDF and the Leadership page never show one figure two ways."""

from __future__ import annotations

from datetime import date

from app.core.format import score as whole_score

DASH = "—"
MINUS = "\u2212"
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
# Characters the PDF's built-in fonts (WinAnsi) cannot draw, and what they print instead.
PDF_SAFE = {"\u2212": "-", "▲": "+", "▼": "-", "→": "to", "₹": "INR ", "Σ": "Sum of "}


def _symbol(currency: str) -> str:
    code = (currency or "USD").upper()
    return SYMBOLS.get(code, f"{code} ")


def _sig3(value: float) -> str:
    """At most three significant digits, never an exponent (the value is below 1,000)."""
    text = f"{value:.3g}"
    return str(int(float(text))) if "e" in text else text


def money_compact(value: float | None, currency: str = "USD") -> str:
    """120000 -> "$120K", 1234567 -> "$1.23M", 950 -> "$950", -4200 -> "-$4.2K" (a minus sign); None -> "—"."""
    if value is None:
        return DASH
    amount = abs(value)
    rounded = float(f"{amount:.3g}")
    for divisor, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if rounded >= divisor:
            text = _sig3(rounded / divisor) + suffix
            break
    else:
        text = _sig3(rounded)
    sign = MINUS if value < 0 and rounded else ""
    return f"{sign}{_symbol(currency)}{text}"


def money(value: float | None, currency: str = "USD") -> str:
    """Whole units with thousands separators: 1250000 -> "$1,250,000"; None -> "—"."""
    if value is None:
        return DASH
    whole = round(value)
    sign = MINUS if whole < 0 else ""
    return f"{sign}{_symbol(currency)}{abs(whole):,}"


def signed_money(value: float | None, currency: str = "USD") -> str:
    """Flows with their sign: 172437 -> "+$172K", -146161 -> "-$146K" (a minus sign), 0 -> "$0"."""
    if value is None:
        return DASH
    text = money_compact(abs(value), currency)
    if round(value) == 0:
        return text
    return f"+{text}" if value > 0 else f"{MINUS}{text}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: 1.0432 -> "104.3%"; None -> "—"."""
    if value is None:
        return DASH
    return f"{value * 100:.{digits}f}%".replace("-", MINUS)


def points(value: float, digits: int = 1) -> str:
    """A change of a fraction in percentage points, with its sign: 0.004 -> "+0.4 pts"."""
    shown = round(value * 100, digits)
    if shown == 0:
        return f"0{'.' + '0' * digits if digits else ''} pts"
    sign = "+" if shown > 0 else MINUS
    return f"{sign}{abs(shown):.{digits}f} pts"


def score(value: float | None) -> str:
    """A health score, rounded half up as everywhere else (43.5 -> "44")."""
    return DASH if value is None else whole_score(value)


def day(value: date) -> str:
    """ "Dec 5, 2026"."""
    return f"{value:%b} {value.day}, {value.year}"


def short_day(value: date) -> str:
    """ "Dec 5"."""
    return f"{value:%b} {value.day}"


def month(value: date) -> str:
    """ "Nov 2026"."""
    return f"{value:%b %Y}"


def pdf_safe(text: str) -> str:
    """Text the PDF's built-in fonts can draw (a minus as a hyphen, arrows as signs)."""
    for char, replacement in PDF_SAFE.items():
        text = text.replace(char, replacement)
    return text
