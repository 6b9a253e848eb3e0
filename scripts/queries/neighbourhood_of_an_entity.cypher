// An entity and everything it is linked to but articles, as a graph to explore (by name or alias).
// params: {"name": "鲁西集团"}
MATCH (x)-[r]-(y)
WHERE (x:Person OR x:Organization OR x:Place OR x:Event) AND (x.name = $name OR $name IN x.aliases)
  AND NOT y:Article
RETURN x, r, y
LIMIT 100
