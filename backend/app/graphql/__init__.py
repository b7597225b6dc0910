"""GraphQL over the same services as REST (/graphql)."""
