// Who held post $title at organisation $org on date $date (ISO), by the issues that report it.
// A post is known from its first to its last issue; a date outside every span gives no row.
// The title as printed finds it too: 市工信局局长 is 局长 at 市工信局, 书记 at 市委 is 市委书记.
// params: {"title": "市委常委", "org": "市委", "date": "2024-01-01"}
MATCH (p:Person)-[h:HOLDS]->(o:Organization)
WHERE (o.name = $org OR $org IN o.aliases) AND h.first_seen <= $date AND $date <= h.last_seen
  AND (h.title = $title OR any(a IN o.aliases WHERE a + h.title = $title OR a + $title = h.title))
RETURN p.name AS person, h.title AS title, o.name AS organization, h.first_seen AS first_seen, h.last_seen AS last_seen
ORDER BY person
