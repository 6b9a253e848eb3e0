// The articles that mention two given entities (by name), with their issue dates: --param a=韩立新 --param b=鲁丰农业集团
MATCH (x {name: $a})-[:MENTIONED_IN]->(art:Article)<-[:MENTIONED_IN]-(y {name: $b})
RETURN art.id AS article, art.title AS title, art.date AS date
ORDER BY date, article
