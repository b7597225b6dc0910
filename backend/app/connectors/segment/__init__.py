"""Segment-compatible tracking API (also what RudderStack's SDKs and destinations speak).

``wire`` owns the protocol: write-key auth, the error shape Segment's clients parse,
reading messages into what Tempo stores; ``process`` resolves groups and ingests.
"""
