// People reported in both issues whose posts differ between them (issue ids: lcrb-YYYY-MM-DD).
// params: {"from_issue": "lcrb-2023-06-26", "to_issue": "lcrb-2024-12-28"}
MATCH (p:Person)-[h:HOLDS]->(o:Organization)
WITH p,
     collect(CASE WHEN any(a IN h.articles WHERE a STARTS WITH ($from_issue + '-')) THEN h.title + ' @ ' + o.name END) AS before,
     collect(CASE WHEN any(a IN h.articles WHERE a STARTS WITH ($to_issue + '-')) THEN h.title + ' @ ' + o.name END) AS after
WHERE size(before) > 0 AND size(after) > 0
WITH p, [x IN after WHERE NOT x IN before] AS gained, [x IN before WHERE NOT x IN after] AS dropped
WHERE size(gained) > 0 OR size(dropped) > 0
RETURN p.name AS person, dropped, gained
ORDER BY person
