// Events held between two dates (ISO, inclusive) and who took part.
// params: {"from": "2023-06-01", "to": "2023-06-30"}
MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event)
WHERE any(d IN e.dates WHERE $from <= d AND d <= $to)
RETURN e.name AS event, e.dates AS dates, p.name AS person, type(r) AS role
ORDER BY event, person, role
