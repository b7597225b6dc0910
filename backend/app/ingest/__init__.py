"""Ingest: validating items of every kind, resolving their accounts, writing signal tables, the ingest log and source freshness."""
