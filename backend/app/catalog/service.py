"""The feature catalogue: which features are core, on which plans, and which event names each
takes.

Ingest maps an event without a ``feature`` to the first feature, by id, whose ``event_pattern``
it matches (``app.ingest.writers``); it reads the patterns from the database for every batch
(there is no cache to clear), so a changed pattern applies to the next event received. Events
already stored keep the feature they were counted for. Marking a feature core (or changing its
plans) changes the usage score's feature adoption at the next scoring of each account.
"""

from __future__ import annotations

import re
import warnings
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.catalog import repository
from app.catalog.schemas import (
    PREVIEW_TOP,
    WINDOW_DAYS,
    FeatureCatalogue,
    FeatureCreate,
    FeaturePublic,
    FeatureRef,
    PatternMatch,
    PatternPreview,
    PatternPreviewRequest,
)
from app.core.errors import Conflict, FieldError, NotFound, Unprocessable
from app.core.models import utcnow
from app.usage.models import Feature

# How many distinct recent event names a preview checks (the most frequent first).
NAMES_SCANNED = 5000


def _invalid(field: str, msg: str) -> Unprocessable:
    return Unprocessable(f"{field}: {msg}", errors=[FieldError(loc=["body", field], msg=msg)])


def _window() -> tuple[Any, Any]:
    until = utcnow().date()
    return until - timedelta(days=WINDOW_DAYS - 1), until


async def catalogue(session: AsyncSession) -> FeatureCatalogue:
    """Every feature with its usage over the last 30 days, and the plans accounts have."""
    since, until = _window()
    rows = await repository.with_usage(session, since, until)
    return FeatureCatalogue(
        items=[FeaturePublic.model_validate(dict(r)) for r in rows],
        plans=await repository.plans_in_use(session),
        since=since,
        until=until,
    )


async def _public(session: AsyncSession, feature_id: int) -> FeaturePublic:
    since, until = _window()
    rows = await repository.with_usage(session, since, until, feature_id)
    return FeaturePublic.model_validate(dict(rows[0]))


async def check_pattern(session: AsyncSession, pattern: str | None) -> str | None:
    """The pattern to store (None for empty), or 422 naming ``event_pattern`` when Python (which
    ingest matches with) or PostgreSQL (which reports use) cannot compile it."""
    if pattern is None or not pattern.strip():
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as exc:
        raise _invalid("event_pattern", f"not a valid regular expression: {exc}") from exc
    refused = await repository.postgres_pattern_error(session, pattern)
    if refused is not None:
        raise _invalid("event_pattern", f"PostgreSQL cannot use this pattern: {refused}")
    return pattern


async def check_plans(session: AsyncSession, plans: list[str]) -> list[str]:
    """The plans, each once; 422 naming ``plans`` with the ones no account has."""
    known = await repository.plans_in_use(session)
    chosen = list(dict.fromkeys(p.strip() for p in plans if p.strip()))
    unknown = [p for p in chosen if p not in known]
    if unknown:
        have = ", ".join(known) if known else "none yet"
        raise _invalid("plans", f"no account has the plan {', '.join(unknown)} (accounts have: {have})")
    return chosen


async def create_feature(session: AsyncSession, body: FeatureCreate, actor: str) -> FeaturePublic:
    if await repository.key_taken(session, body.key):
        raise Conflict(f"A feature with the key '{body.key}' exists")
    pattern = await check_pattern(session, body.event_pattern)
    plans = await check_plans(session, body.plans)
    feature = Feature(key=body.key, name=body.name, is_core=body.is_core, plans=plans, event_pattern=pattern)
    session.add(feature)
    await session.flush()
    assert feature.id is not None
    detail = {
        "key": feature.key,
        "name": feature.name,
        "is_core": feature.is_core,
        "plans": plans,
        "event_pattern": pattern,
    }
    record(session, actor, "feature.create", "feature", feature.id, detail)
    return await _public(session, feature.id)


