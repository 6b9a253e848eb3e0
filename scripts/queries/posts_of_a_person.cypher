// The posts a person held, earliest first: kg query "$(cat scripts/queries/posts_of_a_person.cypher)" --param name=王刚
MATCH (p:Person)-[h:HOLDS]->(o:Organization)
WHERE p.name = $name OR $name IN p.aliases
RETURN h.title AS title, o.name AS organization, h.first_seen AS first_seen, h.last_seen AS last_seen
ORDER BY first_seen, title
