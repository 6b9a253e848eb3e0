// The events one person attended, chaired or spoke at, by date.
// params: {"name": "柳庆发"}
MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event)
WHERE p.name = $name OR $name IN p.aliases
WITH e, type(r) AS role
ORDER BY role
RETURN e.name AS event, e.dates AS dates, collect(role) AS roles
ORDER BY dates, event
