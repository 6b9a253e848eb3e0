// Who attended, chaired or spoke at one event.
// params: {"event": "全市乡村文化振兴暨移风易俗工作现场推进会"}
MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event {name: $event})
RETURN p.name AS person, type(r) AS role
ORDER BY person, role
