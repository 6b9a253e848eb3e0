// The articles that mention two given entities (by name), with their issue dates: --param a=韩立新 --param b=鲁丰农业集团
MATCH (x)-[:MENTIONED_IN]->(art:Article)<-[:MENTIONED_IN]-(y)
WHERE (x.name = $a OR $a IN x.aliases) AND (y.name = $b OR $b IN y.aliases)
RETURN art.id AS article, art.title AS title, art.date AS date
ORDER BY date, article
