// The entities most often named in the same sentence as one entity (by name or alias).
// params: {"name": "鲁西集团"}
MATCH (x)-[c:CO_MENTIONED]-(y)
WHERE x.name = $name OR $name IN x.aliases
RETURN y.name AS name, labels(y)[0] AS label, c.weight AS sentences
ORDER BY sentences DESC, name
LIMIT 20
