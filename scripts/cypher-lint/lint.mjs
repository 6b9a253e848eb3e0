// Lint Cypher statements with Neo4j's own front end.
// stdin: JSON {"schema": {labels, relationshipTypes, propertyKeys}, "statements": [{"query", "parameters"}]}
// stdout: JSON [{"query", "diagnostics": [{"severity", "message"}]}]
import { lintCypherQuery } from '@neo4j-cypher/language-support';

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const { schema = {}, statements = [] } = JSON.parse(input);
  const out = statements.map(({ query, parameters = {} }) => {
    const { diagnostics } = lintCypherQuery(query, { ...schema, parameters });
    return { query, diagnostics: diagnostics.map((d) => ({ severity: d.severity, message: d.message })) };
  });
  process.stdout.write(JSON.stringify(out));
});
