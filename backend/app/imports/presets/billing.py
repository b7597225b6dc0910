"""Preset for Stripe's Dashboard subscriptions export, read like the Stripe webhook reads events."""

from __future__ import annotations

from typing import Any

from app.imports.dates import parse_date
from app.imports.presets.base import Preset
from app.imports.values import interval_parts
from app.ingest.schemas import Kind

NEVER_ACTIVE = frozenset({"incomplete", "incomplete_expired"})
METADATA_EXTERNAL_ID = "tempo_external_id (metadata)"


def _iso(text: str) -> str | None:
    found = parse_date(text)
    return found if len(found) == 10 and found[4] == "-" else None


def _stripe_subscription(row: dict[str, str], item: dict[str, Any]) -> str | None:
    status = row.get("Status", "").strip().lower()
    if status in NEVER_ACTIVE:
        return f"subscription {row.get('id', '').strip()} is {status}: its first payment never succeeded"
    external_id = row.get(METADATA_EXTERNAL_ID, "").strip()
    if external_id:  # the webhook's rule: the customer's metadata names the account
        item["account"], item["account_key_type"] = external_id, "external_id"
    trial_end = _iso(row.get("Trial End (UTC)", ""))
    start = item.get("start_date")
    if trial_end and isinstance(start, str) and trial_end > start:
        item["start_date"] = start = trial_end  # revenue starts when the trial converts
    if status == "canceled" and not item.get("end_date"):
        canceled = _iso(row.get("Canceled At (UTC)", ""))
        if canceled:
            item["end_date"] = canceled
    end = item.get("end_date")
    if isinstance(end, str) and isinstance(start, str) and _iso(end) and end < start:
        item["end_date"] = start  # canceled during the trial: never billed
    _interval_count(row, item)
    return None


def _interval_count(row: dict[str, str], item: dict[str, Any]) -> None:
    """'every 3 months' prices: the amount is divided out by ``finish_item``."""
    count = row.get("Interval Count", "").strip()
    parts = interval_parts(str(item.get("interval", "")))
    if count.isdigit() and int(count) > 1 and parts is not None:
        item["interval"] = f"{int(count) * parts[0]} {parts[1]}"


BILLING_PRESETS = (
    Preset(
        "stripe-subscriptions",
        Kind.subscriptions,
        "Stripe subscriptions",
        "Stripe's Dashboard subscriptions export (Billing > Subscriptions > Export), one line per subscription. "
        "The account is the Stripe customer through the 'stripe' alias (as for the Stripe webhook), or the "
        "customer's 'tempo_external_id' metadata column when exported. Amount is the price per unit per "
        "interval in major units (49.00); weekly, daily and every-N-months prices are converted to the same "
        "money per month. Start is 'Start (UTC)', or the trial end when later; a canceled subscription ends at "
        "'Ended At (UTC)' (else 'Canceled At (UTC)'). Incomplete subscriptions never paid and are skipped. "
        "Do not also send these subscriptions through the webhook: it keys lines by subscription item.",
        {
            "id": "id",
            "account": "Customer ID",
            "account_key_type": "=stripe",
            "product": "Product",
            "plan": "Plan",
            "quantity": "Quantity",
            "unit_amount": "Amount",
            "interval": "Interval",
            "currency": "Currency",
            "start_date": "Start (UTC)",
            "end_date": "Ended At (UTC)",
        },
        derive=_stripe_subscription,
        alternatives={
            "id": ("Subscription ID",),
            "start_date": ("Start Date (UTC)", "Created (UTC)"),
            "end_date": ("Ended At",),
            "plan": ("Plan Name", "Price ID", "Plan ID"),
        },
        reads=("Status", "Trial End (UTC)", "Canceled At (UTC)", "Interval Count", METADATA_EXTERNAL_ID),
    ),
)
