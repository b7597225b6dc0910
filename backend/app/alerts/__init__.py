"""Alerts: the default rules and their thresholds, evaluating them for accounts, source alerts, and the lifecycle (open, acknowledged, snoozed, resolved)."""
