#!/usr/bin/env node
// The Athena example query from the user's S3_SYNC.md, run by DuckDB over a local
// hive-partitioned messages folder (cache/raw/messages), printed as a table.
// usage: node demo-query.mjs MESSAGES_DIR [SINCE_DT]   (SINCE_DT defaults to the document's)
import { DuckDBInstance } from '@duckdb/node-api';

const [dir, since = '2025-10-01'] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: node demo-query.mjs MESSAGES_DIR [SINCE_DT]\n');
  process.exit(2);
}
const connection = await (await DuckDBInstance.create(':memory:')).connect();
// Partition columns stay strings (hive_types_autocast=false), as Athena's PARTITIONED BY
// (dt STRING, channel STRING) declares them.
await connection.run(`CREATE VIEW slack_messages AS SELECT * FROM read_parquet(
  '${dir.replaceAll("'", "''")}/*/*/*.parquet', hive_partitioning=true, hive_types_autocast=false)`);
const reader = await connection.runAndReadAll(`
  SELECT dt, channel, user_real_name, COUNT(*) AS message_count
  FROM slack_messages
  WHERE dt >= '${since.replaceAll("'", "''")}'
  GROUP BY dt, channel, user_real_name
  ORDER BY message_count DESC, dt, channel, user_real_name
  LIMIT 20`);
const rows = reader.getRowsJS();
const header = reader.columnNames();
const table = [header, ...rows.map((r) => r.map((v) => (v === null ? 'NULL' : String(v))))];
const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const [n, row] of table.entries()) {
  console.log(`   ${row.map((v, i) => v.padEnd(widths[i])).join('  ')}`);
  if (n === 0) console.log(`   ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
}
