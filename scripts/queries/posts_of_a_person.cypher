// The posts a person held, earliest first.
// params: {"name": "柳庆发"}
MATCH (p:Person)-[h:HOLDS]->(o:Organization)
WHERE p.name = $name OR $name IN p.aliases
RETURN h.title AS title, o.name AS organization, h.first_seen AS first_seen, h.last_seen AS last_seen
ORDER BY first_seen, title
