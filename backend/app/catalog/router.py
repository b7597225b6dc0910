"""``/api/v1/features``: the feature catalogue, its edits, and a preview of an event pattern."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from app.auth.dependencies import Admin, Reader
from app.catalog import service
from app.catalog.schemas import (
    FeatureCatalogue,
    FeatureCreate,
    FeaturePublic,
    FeatureUpdate,
    PatternPreview,
    PatternPreviewRequest,
)
from app.core.db import SessionDep
from app.core.errors import Problem

router = APIRouter(prefix="/api/v1/features", tags=["features"])
FeatureId = Annotated[int, Path(ge=0, le=32767)]


@router.get("", operation_id="listFeatures", response_model=FeatureCatalogue)
async def list_features(principal: Reader, session: SessionDep) -> FeatureCatalogue:
    """Every feature: whether it is core, its plans and event pattern, and how much it was used in
    the last 30 days (events, and accounts using it)."""
    return await service.catalogue(session)


@router.post(
    "",
    operation_id="createFeature",
    response_model=FeaturePublic,
    status_code=201,
    responses={409: {"model": Problem, "description": "A feature with that key exists"}, 422: {"model": Problem}},
)
async def create_feature(body: FeatureCreate, principal: Admin, session: SessionDep) -> FeaturePublic:
    """A feature. Its pattern applies to the next events received; marking it core counts it in
    feature adoption from each account's next scoring."""
    return await service.create_feature(session, body, principal.actor)


@router.post(
    "/preview", operation_id="previewFeaturePattern", response_model=PatternPreview, responses={422: {"model": Problem}}
)
async def preview_pattern(body: PatternPreviewRequest, principal: Admin, session: SessionDep) -> PatternPreview:
    """The event names of the last 30 days a pattern would match (the 50 most frequent), which
    feature each counts for now and would count for with the pattern, and what the feature
    would take from others or no longer match. Changes nothing."""
    return await service.preview(session, body)


@router.patch(
    "/{feature_id}",
    operation_id="updateFeature",
    response_model=FeaturePublic,
    responses={404: {"model": Problem}, 422: {"model": Problem}},
)
async def update_feature(
    feature_id: FeatureId, body: FeatureUpdate, principal: Admin, session: SessionDep
) -> FeaturePublic:
    """Name, core, plans (each one some account has) and event pattern; send only what changes.
    A new pattern counts the next events received (events already stored keep their feature);
    core and plans change feature adoption at each account's next scoring."""
    return await service.update_feature(session, feature_id, body.model_dump(exclude_unset=True), principal.actor)
