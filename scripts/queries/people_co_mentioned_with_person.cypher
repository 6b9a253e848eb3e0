// The people named most often in the same sentences as a person.
// params: {"name": "柳庆发"}
MATCH (p:Person)-[m:CO_MENTIONED]-(q:Person)
WHERE p.name = $name OR $name IN p.aliases
RETURN q.name AS person, m.weight AS sentences, m.articles AS articles
ORDER BY sentences DESC, person
LIMIT 20
