// Events, where and when they were held, and who took part.
// params: {}
MATCH (e:Event)
OPTIONAL MATCH (e)-[:HELD_IN]->(pl:Place)
OPTIONAL MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e)
WITH e, pl, collect(DISTINCT p.name + ' (' + type(r) + ')') AS people
WHERE pl IS NOT NULL OR size(people) > 0
RETURN e.name AS event, e.dates AS dates, pl.name AS place, people
ORDER BY event
