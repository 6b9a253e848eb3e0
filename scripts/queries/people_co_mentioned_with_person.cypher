// The people named most often in the same sentences as a person: --param name=韩立新
MATCH (p:Person {name: $name})-[m:CO_MENTIONED]-(q:Person)
RETURN q.name AS person, m.weight AS sentences, m.articles AS articles
ORDER BY sentences DESC, person
LIMIT 20
