// The events one person attended, chaired or spoke at, by date: --param name=韩立新
MATCH (p:Person {name: $name})-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event)
WITH e, type(r) AS role
ORDER BY role
RETURN e.name AS event, e.dates AS dates, collect(role) AS roles
ORDER BY dates, event
