// Who held post $title at organisation $org on date $date (ISO), by the issues that report it:
// kg query "$(cat scripts/queries/post_holders_on_date.cypher)" --param title=副市长 --param org=聊城市人民政府 --param date=2024-12-28
// A post is known from its first to its last issue; a date outside every span gives no row.
MATCH (p:Person)-[h:HOLDS {title: $title}]->(o:Organization)
WHERE (o.name = $org OR $org IN o.aliases) AND h.first_seen <= $date AND $date <= h.last_seen
RETURN p.name AS person, h.title AS title, o.name AS organization, h.first_seen AS first_seen, h.last_seen AS last_seen
ORDER BY person
