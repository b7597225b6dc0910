"""The GraphQL endpoint (POST, and GET for queries). No in-browser IDE is served: GraphiQL
loads its page from a CDN, and Tempo serves nothing from one; use any GraphQL client against
``/graphql`` (the schema is ``openapi/schema.graphql``)."""

from __future__ import annotations

from strawberry.fastapi import GraphQLRouter

from app.graphql.context import get_context
from app.graphql.schema import schema


def build(ide: bool = False) -> GraphQLRouter:
    """The router. ``ide`` is not used any more (no IDE is served, whatever it says); it stays
    until ``app.main`` stops passing it."""
    return GraphQLRouter(schema, context_getter=get_context, graphql_ide=None)
