"""Helpers shared by the connectors: per-item errors and folding ingest results together.

A connector turns one delivery (a Stripe event, a Segment batch) into ingest items,
drops those it cannot translate (reported as ``rejected`` with the delivery's own index)
and ingests the rest; ``remap`` puts ingest's indexes back into the delivery's numbering.
"""

from __future__ import annotations

from app.ingest.schemas import IngestResult, ItemError, ItemWarning, Rejected


def rejection(index: int, item_id: str | None, loc: list[str | int], msg: str) -> Rejected:
    return Rejected(index=index, id=item_id, errors=[ItemError(loc=loc, msg=msg)])


def warning(index: int, item_id: str | None, message: str) -> ItemWarning:
    return ItemWarning(index=index, id=item_id, message=message)


def remap(result: IngestResult, positions: list[int]) -> IngestResult:
    """Rewrite the indexes of ``result`` (positions in the ingested list) to delivery indexes."""
    for rejected in result.rejected:
        rejected.index = positions[rejected.index]
    for warned in result.warnings:
        warned.index = positions[warned.index]
    return result


def merge(into: IngestResult, other: IngestResult) -> None:
    into.accepted += other.accepted
    into.updated += other.updated
    into.duplicates += other.duplicates
    into.unmatched += other.unmatched
    into.replayed += other.replayed
    into.replay_rejected += other.replay_rejected
    into.rejected = sorted([*into.rejected, *other.rejected], key=lambda r: r.index)
    into.warnings = sorted([*into.warnings, *other.warnings], key=lambda w: w.index)
