"""`kg serve`: a local explorer of the graph (search, entity and article pages,
a neighbourhood view), over the embedded store or Neo4j alike. Starlette pages
rendered on the server; every script it needs ships in kg/serve/static."""
