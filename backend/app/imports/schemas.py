from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.ingest.schemas import ItemError


class RowRejected(BaseModel):
    row: int
    id: str | None = None
    errors: list[ItemError]


class RowWarning(BaseModel):
    row: int
    id: str | None = None
    field: str | None = Field(None, description="The field the warning is about (its value was left out), if any")
    message: str


class RowSkipped(BaseModel):
    row: int
    reason: str = Field(description="'blank line', 'report footer: \"...\"', or why a preset leaves the row out")


SKIPPED_LISTED = 100  # skipped rows listed in a report; `skipped` counts them all


class ImportReport(BaseModel):
    kind: str
    dry_run: bool
    rows: int = Field(0, description="Data rows read (blank lines and a report footer are not data rows)")
    accepted: int = 0
    updated: int = 0
    duplicates: int = 0
    merged: int = 0
    unmatched: int = 0
    replayed: int = 0
    accounts_created: int = 0
    skipped: int = Field(0, description="Blank lines, footer lines and rows a preset leaves out on purpose")
    skipped_rows: list[RowSkipped] = Field([], description=f"The first {SKIPPED_LISTED} skipped rows")
    rejected: list[RowRejected] = []
    warnings: list[RowWarning] = []
    mapping: dict[str, str] = {}
    values: dict[str, dict[str, Any]] = Field({}, description="The value mapping applied (source values case-folded)")
    unmapped_columns: list[str] = Field([], description="Columns of the file that nothing imports")


class FieldInfo(BaseModel):
    name: str
    required: bool
    type: str = Field(
        description="How a cell is read: text, date, timestamp, number, boolean, choice, interval, domains, list, "
        "email, csat or priority"
    )
    description: str = Field(
        description="What the field takes, in words, and whether it is required: "
        "'one of call, email, meeting, qbr, note; required', 'date (YYYY-MM-DD); optional'"
    )
    choices: list[str] | None = Field(None, description="The values the field accepts, when there are few")


class KindFields(BaseModel):
    kind: str
    fields: list[FieldInfo]


class PresetPublic(BaseModel):
    key: str
    kind: str
    name: str
    description: str
    mapping: dict[str, str]
    values: dict[str, dict[str, Any]] = {}
    reads: list[str] = Field([], description="Columns the preset reads besides its mapping")


class ImportDetected(BaseModel):
    """What a file looks like before anyone says what it is."""

    detected_preset: str | None = Field(description="The preset whose columns the header row matches")
    kind: str | None = Field(description="What that preset imports")
    columns: list[str]
    rows: int = Field(description="Data rows (blank and footer lines not counted)")


class ImportPreview(BaseModel):
    columns: list[str]
    sample: list[dict[str, Any]]
    rows: int
    suggested_mapping: dict[str, str]
    detected_preset: str | None = Field(None, description="The preset whose columns this header row matches")
    preset_mapping: dict[str, str] | None = Field(
        None, description="The chosen (else the detected, if of this kind) preset's mapping in this file's columns"
    )
    unmapped_columns: list[str] = Field(
        [], description="Columns that the preset mapping (else the suggested mapping) leaves unused"
    )
    skipped: int = 0
    skipped_rows: list[RowSkipped] = []
    distinct_values: dict[str, list[str]] = Field(
        {}, description="Per column with at most 25 different values: those values, for value mapping"
    )
