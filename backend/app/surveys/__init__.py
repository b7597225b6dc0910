"""NPS and CSAT responses (model; written by ingest, read by scoring and the account picture)."""
