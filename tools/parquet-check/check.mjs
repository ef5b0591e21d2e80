#!/usr/bin/env node
// Reads a Parquet file, or a hive-partitioned folder of them, with three independent readers
// (DuckDB, arrow-rs compiled to wasm via parquet-wasm, and hyparquet) and prints what each one
// sees as one JSON document, with values in one canonical form so they can be compared:
//
//   null, booleans, strings; integers as JSON numbers (as decimal strings beyond 2^53);
//   doubles as numbers ("NaN", "Infinity", "-Infinity" as strings); timestamps as
//   "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds); lists as arrays.
//   Hive folder names "key=value" become string columns (URL-decoded) after the file columns.
//
// usage: node check.mjs PATH... [--readers duckdb,arrow,hyparquet] [--limit N] [--pretty]
//        One JSON document per PATH, one per line (several paths share one start-up).
// exit:  0 every reader read every PATH and all saw the same columns and rows;
//        1 a reader failed or they disagree (details in the JSON); 2 usage error.

import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readParquet } from 'parquet-wasm';
import { tableFromIPC } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const ALL_READERS = ['duckdb', 'arrow', 'hyparquet'];

// ---------------------------------------------------------------- canonical values

function isoMicros(micros) {
  const us = BigInt(micros);
  const ms = us / 1000n - (us % 1000n < 0n ? 1n : 0n);  // floor division
  const rest = us - ms * 1000n;
  const iso = new Date(Number(ms)).toISOString();  // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 23)}${rest.toString().padStart(3, '0')}Z`;
}

function canonicalNumber(n) {
  if (typeof n === 'bigint') {
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(n) : n.toString();
  }
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return n;
}

// Marker for timestamps whose exact microsecond count a reader gave us.
class Micros { constructor(us) { this.us = BigInt(us); } }

function canonical(v) {
  if (v === null || v === undefined) return null;
  if (v instanceof Micros) return isoMicros(v.us);
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return canonicalNumber(v);
  if (v instanceof Uint8Array) return { base64: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(canonical);
  if (v instanceof Date) return isoMicros(BigInt(v.getTime()) * 1000n);
  if (typeof v[Symbol.iterator] === 'function') return [...v].map(canonical);
  return { unknown: String(v) };
}

// ---------------------------------------------------------------- inputs

// The .parquet files of PATH in byte order, each with its hive partition values.
function listInputs(target) {
  if (!fs.statSync(target).isDirectory()) return [{ file: target, partitions: {} }];
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.parquet')) files.push(full);
    }
  };
  walk(target);
  files.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return files.map((file) => {
    const partitions = {};
    for (const part of path.relative(target, path.dirname(file)).split(path.sep)) {
      const eq = part.indexOf('=');
      if (eq > 0) partitions[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
    }
    return { file, partitions };
  });
}

function withPartitions(rows, columns, partitions) {
  for (const key of Object.keys(partitions)) {
    if (!columns.some((c) => c.name === key)) columns.push({ name: key, type: 'hive partition (string)' });
  }
  return rows.map((row) => ({ ...row, ...partitions }));
}

// ---------------------------------------------------------------- readers

async function readWithDuckDB(target, inputs) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const list = inputs.map((i) => `'${i.file.replaceAll("'", "''")}'`).join(', ');
  const hive = fs.statSync(target).isDirectory();
  const sql = `SELECT * EXCLUDE (filename, file_row_number) FROM read_parquet([${list}],
      hive_partitioning=${hive}, hive_types_autocast=false, filename=true, file_row_number=true)
      ORDER BY filename, file_row_number`;
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((t) => t.toString());
  const columns = names.map((name, i) => ({ name, type: types[i] }));
  const duckValue = (v) => {
    if (v === null || typeof v !== 'object') return v;
    if ('micros' in v) return new Micros(v.micros);
    if ('millis' in v) return new Micros(BigInt(v.millis) * 1000n);
    if ('nanos' in v) return new Micros(BigInt(v.nanos) / 1000n);
    if ('items' in v) return v.items.map(duckValue);
    if ('bytes' in v) return v.bytes;
    return v;
  };
  const rows = reader.getRows().map((row) =>
    Object.fromEntries(row.map((v, i) => [names[i], canonical(duckValue(v))])));
  connection.closeSync?.();
  return { columns, rows };
}

function arrowColumnValues(vector) {
  // Timestamps: take the raw int64 count in the column's unit, not Arrow JS's rounded number.
  if (vector.type.unit !== undefined && String(vector.type).startsWith('Timestamp')) {
    const scale = [1000000n, 1000n, 1n, 0n][vector.type.unit];
    const out = [];
    for (const data of vector.data) {
      for (let j = 0; j < data.length; ++j) {
        const idx = data.offset + j;
        const valid = !data.nullBitmap || data.nullBitmap.length === 0 ||
          ((data.nullBitmap[idx >> 3] >> (idx & 7)) & 1) === 1;
        const raw = BigInt(data.values[idx]);
        out.push(valid ? new Micros(scale === 0n ? raw / 1000n : raw * scale) : null);
      }
    }
    return out;
  }
  return [...vector].map((v) => (v && typeof v.toArray === 'function' ? [...v] : v));
}

