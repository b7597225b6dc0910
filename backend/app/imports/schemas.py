from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.ingest.schemas import ItemError


class RowRejected(BaseModel):
    row: int
    id: str | None = None
    errors: list[ItemError]


class RowWarning(BaseModel):
    row: int
    id: str | None = None
    message: str


class ImportReport(BaseModel):
    kind: str
    dry_run: bool
    rows: int = 0
    accepted: int = 0
    updated: int = 0
    duplicates: int = 0
    merged: int = 0
    unmatched: int = 0
    replayed: int = 0
    accounts_created: int = 0
    rejected: list[RowRejected] = []
    warnings: list[RowWarning] = []
    mapping: dict[str, str] = {}


class FieldInfo(BaseModel):
    name: str
    required: bool
    description: str


class KindFields(BaseModel):
    kind: str
    fields: list[FieldInfo]


class PresetPublic(BaseModel):
    key: str
    kind: str
    name: str
    description: str
    mapping: dict[str, str]


class ImportPreview(BaseModel):
    columns: list[str]
    sample: list[dict[str, Any]]
    rows: int
    suggested_mapping: dict[str, str]
