"""The API document as typed-client generators read it (openapi-python-client, openapi-typescript).

FastAPI's document is finished here, in one pass over it:
- every error response is ``application/problem+json`` with the ``Problem`` schema (what
  the server sends), except under a path prefix with its own error dialect (Segment's
  ``{code, message}`` under ``/segment/``), so generated clients parse errors;
- uploaded files are ``format: binary`` (the 3.1 ``contentMediaType`` form makes generators
  type them as text, and the upload then fails);
- string enums whose values are not identifiers (``-arr``, a descending sort) get
  ``x-enum-varnames`` (``arr_desc``) instead of ``VALUE_3``;
- models and schemas that routes reference only through ``openapi_extra`` (ingest items and
  batches, read from the raw body so one bad item never sinks its neighbours) are added to
  the components.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from app.core.errors import PROBLEM_JSON

Spec = dict[str, Any]


def ref(model: type[BaseModel] | str) -> dict[str, str]:
    name = model if isinstance(model, str) else model.__name__
    return {"$ref": f"#/components/schemas/{name}"}


def _walk(node: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    if isinstance(node, dict):
        visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _binary_files(node: dict[str, Any]) -> None:
    if node.get("type") == "string" and node.get("contentMediaType") == "application/octet-stream":
        del node["contentMediaType"]
        node["format"] = "binary"


def _enum_names(node: dict[str, Any]) -> None:
    values = node.get("enum")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or "x-enum-varnames" in node:
        return
    if all(v[:1].isalpha() for v in values):
        return
    node["x-enum-varnames"] = [f"{v[1:]}_desc" if v.startswith("-") else v or "empty" for v in values]


def _errors(spec: Spec, dialects: Mapping[str, dict[str, Any]]) -> None:
    for path, item in spec.get("paths", {}).items():
        content = next((c for prefix, c in dialects.items() if path.startswith(prefix)), None)
        content = content or {PROBLEM_JSON: {"schema": ref("Problem")}}
        for operation in item.values():
            for code, response in operation.get("responses", {}).items():
                if code == "default" or int(code) >= 400:
                    response["content"] = content


def finish(
    spec: Spec,
    models: list[type[BaseModel]],
    extra: Mapping[str, dict[str, Any]],
    dialects: Mapping[str, dict[str, Any]],
) -> Spec:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(extra)
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas.setdefault(model.__name__, schema)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    _errors(spec, dialects)
    _walk(spec, _binary_files)
    _walk(spec, _enum_names)
    spec["components"]["schemas"] = dict(sorted(schemas.items()))
    return spec


def install(
    app: FastAPI,
    models: list[type[BaseModel]],
    extra: Mapping[str, dict[str, Any]],
    dialects: Mapping[str, dict[str, Any]],
) -> None:
    """Finish the document once, when it is first asked for. ``models`` and ``extra`` (named
    schemas) join the components; ``dialects``: path prefix -> the error ``content`` there."""
    build = app.openapi

    def openapi() -> Spec:
        if app.openapi_schema is None:
            app.openapi_schema = finish(build(), models, extra, dialects)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
