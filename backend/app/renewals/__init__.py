"""Renewals: the list with a suggested forecast, the forecast rollup, forecast edits, and records kept in step with revenue."""
