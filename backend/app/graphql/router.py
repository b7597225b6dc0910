from __future__ import annotations

from strawberry.fastapi import GraphQLRouter

from app.graphql.context import get_context
from app.graphql.schema import schema

router: GraphQLRouter = GraphQLRouter(schema, context_getter=get_context, graphql_ide="graphiql")
