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
    # readable names a generated client turns into functions (list_accounts, ingest_events)
    assert all(i.isidentifier() and i[0].islower() for i in ids), [i for i in ids if not i.isidentifier()]
    assert {"listAccounts", "getAccount", "logIn", "getMe", "ingestEvents", "ingestUsageDaily"} <= set(ids)


def test_every_error_is_documented_as_what_the_server_sends():
    import json

    spec = json.loads(render()["openapi.json"])
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for code, response in op["responses"].items():
                if int(code) < 400:
                    continue
                expected = (
                    {"application/json": {"schema": {"$ref": "#/components/schemas/SegmentError"}}}
                    if path.startswith("/segment/")
                    else {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
                )
                assert response["content"] == expected, (method, path, code)
