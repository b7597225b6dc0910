"""The built-in saved views of DESIGN §10, written in the book's filter language."""

from __future__ import annotations

from typing import Any

BUILTIN_VIEWS: tuple[dict[str, Any], ...] = (
    {
        "key": "renewal-risk",
        "name": "Renewal risk",
        "description": "Renewal in the next 90 days and health below 70",
        "query": {"filter": "renewal_in<90 health<70", "sort": "renewal_date", "q": ""},
    },
    {
        "key": "expansion-ready",
        "name": "Expansion ready",
        "description": "Health above 80 and more than 70% of core features adopted",
        "query": {"filter": "health>80 adoption>70%", "sort": "-arr", "q": ""},
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