async def update_feature(session: AsyncSession, feature_id: int, changes: dict[str, Any], actor: str) -> FeaturePublic:
    """Name, core, plans and pattern (``changes``: only what changes). A new pattern applies to
    events received from now on; events already stored keep their feature."""
    feature = await repository.feature(session, feature_id)
    if feature is None:
        raise NotFound(f"No feature with id {feature_id}")
    for field in ("name", "is_core", "plans"):
        if field in changes and changes[field] is None:
            raise _invalid(field, "may not be null")
    if "event_pattern" in changes:
        changes["event_pattern"] = await check_pattern(session, changes["event_pattern"])
    if "plans" in changes:
        changes["plans"] = await check_plans(session, changes["plans"])
    before = {k: getattr(feature, k) for k in changes}
    for field, value in changes.items():
        setattr(feature, field, value)
    session.add(feature)
    await session.flush()
    changed = {k: {"from": before[k], "to": v} for k, v in changes.items() if before[k] != v}
    if changed:
        record(session, actor, "feature.update", "feature", feature.id, {"key": feature.key, **changed})
    return await _public(session, feature_id)


def _first_match(compiled: list[tuple[FeatureRef, re.Pattern[str]]], event: str) -> FeatureRef | None:
    for ref, regex in compiled:
        if regex.search(event):
            return ref
    return None


def _compile_all(features: list[tuple[int, str, str, str | None]]) -> list[tuple[FeatureRef, re.Pattern[str]]]:
    compiled = []
    for feature_id, key, name, pattern in features:
        if not pattern:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compiled.append((FeatureRef(id=feature_id, key=key, name=name), re.compile(pattern)))
        except re.error:
            continue  # as ingest does: a pattern that does not compile matches nothing
    return compiled


async def preview(session: AsyncSession, body: PatternPreviewRequest) -> PatternPreview:
    """Which event names of the last 30 days ``body.event_pattern`` would match, which feature
    each counts for now and would count for with it, and what the feature would take from
    others or give up. Nothing is changed."""
    pattern = await check_pattern(session, body.event_pattern)
    features = await repository.patterns(session)
    target: FeatureRef | None = None
    if body.feature_id is not None:
        found = next((f for f in features if f[0] == body.feature_id), None)
        if found is None:
            raise _invalid("feature_id", f"no feature with id {body.feature_id}")
        target = FeatureRef(id=found[0], key=found[1], name=found[2])
    else:
        # a new feature is created last, so it is tried after every existing one
        target = FeatureRef(id=max((f[0] for f in features), default=0) + 1, key="(new)", name="New feature")
    current = _compile_all(features)
    proposed_rows = [(i, k, n, pattern if target and i == target.id else p) for i, k, n, p in features]
    if body.feature_id is None:
        proposed_rows.append((target.id, target.key, target.name, pattern))
    proposed = _compile_all(proposed_rows)
    own = re.compile(pattern) if pattern else None

    since = utcnow() - timedelta(days=WINDOW_DAYS)
    names = await repository.recent_event_names(session, since, NAMES_SCANNED)
    matches: list[PatternMatch] = []
    released: list[PatternMatch] = []
    for event, count in names:
        now, after = _first_match(current, event), _first_match(proposed, event)
        row = PatternMatch(event=event, events=count, now=now, after=after)
        if own is not None and own.search(event):
            matches.append(row)
        elif now is not None and now.id == target.id and (after is None or after.id != target.id):
            released.append(row)
    taken = [m for m in matches if m.after and m.after.id == target.id and (m.now is None or m.now.id != target.id)]
    kept = [m for m in matches if m.after is not None and m.after.id != target.id]
    return PatternPreview(
        matched_names=len(matches),
        matched_events=sum(m.events for m in matches),
        matches=matches[:PREVIEW_TOP],
        taken=taken[:PREVIEW_TOP],
        kept_by_others=kept[:PREVIEW_TOP],
        released=released[:PREVIEW_TOP],
        names_scanned=len(names),
    )
