#!/usr/bin/env node
// Runs one SQL query in DuckDB (in memory) and prints its rows as one JSON array of objects,
// BIGINTs as numbers: an independent reader for tests that check what the cache holds.
// usage: node query.mjs SQL
import { DuckDBInstance } from '@duckdb/node-api';

const [sql] = process.argv.slice(2);
if (!sql) {
  process.stderr.write('usage: node query.mjs SQL\n');
  process.exit(2);
}
const connection = await (await DuckDBInstance.create(':memory:')).connect();
const reader = await connection.runAndReadAll(sql);
const rows = reader.getRowObjectsJS();
process.stdout.write(
  JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\n');
