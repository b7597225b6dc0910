"""Inbound connectors: Stripe webhooks and a Segment-compatible tracking API.

Each connector owns only its wire format and credential: it verifies the caller,
translates the payload into ingest items and hands them to ``app.ingest.service.ingest``,
so validation, identity resolution, unmatched storage and replay, data-source freshness
and rescore requests behave exactly as for ``POST /api/v1/ingest/{kind}``.
"""
