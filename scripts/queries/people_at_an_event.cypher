// Who attended, chaired or spoke at one event: --param event=第五届聊城国际农机装备博览会
MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event {name: $event})
RETURN p.name AS person, type(r) AS role
ORDER BY person, role
