"""The committed API schemas match the code (run `make schema` after API changes)."""

from __future__ import annotations

from app.schema_export import OPENAPI_DIR, render


def test_committed_schemas_are_current():
    for name, content in render().items():
        committed = (OPENAPI_DIR / name).read_text()
        assert committed == content, f"openapi/{name} is stale: run `make schema`"


def test_operation_ids_are_stable_and_unique():
    import json

    spec = json.loads(render()["openapi.json"])
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert {"accounts:list", "accounts:get", "auth:login", "auth:me"} <= set(ids)
