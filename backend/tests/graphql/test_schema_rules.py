"""Rules the schema keeps, checked by walking it: every mutation declares permission classes,
every sensitive field (people's emails, notes, revenue figures) is guarded by one on the way to
it, and no in-browser IDE is served."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLField, GraphQLObjectType, get_named_type

from app.core.enums import Role
from app.graphql.schema import schema
from tests.factories import bearer


def sensitive(name: str) -> bool:
    """People's addresses (``email``, ``ownerEmail``: not an email *draft*), notes, authors and
    ARR figures (``arr``, ``arrUpForRenewal``, ``totalArr``, ``totalAtStake``)."""
    words = [w.lower() for w in re.findall(r"[a-z]+|[A-Z][a-z]*", name)]
    return words[-1] == "email" or "notes" in words or name == "author" or "arr" in words or "stake" in words


def permissions_of(field: GraphQLField) -> list[type]:
    return list(field.extensions["strawberry-definition"].permission_classes)


def test_every_mutation_declares_its_permission_classes():
    mutation = schema._schema.mutation_type
    assert mutation is not None and len(mutation.fields) >= 8
    missing = [name for name, field in mutation.fields.items() if not permissions_of(field)]
    assert missing == [], f"mutations without permission classes: {missing}"


def unguarded_paths() -> Iterator[str]:
    """Paths from a root to a sensitive field with no permission class anywhere on the way."""
    roots = [t for t in (schema._schema.query_type, schema._schema.mutation_type) if t is not None]
    seen: set[str] = set()
    stack: list[tuple[GraphQLObjectType, str]] = [(root, root.name) for root in roots]
    while stack:
        type_, path = stack.pop()
        if type_.name in seen:
            continue
        seen.add(type_.name)
        for name, field in type_.fields.items():
            if permissions_of(field):
                continue  # guarded here: whatever lies below is too
            if sensitive(name):
                yield f"{path}.{name}"
            child = get_named_type(field.type)
            if isinstance(child, GraphQLObjectType):
                stack.append((child, f"{path}.{name}"))


def test_every_sensitive_field_is_guarded_on_the_way_to_it():
    assert list(unguarded_paths()) == []


def test_the_walk_would_see_an_unguarded_field():
    """The check above looks where it should: the guarded fields are there, with their class."""
    assert [
        n for n in ("ownerEmail", "emailDraft", "ownerNotes", "arrUpForRenewal", "totalArr", "arrival") if sensitive(n)
    ] == [
        "ownerEmail",
        "ownerNotes",
        "arrUpForRenewal",
        "totalArr",
    ]
    account = schema._schema.type_map["Account"]
    assert [p.__name__ for p in permissions_of(account.fields["notes"])] == ["ReadsNotes"]
    assert [p.__name__ for p in permissions_of(account.fields["arr"])] == ["ReadsRevenue"]
    assert [p.__name__ for p in permissions_of(schema._schema.type_map["Owner"].fields["email"])] == ["ReadsPeople"]
    query = schema._schema.query_type
    assert query is not None and permissions_of(query.fields["revenueSummary"])


async def test_no_ide_is_served(client, session):
    """GraphiQL loads its page from a CDN: /graphql serves none, in any environment."""
    headers = await bearer(session, Role.viewer) | {"Accept": "text/html"}
    r = await client.get("/graphql", headers=headers)
    assert r.status_code == 404
    assert "graphiql" not in r.text.lower()
