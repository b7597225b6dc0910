"""Numbers as people read them in one-line reasons, emails and digests."""

from __future__ import annotations


def short_money(amount: float) -> str:
    """$1.2M, $400K, $950 (reporting currency)."""
    if amount >= 1e6:
        return f"${amount / 1e6:.1f}M"
    if amount >= 1e3:
        return f"${amount / 1e3:.0f}K"
    return f"${amount:,.0f}"
