// The shortest chain of events linking two people (at most three events apart), as a path to draw.
// Every chain is enumerated and the shortest kept, so it runs on any store kg writes to.
// params: {"a": "张百顺", "b": "李华锋"}
MATCH p = (x:Person)-[:ATTENDED|CHAIRED|SPOKE*..6]-(y:Person)
WHERE (x.name = $a OR $a IN x.aliases) AND (y.name = $b OR $b IN y.aliases)
RETURN p AS path, [n IN nodes(p) | n.name] AS chain, [r IN relationships(p) | type(r)] AS roles, length(p) AS hops
ORDER BY hops, chain, roles
LIMIT 1
