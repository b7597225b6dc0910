"""CSM touches: calls, emails, meetings, QBRs (model; written by ingest, read by scoring and the account picture)."""
