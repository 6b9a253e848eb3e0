// The articles that mention two given entities (by name or alias), with their issue dates.
// params: {"a": "柳庆发", "b": "孔繁森"}
MATCH (x)-[:MENTIONED_IN]->(art:Article)<-[:MENTIONED_IN]-(y)
WHERE (x.name = $a OR $a IN x.aliases) AND (y.name = $b OR $b IN y.aliases)
RETURN art.id AS article, art.title AS title, art.date AS date
ORDER BY date, article
