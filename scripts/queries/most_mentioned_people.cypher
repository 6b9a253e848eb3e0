// The people mentioned in the most articles.
// params: {}
MATCH (p:Person)-[:MENTIONED_IN]->(a:Article)
RETURN p.name AS person, count(a) AS articles
ORDER BY articles DESC, person
LIMIT 10
