// Events held between two dates (ISO, inclusive) and who took part: --param from=2031-03-01 --param to=2031-03-15
MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event)
WHERE any(d IN e.dates WHERE $from <= d AND d <= $to)
RETURN e.name AS event, e.dates AS dates, p.name AS person, type(r) AS role
ORDER BY event, person, role