async function readWithArrow(inputs) {
  let columns = null;
  const rows = [];
  for (const { file, partitions } of inputs) {
    const table = tableFromIPC(readParquet(new Uint8Array(fs.readFileSync(file))).intoIPCStream());
    const fileColumns = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
    const values = table.schema.fields.map((f, i) => arrowColumnValues(table.getChildAt(i)));
    const fileRows = [];
    for (let r = 0; r < table.numRows; ++r) {
      fileRows.push(Object.fromEntries(fileColumns.map((c, i) => [c.name, canonical(values[i][r])])));
    }
    columns ??= fileColumns;
    rows.push(...withPartitions(fileRows, columns, partitions));
  }
  return { columns: columns ?? [], rows };
}

async function readWithHyparquet(inputs) {
  const parsers = {
    timestampFromMilliseconds: (ms) => new Micros(BigInt(ms) * 1000n),
    timestampFromMicroseconds: (us) => new Micros(us),
    timestampFromNanoseconds: (ns) => new Micros(BigInt(ns) / 1000n),
  };
  let columns = null;
  const rows = [];
  for (const { file, partitions } of inputs) {
    const bytes = fs.readFileSync(file);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const tree = parquetSchema(parquetMetadata(buffer));
    const fileColumns = tree.children.map(({ element }) => ({
      name: element.name, type: element.logical_type?.type ?? element.converted_type ?? element.type,
    }));
    const objects = await parquetReadObjects({ file: buffer, compressors, parsers });
    columns ??= fileColumns;
    rows.push(...withPartitions(
      objects.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, canonical(v)]))),
      columns, partitions));
  }
  return { columns: columns ?? [], rows };
}

// ---------------------------------------------------------------- compare and report

function firstDifference(a, b) {
  const names = (r) => r.columns.map((c) => c.name).sort().join(',');
  if (names(a) !== names(b)) return `columns differ: [${names(a)}] vs [${names(b)}]`;
  if (a.rows.length !== b.rows.length) return `row counts differ: ${a.rows.length} vs ${b.rows.length}`;
  for (let r = 0; r < a.rows.length; ++r) {
    for (const { name } of a.columns) {
      const x = JSON.stringify(a.rows[r][name]);
      const y = JSON.stringify(b.rows[r][name]);
      if (x !== y) return `row ${r} column ${name}: ${x} vs ${y}`;
    }
  }
  return null;
}

export async function check(target, { readers = ALL_READERS, limit = Infinity } = {}) {
  const inputs = listInputs(target);
  const run = { duckdb: () => readWithDuckDB(target, inputs), arrow: () => readWithArrow(inputs),
    hyparquet: () => readWithHyparquet(inputs) };
  const report = { path: target, files: inputs.length, readers: {}, agree: true, disagreements: [] };
  for (const name of readers) {
    try {
      const seen = await run[name]();
      report.readers[name] = { columns: seen.columns, num_rows: seen.rows.length, rows: seen.rows };
    } catch (error) {
      report.readers[name] = { error: String(error?.message ?? error) };
      report.agree = false;
    }
  }
  const ok = readers.filter((n) => !report.readers[n].error);
  for (const other of ok.slice(1)) {
    const diff = firstDifference(report.readers[ok[0]], report.readers[other]);
    if (diff) { report.agree = false; report.disagreements.push(`${ok[0]} vs ${other}: ${diff}`); }
  }
  for (const name of ok) {
    if (Number.isFinite(limit)) report.readers[name].rows = report.readers[name].rows.slice(0, limit);
  }
  return report;
}

async function main(argv) {
  const args = [...argv];
  let readers = ALL_READERS;
  let limit = Infinity;
  let pretty = false;
  const targets = [];
  let bad = false;
  while (args.length) {
    const arg = args.shift();
    if (arg === '--readers') readers = (args.shift() ?? '').split(',');
    else if (arg === '--limit') limit = Number(args.shift());
    else if (arg === '--pretty') pretty = true;
    else if (!arg.startsWith('--')) targets.push(arg);
    else bad = true;
  }
  if (bad || targets.length === 0 || readers.some((r) => !ALL_READERS.includes(r)) || !(limit >= 0)) {
    process.stderr.write('usage: node check.mjs PATH... [--readers duckdb,arrow,hyparquet] [--limit N] [--pretty]\n');
    return 2;
  }
  const missing = targets.find((t) => !fs.existsSync(t));
  if (missing) {
    process.stderr.write(`check.mjs: no such file or folder: ${missing}\n`);
    return 2;
  }
  let allAgree = true;
  for (const target of targets) {
    const report = await check(target, { readers, limit });
    process.stdout.write(`${JSON.stringify(report, null, pretty ? 1 : undefined)}\n`);
    allAgree &&= report.agree;
  }
  return allAgree ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
