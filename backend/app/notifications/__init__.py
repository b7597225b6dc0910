"""Notification channels (webhook, Slack, email) and deliveries: signed, retried with backoff, dead-lettered and visible."""
