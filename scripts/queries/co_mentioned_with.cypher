// The entities most often named in the same sentence as one entity: --param name=时风集团
MATCH (x {name: $name})-[c:CO_MENTIONED]-(y)
RETURN y.name AS name, labels(y)[0] AS label, c.weight AS sentences
ORDER BY sentences DESC, name
LIMIT 20
