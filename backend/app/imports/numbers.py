"""Read numbers as spreadsheets and finance tools write them.

``1,234.56`` (US), ``1.234,56`` (EU), ``1 234,56`` (French, also with a no-break space),
``1'234.56`` (Swiss); currency signs or codes on either side (``$1,200``, ``€ 1.200,00``,
``1.200,00 EUR``); accounting negatives ``(1,200.00)``; a trailing ``%`` is dropped (the
number as shown: ``12.5%`` is 12.5). With both separators the last one is the decimal
mark; a lone comma followed by exactly three digits groups thousands (``1,200``), any
other lone comma is a decimal comma (``12,5``); a lone dot is always a decimal point
(``1.200`` is 1.2). Text that is not a number comes back unchanged so validation can name it.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_CURRENCY = r"(?:[A-Z]{3}|US\$|[$€£¥₹]|kr\.?)"
_PREFIX = re.compile(rf"^{_CURRENCY}\s*")
_SUFFIX = re.compile(rf"\s*{_CURRENCY}$")
_DIGITS = re.compile(r"^[\d.,]*\d[\d.,]*$")


def _strip_decorations(text: str) -> tuple[str, bool] | None:
    """(the bare digits and separators, negative?), or None when it is not a number."""
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    for _ in range(3):  # "-$ 1,200", "$-1,200", "1,200 USD"
        before = text
        text = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
        if text[:1] in ("+", "-"):
            negative ^= text[0] == "-"
            text = text[1:].strip()
        if text == before:
            break
    text = text.removesuffix("%").strip()
    text = _SPACES.sub("", text)
    return (text, negative) if _DIGITS.match(text) else None


def _grouped(integer: str, separator: str) -> str | None:
    """``1,234,567`` -> ``1234567`` when every group after the first has three digits."""
    groups = integer.split(separator)
    if not groups[0] or any(len(g) != 3 for g in groups[1:]):
        return None
    return "".join(groups)


def _plain(text: str) -> str | None:
    """Digits with separators -> ``1234.56`` (None when the separators make no sense)."""
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        group = "." if decimal == "," else ","
        integer, _, fraction = text.rpartition(decimal)
        whole = _grouped(integer, group)
        return f"{whole}.{fraction}" if whole is not None and fraction.isdigit() else None
    for mark in (",", "."):
        count = text.count(mark)
        if count > 1:
            return _grouped(text, mark)
        if count == 1:
            integer, fraction = text.split(mark)
            thousands = mark == "," and len(fraction) == 3 and 0 < len(integer) <= 3 and integer != "0"
            if thousands:
                return integer + fraction
            if not fraction.isdigit() or not (integer.isdigit() or not integer):
                return None
            return f"{integer or '0'}.{fraction}"
    return text


def parse_number(text: str) -> str:
    """``"(1,200.00)"`` -> ``"-1200"``; zero fractions are dropped so counts read as integers."""
    stripped = text.strip()
    found = _strip_decorations(stripped)
    if found is None:
        return stripped
    digits, negative = found
    plain = _plain(digits)
    if plain is None:
        return stripped
    integer, _, fraction = plain.partition(".")
    integer = integer.lstrip("0") or "0"
    number = integer if not fraction.strip("0") else f"{integer}.{fraction}"
    return f"-{number}" if negative and number.strip("0.") else number
