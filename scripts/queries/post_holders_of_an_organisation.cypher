// The people holding posts at an organisation (by name or alias), as a graph: each post an arrow with its title.
// params: {"org": "市委"}
MATCH (p:Person)-[h:HOLDS]->(o:Organization)
WHERE o.name = $org OR $org IN o.aliases
RETURN p, h, o
