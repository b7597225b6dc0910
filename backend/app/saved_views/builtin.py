"""The built-in saved views of DESIGN §10, written in the book's filter language. The Book
shows them as chips above the table, in this order."""

from __future__ import annotations

from typing import Any

BUILTIN_VIEWS: tuple[dict[str, Any], ...] = (
    {
        "key": "renewing-60-at-risk-no-qbr",
        "name": "Renewing in 60 days · at risk · no QBR in 90 days",
        "description": "Renewal in the next 60 days, health band at risk, and no QBR in the last 90 days (or ever)",
        "query": {"filter": "renewal_in<=60 band=at_risk qbr>90", "sort": "renewal_date", "q": ""},
    },
    {
        "key": "at-risk",
        "name": "At risk",
        "description": "Health band at risk",
        "query": {"filter": "band=at_risk", "sort": "-arr", "q": ""},
    },
    {
        "key": "renewing-90",
        "name": "Renewing in 90 days",
        "description": "Renewal (annual, multi-year or contract) in the next 90 days",
        "query": {"filter": "renewal_in<=90", "sort": "renewal_date", "q": ""},
    },
    {
        "key": "no-touch-30",
        "name": "No touch in 30 days",
        "description": "No touch (call, meeting, email...) logged in the last 30 days, or none ever",
        "query": {"filter": "last_touch>30", "sort": "-arr", "q": ""},
    },
    {
        "key": "expansion-ready",
        "name": "Expansion ready",
        "description": "Health above 80 and more than 70% of core features adopted",
        "query": {"filter": "health>80 adoption>70%", "sort": "-arr", "q": ""},
    },
    {
        "key": "renewal-risk",
        "name": "Renewal risk",
        "description": "Renewal in the next 90 days and health below 70",
        "query": {"filter": "renewal_in<90 health<70", "sort": "renewal_date", "q": ""},
    },
    {
        "key": "needs-attention",
        "name": "Needs attention",
        "description": "Active user-days down more than 30% over the last 4 weeks",
        "query": {"filter": "usage_change<-30%", "sort": "usage_change", "q": ""},
    },
    {
        "key": "high-value-at-risk",
        "name": "High value at risk",
        "description": "ARR above 50K and health below 60",
        "query": {"filter": "arr>50k health<60", "sort": "-arr", "q": ""},
    },
)
DESCRIPTIONS = {v["key"]: v["description"] for v in BUILTIN_VIEWS}
