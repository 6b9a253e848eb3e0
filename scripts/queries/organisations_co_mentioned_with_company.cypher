// The organisations named most often in the same sentences as a company.
// params: {"name": "鲁西集团"}
MATCH (c:Organization)-[m:CO_MENTIONED]-(o:Organization)
WHERE c.name = $name OR $name IN c.aliases
RETURN o.name AS organisation, o.kind AS kind, m.weight AS sentences
ORDER BY sentences DESC, organisation
LIMIT 20
