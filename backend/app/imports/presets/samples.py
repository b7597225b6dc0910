"""Presets for the shared sample data sets (RavenStack, dbt's MRR playbook), see docs/imports.md."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.imports.presets.base import Preset
from app.ingest.schemas import Kind


def _ravenstack_ticket(row: dict[str, str], item: dict[str, Any]) -> None:
    """Status from closed_at; first response = submitted + first_response_time_minutes."""
    item["status"] = "closed" if row.get("closed_at", "").strip() else "open"
    minutes = row.get("first_response_time_minutes", "").strip()
    opened = item.get("opened_at")
    if minutes and isinstance(opened, str):
        try:
            first = datetime.fromisoformat(opened) + timedelta(minutes=float(minutes))
        except ValueError:
            return  # leave it out; opened_at's own error is reported by validation
        item["first_response_at"] = first.isoformat()


def _seconds_to_minutes(row: dict[str, str], item: dict[str, Any]) -> None:
    seconds = row.get("usage_duration_secs", "").strip()
    try:
        item["minutes"] = float(seconds) / 60 if seconds else 0.0
    except ValueError:
        item["minutes"] = seconds  # validation names the field


SAMPLE_PRESETS = (
    Preset(
        "ravenstack-accounts",
        Kind.accounts,
        "RavenStack accounts",
        "ravenstack_accounts.csv: one account per row.",
        {
            "external_id": "account_id",
            "name": "account_name",
            "industry": "industry",
            "region": "country",
            "signup_date": "signup_date",
            "acquisition_channel": "referral_source",
            "plan": "plan_tier",
            "seats_purchased": "seats",
        },
    ),
    Preset(
        "ravenstack-subscriptions",
        Kind.subscriptions,
        "RavenStack subscriptions",
        "ravenstack_subscriptions.csv: each subscription becomes a subscription line priced by its MRR.",
        {
            "id": "subscription_id",
            "account": "account_id",
            "product": "=Platform",
            "plan": "plan_tier",
            "quantity": "seats",
            "mrr": "mrr_amount",
            "start_date": "start_date",
            "end_date": "end_date",
        },
    ),
    Preset(
        "ravenstack-feature-usage",
        Kind.usage_daily,
        "RavenStack feature usage",
        "ravenstack_feature_usage.csv: rows reference subscriptions, which resolve to accounts; rows with a "
        "repeated usage_id are dropped, the rest are summed per account, day and feature.",
        {
            "account": "subscription_id",
            "account_key_type": "=subscription",
            "date": "usage_date",
            "feature": "feature_name",
            "events": "usage_count",
        },
        derive=_seconds_to_minutes,
        aggregate=True,
        row_id="usage_id",
        reads=("usage_duration_secs",),
    ),
    Preset(
        "ravenstack-tickets",
        Kind.tickets,
        "RavenStack support tickets",
        "ravenstack_support_tickets.csv: closed_at like '2023-07-28 3:00'; status and first response derived.",
        {
            "id": "ticket_id",
            "account": "account_id",
            "priority": "priority",
            "opened_at": "submitted_at",
            "resolved_at": "closed_at",
            "csat": "satisfaction_score",
            "escalated": "escalation_flag",
        },
        derive=_ravenstack_ticket,
        reads=("first_response_time_minutes",),
    ),
    Preset(
        "mrr-playbook",
        Kind.subscriptions,
        "dbt MRR playbook subscription periods",
        "subscription_periods.csv: monthly amounts per subscription period (end date exclusive).",
        {
            "id": "subscription_id",
            "account": "customer_id",
            "product": "=Subscription",
            "mrr": "monthly_amount",
            "start_date": "start_date",
            "end_date": "end_date",
        },
        defaults={"create_missing_accounts": True},
    ),
)
