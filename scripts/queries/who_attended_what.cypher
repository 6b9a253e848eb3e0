// Who attended, chaired or spoke at which event, with the articles that say so.
// params: {}
MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event)
RETURN p.name AS person, type(r) AS role, e.name AS event, r.articles AS articles
ORDER BY event, person, role
