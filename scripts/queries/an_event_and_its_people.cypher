// One event as a graph: who attended, chaired or spoke at it, and where it was held.
// params: {"event": "山东—东盟产业合作展览展示交流会暨山东(聊城)—东盟经贸对接洽谈会"}
MATCH (p:Person)-[r:ATTENDED|CHAIRED|SPOKE]->(e:Event {name: $event})
OPTIONAL MATCH (e)-[h:HELD_IN]->(pl:Place)
RETURN p, r, e, h, pl
