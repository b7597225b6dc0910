"""The GraphQL endpoint. Its in-browser IDE (GraphiQL) loads its page from a CDN, so it is served
only where the API explorer is (``TEMPO_API_DOCS``: on, except in production)."""

from __future__ import annotations

from strawberry.fastapi import GraphQLRouter

from app.graphql.context import get_context
from app.graphql.schema import schema


def build(ide: bool) -> GraphQLRouter:
    return GraphQLRouter(schema, context_getter=get_context, graphql_ide="graphiql" if ide else None)
