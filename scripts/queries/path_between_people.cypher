// The shortest chain of events linking two people (at most three events apart): --param a=周明远 --param b=韩立新
// (enumerated and ordered by length: FalkorDB has no undirected shortestPath)
MATCH p = (x:Person)-[:ATTENDED|CHAIRED|SPOKE*..6]-(y:Person)
WHERE (x.name = $a OR $a IN x.aliases) AND (y.name = $b OR $b IN y.aliases)
RETURN [n IN nodes(p) | n.name] AS chain, length(p) AS hops
ORDER BY hops, chain
LIMIT 1
