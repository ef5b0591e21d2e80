#!/usr/bin/env node
// Writes small Parquet files with DuckDB that exercise what our Parquet reader must read from
// DuckDB, plus OUT_DIR/expected.json with the values each file holds. The expected values come
// from the same definitions the SQL is generated from (never from reading the files back), in
// the canonical form check.mjs prints:
//
//   null, booleans, strings; integers as JSON numbers (as decimal strings beyond 2^53);
//   doubles as numbers ("NaN", "Infinity", "-Infinity" as strings); timestamps as
//   "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds); lists as arrays.
//
// Small files list every row ("rows"); generated large ones give "num_rows" and "probe_rows"
// (row index -> row). Output is deterministic for a given DuckDB version: one thread, insertion
// order preserved, no random() or now().
//
// usage: node make-duckdb-samples.mjs OUT_DIR
// exit:  0 written; 1 DuckDB failed; 2 usage error.

import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

// ---------------------------------------------------------------- canonical helpers

const TWO_53 = 2n ** 53n;

function canonicalInt(n) {
  const b = BigInt(n);
  return b > -TWO_53 && b < TWO_53 ? Number(b) : b.toString();
}

function isoMicros(micros) {
  const us = BigInt(micros);
  const ms = us / 1000n - (us % 1000n < 0n ? 1n : 0n);  // floor division
  const rest = us - ms * 1000n;
  return `${new Date(Number(ms)).toISOString().slice(0, 23)}${rest.toString().padStart(3, '0')}Z`;
}

const sqlString = (s) => `'${s.replaceAll("'", "''")}'`;

// SQL literal for a canonical value of the given DuckDB type.
function sqlLiteral(type, v) {
  if (v === null) return `NULL::${type}`;
  switch (type) {
    case 'BOOLEAN': return v ? 'true' : 'false';
    case 'INTEGER': case 'BIGINT': return `${sqlString(String(v))}::${type}`;
    case 'DOUBLE': return `${sqlString(String(v))}::DOUBLE`;
    case 'VARCHAR': return sqlString(v);
    case 'TIMESTAMPTZ': return `${sqlString(v.replace('T', ' ').replace('Z', '+00'))}::TIMESTAMPTZ`;
    case 'TIMESTAMP_MS':
      if (!v.endsWith('000Z')) throw new Error(`TIMESTAMP_MS value with sub-millisecond part: ${v}`);
      return `${sqlString(v.replace('T', ' ').slice(0, 23))}::TIMESTAMP_MS`;
    case 'VARCHAR[]':
      return `[${v.map((x) => (x === null ? 'NULL' : sqlString(x))).join(', ')}]::VARCHAR[]`;
    default: throw new Error(`no literal for ${type}`);
  }
}

// ---------------------------------------------------------------- hand-written rows

const ALL_TYPES_COLUMNS = [
  ['id', 'INTEGER'], ['flag', 'BOOLEAN'], ['small', 'INTEGER'], ['big', 'BIGINT'],
  ['ratio', 'DOUBLE'], ['text', 'VARCHAR'], ['ts_us', 'TIMESTAMPTZ'], ['ts_ms', 'TIMESTAMP_MS'],
  ['tags', 'VARCHAR[]'],
];

// ~2 KB (2,160 bytes) of text with a multi-byte character in every 17 characters.
const LONG_TEXT = '0123456789abcdef\u00e9'.repeat(120);

// Every nullable column except id holds at least one NULL; lists cover NULL list, empty
// list, a list holding only NULL, a list with a NULL element, and lists of several items.
const ALL_TYPES_ROWS = [
  { id: 0, flag: true, small: 1, big: '9007199254740993', ratio: 1.5, text: 'héllo 🌍 日本',
    ts_us: '2024-05-01T12:00:00.123456Z', ts_ms: '2024-05-01T12:00:00.123000Z',
    tags: ['PROJ-1', null, 'ß'] },
  { id: 1, flag: null, small: null, big: null, ratio: null, text: '', ts_us: null, ts_ms: null,
    tags: [] },
  { id: 2, flag: false, small: -2147483648, big: '-9223372036854775808', ratio: 'NaN', text: null,
    ts_us: '1969-12-31T23:59:59.999999Z', ts_ms: '1969-12-31T23:59:59.999000Z', tags: null },
  { id: 3, flag: true, small: 2147483647, big: '9223372036854775807', ratio: -0.25, text: LONG_TEXT,
    ts_us: '1900-01-01T00:00:00.000001Z', ts_ms: '2099-12-31T23:59:59.999000Z', tags: [null] },
  { id: 4, flag: null, small: 0, big: 0, ratio: 'Infinity', text: 'it\'s "quoted"\nnew line\ttab \\ backslash',
    ts_us: '2000-02-29T00:00:00.000000Z', ts_ms: '1970-01-01T00:00:00.000000Z',
    tags: ['a', 'b', 'c', 'd', 'e'] },
  { id: 5, flag: false, small: null, big: -1, ratio: 1e300, text: 'ascii only',
    ts_us: null, ts_ms: '2024-05-01T12:00:00.001000Z', tags: ['', 'héllo 🌍 日本'] },
  { id: 6, flag: true, small: 42, big: '9007199254740992', ratio: 0.1, text: null,
    ts_us: '2024-05-01T12:00:00.000000Z', ts_ms: null, tags: ['x', 'x', 'x'] },
  { id: 7, flag: false, small: -7, big: 9007199254740991, ratio: '-Infinity', text: 'x',
    ts_us: '2099-12-31T23:59:59.999999Z', ts_ms: '2000-01-01T00:00:00.000000Z',
    tags: [null, null] },
];

// Table declared with NOT NULL constraints: shows whether DuckDB marks such columns REQUIRED.
const NOT_NULL_COLUMNS = [
  ['id', 'INTEGER NOT NULL'], ['name', 'VARCHAR NOT NULL'], ['flag', 'BOOLEAN NOT NULL'],
  ['ts_us', 'TIMESTAMPTZ NOT NULL'], ['tags', 'VARCHAR[] NOT NULL'], ['note', 'VARCHAR'],
];
const NOT_NULL_ROWS = [
  { id: 1, name: 'alpha', flag: true, ts_us: '2024-05-01T00:00:00.000001Z', tags: ['a'], note: null },
  { id: 2, name: '', flag: false, ts_us: '1970-01-01T00:00:00.000000Z', tags: [], note: 'n' },
  { id: 3, name: '日本', flag: true, ts_us: '2024-05-02T23:59:59.999999Z', tags: [null, 'b'], note: null },
];

// ---------------------------------------------------------------- generated rows

// Each generated column: DuckDB type, SQL expression of the BIGINT row index i, and the same
// value computed in JS from the row index (canonical form).
const BASE_US = 1714564800000000n;  // 2024-05-01T12:00:00Z
const BASE_MS = 1714564800000n;
const GENERATED = {
  id: ['BIGINT', 'i', (i) => i],
  flag: ['BOOLEAN', 'CASE WHEN i % 7 = 3 THEN NULL ELSE i % 3 = 0 END',
    (i) => (i % 7 === 3 ? null : i % 3 === 0)],
  small: ['INTEGER', 'CASE WHEN i % 11 = 5 THEN NULL ELSE ((i * 7919) % 100003 - 50000)::INTEGER END',
    (i) => (i % 11 === 5 ? null : (i * 7919) % 100003 - 50000)],
  big: ['BIGINT', 'CASE WHEN i % 13 = 0 THEN NULL ELSE i * 2543568463435 - 1000 END',
    (i) => (i % 13 === 0 ? null : canonicalInt(BigInt(i) * 2543568463435n - 1000n))],
  ratio: ['DOUBLE', 'CASE WHEN i % 17 = 1 THEN NULL ELSE i::DOUBLE / 8 - 100 END',
    (i) => (i % 17 === 1 ? null : i / 8 - 100)],
  text: ['VARCHAR', `CASE WHEN i % 19 = 2 THEN NULL
      ELSE 'row-' || i::VARCHAR || CASE WHEN i % 5 = 0 THEN '-é🌍' ELSE '' END END`,
  (i) => (i % 19 === 2 ? null : `row-${i}${i % 5 === 0 ? '-é🌍' : ''}`)],
  ts_us: ['TIMESTAMPTZ', `CASE WHEN i % 23 = 4 THEN NULL
      ELSE make_timestamp(${BASE_US} + i * 1000003)::TIMESTAMPTZ END`,
  (i) => (i % 23 === 4 ? null : isoMicros(BASE_US + BigInt(i) * 1000003n))],
  ts_ms: ['TIMESTAMP_MS', `CASE WHEN i % 29 = 6 THEN NULL
      ELSE epoch_ms(${BASE_MS - 86400000n * 400n} + i * 997)::TIMESTAMP_MS END`,
  (i) => (i % 29 === 6 ? null : isoMicros((BASE_MS - 86400000n * 400n + BigInt(i) * 997n) * 1000n))],
  tags: ['VARCHAR[]', `CASE i % 6 WHEN 0 THEN NULL::VARCHAR[] WHEN 1 THEN []::VARCHAR[]
      WHEN 2 THEN [NULL]::VARCHAR[] WHEN 3 THEN ['t' || i::VARCHAR]
      ELSE ['a' || i::VARCHAR, NULL, 'b' || (i % 3)::VARCHAR] END`,
  (i) => [null, [], [null], [`t${i}`], [`a${i}`, null, `b${i % 3}`], [`a${i}`, null, `b${i % 3}`]][i % 6]],
  // Low cardinality: dictionary encoding.
  channel: ['VARCHAR', `CASE i % 5 WHEN 0 THEN 'general' WHEN 1 THEN 'random'
      WHEN 2 THEN 'dev ops/α' WHEN 3 THEN '日本語チャンネル' ELSE NULL END`,
  (i) => ['general', 'random', 'dev ops/α', '日本語チャンネル', null][i % 5]],
  kind: ['INTEGER', 'CASE WHEN i % 9 = 8 THEN NULL ELSE (i % 4)::INTEGER END',
    (i) => (i % 9 === 8 ? null : i % 4)],
  weight: ['DOUBLE', `CASE i % 4 WHEN 0 THEN 0.5::DOUBLE WHEN 1 THEN 1.25::DOUBLE
      WHEN 2 THEN -3::DOUBLE ELSE NULL END`, (i) => [0.5, 1.25, -3, null][i % 4]],
  day: ['TIMESTAMPTZ', `CASE i % 3 WHEN 0 THEN TIMESTAMPTZ '2024-05-01 00:00:00+00'
      WHEN 1 THEN TIMESTAMPTZ '2024-05-02 00:00:00.000001+00' ELSE NULL END`,
  (i) => ['2024-05-01T00:00:00.000000Z', '2024-05-02T00:00:00.000001Z', null][i % 3]],
  labels: ['VARCHAR[]', `CASE i % 4 WHEN 0 THEN ['red'] WHEN 1 THEN ['red', 'green']
      WHEN 2 THEN []::VARCHAR[] ELSE NULL END`,
  (i) => [['red'], ['red', 'green'], [], null][i % 4]],
  // High cardinality: every value distinct.
  user_key: ['VARCHAR', `CASE WHEN i % 31 = 7 THEN NULL
      ELSE 'user-' || lpad(i::VARCHAR, 6, '0') || '-' || repeat('z', (i % 13)::INTEGER) || '/ü' END`,
  (i) => (i % 31 === 7 ? null : `user-${String(i).padStart(6, '0')}-${'z'.repeat(i % 13)}/ü`)],
  score: ['DOUBLE', 'CASE WHEN i % 37 = 9 THEN NULL ELSE i::DOUBLE * 1.0009765625 + 0.5 END',
    (i) => (i % 37 === 9 ? null : i * 1.0009765625 + 0.5)],
};

function generatedSelect(columns, from, to) {
  const exprs = columns.map((c) => `${GENERATED[c][1]} AS ${c}`).join(',\n    ');
  return `SELECT ${exprs}\n  FROM range(${from}, ${to}) t(i)`;
}

function generatedRow(columns, i) {
  return Object.fromEntries(columns.map((c) => [c, GENERATED[c][2](i)]));
}

function probes(columns, numRows, indices) {
  const set = [...new Set(indices.filter((i) => i >= 0 && i < numRows))].sort((a, b) => a - b);
  return Object.fromEntries(set.map((i) => [String(i), generatedRow(columns, i)]));
}

// ---------------------------------------------------------------- the sample set

const MAIN_COLUMNS = ['id', 'flag', 'small', 'big', 'ratio', 'text', 'ts_us', 'ts_ms', 'tags'];

// Many row groups: DuckDB cuts row groups only at chunk boundaries (2,048 rows per chunk from a
// plain scan), so the source is a UNION ALL of 500-row pieces with ROW_GROUP_SIZE 500: one row
// group per piece, the last one short.
const MANY_PIECE = 500;
const MANY_ROWS = 3623;
function manyRowGroupsSql() {
  const pieces = [];
  for (let from = 0; from < MANY_ROWS; from += MANY_PIECE) {
    pieces.push(`(${generatedSelect(MAIN_COLUMNS, from, Math.min(from + MANY_PIECE, MANY_ROWS))})`);
  }
  return pieces.join('\nUNION ALL\n');
}
const manyProbeIndices = [];
for (let b = 0; b <= MANY_ROWS; b += MANY_PIECE) manyProbeIndices.push(b - 1, b, b + 1);
manyProbeIndices.push(2, 3, 4, 5, 6, 7, 8, 2047, 2048, MANY_ROWS - 2, MANY_ROWS - 1);

const LOW_COLUMNS = ['id', 'channel', 'kind', 'weight', 'day', 'flag', 'labels'];
const HIGH_COLUMNS = ['id', 'user_key', 'score', 'big', 'ts_us'];
const CARD_ROWS = 3000;
const cardProbeIndices = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 37, 46, 100, 1234, 2047, 2048, 2999];

// Each sample: file name, what it holds, how the table is made, COPY options, expected rows.
function samples() {
  const list = [];
  const allTypes = (name, options, description) => list.push({
    name, description, table: 'all_types', select: 'SELECT * FROM all_types ORDER BY id', options,
    columns: ALL_TYPES_COLUMNS, rows: ALL_TYPES_ROWS,
  });
  for (const codec of ['uncompressed', 'snappy', 'zstd', 'gzip']) {
    allTypes(`all-types-${codec}.parquet`, `COMPRESSION ${codec}`,
      `every column type with NULLs, edge values and lists; ${codec}`);
  }
  allTypes('all-types-default-options.parquet', '',
    'every column type; COPY with no options at all (DuckDB defaults)');
  // PARQUET_VERSION V2 keeps V1 data page headers but switches to DELTA_BINARY_PACKED,
  // DELTA_LENGTH_BYTE_ARRAY, BYTE_STREAM_SPLIT and RLE_DICTIONARY. Rows 2 and 3 are left out:
  // with both INT32 extremes in one page DuckDB writes a 33-bit INT32 delta (min_delta outside
  // the int32 range), which arrow-rs rejects ("'min_delta' too large"), so the readers disagree.
  list.push({
    name: 'all-types-parquet-v2-zstd.parquet',
    description: 'every column type without the INT32/INT64 extreme rows 2 and 3; opt-in '
      + 'PARQUET_VERSION V2 (V1 page headers, DELTA_*/BYTE_STREAM_SPLIT encodings)',
    table: 'all_types', select: 'SELECT * FROM all_types WHERE id NOT IN (2, 3) ORDER BY id',
    options: 'COMPRESSION zstd, PARQUET_VERSION V2', columns: ALL_TYPES_COLUMNS,
    rows: ALL_TYPES_ROWS.filter((r) => r.id !== 2 && r.id !== 3),
  });
  list.push({
    name: 'one-row.parquet', description: 'all-types schema, a single row', table: 'all_types',
    select: 'SELECT * FROM all_types WHERE id = 0', options: 'COMPRESSION snappy',
    columns: ALL_TYPES_COLUMNS, rows: ALL_TYPES_ROWS.filter((r) => r.id === 0),
  });
  list.push({
    name: 'empty.parquet', description: 'all-types schema, zero rows (DuckDB writes zero row groups)',
    table: 'all_types', select: 'SELECT * FROM all_types WHERE false', options: 'COMPRESSION snappy',
    columns: ALL_TYPES_COLUMNS, rows: [],
  });
  list.push({
    name: 'not-null-constraints.parquet',
    description: 'table with NOT NULL constraints copied directly (DuckDB still writes OPTIONAL)',
    table: 'not_null', select: 'not_null', options: 'COMPRESSION snappy',
    columns: NOT_NULL_COLUMNS.map(([n, t]) => [n, t.replace(' NOT NULL', '')]), rows: NOT_NULL_ROWS,
  });
  const generated = (name, description, columns, sql, options, numRows, probeIndices, extra = {}) =>
    list.push({
      name, description, select: sql, options, num_rows: numRows,
      columns: columns.map((c) => [c, GENERATED[c][0]]),
      probe_rows: probes(columns, numRows, probeIndices), ...extra,
    });
  for (const [suffix, options] of [['snappy', 'COMPRESSION snappy'],
    ['parquet-v2-zstd', 'COMPRESSION zstd, PARQUET_VERSION V2']]) {
    generated(`many-row-groups-${suffix}.parquet`,
      `${MANY_ROWS} generated rows of every column type in row groups of ${MANY_PIECE}`,
      MAIN_COLUMNS, manyRowGroupsSql(), `${options}, ROW_GROUP_SIZE ${MANY_PIECE}`, MANY_ROWS,
      manyProbeIndices, { num_row_groups: Math.ceil(MANY_ROWS / MANY_PIECE) });
  }
  generated('low-cardinality-dictionary.parquet',
    `${CARD_ROWS} rows; few distinct strings, ints and list items (dictionary encoded)`,
    LOW_COLUMNS, `${generatedSelect(LOW_COLUMNS, 0, CARD_ROWS)}\n  ORDER BY i`, 'COMPRESSION snappy',
    CARD_ROWS, cardProbeIndices);
  generated('low-cardinality-dictionary-parquet-v2.parquet',
    `${CARD_ROWS} rows; few distinct values (RLE_DICTIONARY data pages under PARQUET_VERSION V2)`,
    LOW_COLUMNS, `${generatedSelect(LOW_COLUMNS, 0, CARD_ROWS)}\n  ORDER BY i`,
    'COMPRESSION snappy, PARQUET_VERSION V2', CARD_ROWS, cardProbeIndices);
  generated('high-cardinality-plain.parquet',
    `${CARD_ROWS} rows; every string, double, bigint and timestamp distinct (PLAIN fallback)`,
    HIGH_COLUMNS, `${generatedSelect(HIGH_COLUMNS, 0, CARD_ROWS)}\n  ORDER BY i`, 'COMPRESSION snappy',
    CARD_ROWS, cardProbeIndices);
  return list;
}

// ---------------------------------------------------------------- main

async function createTable(connection, name, columns, rows) {
  await connection.run(`CREATE TABLE ${name} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')})`);
  const types = columns.map(([, t]) => t.replace(' NOT NULL', ''));
  const values = rows.map((row) =>
    `(${columns.map(([n], k) => sqlLiteral(types[k], row[n])).join(', ')})`).join(',\n  ');
  await connection.run(`INSERT INTO ${name} VALUES\n  ${values}`);
}

async function main(argv) {
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    process.stderr.write('usage: node make-duckdb-samples.mjs OUT_DIR\n');
    return 2;
  }
  const outDir = path.resolve(argv[0]);
  fs.mkdirSync(outDir, { recursive: true });

  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  await connection.run('SET preserve_insertion_order = true');
  const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];

  await createTable(connection, 'all_types', ALL_TYPES_COLUMNS, ALL_TYPES_ROWS);
  await createTable(connection, 'not_null', NOT_NULL_COLUMNS, NOT_NULL_ROWS);

  const expected = {
    generator: 'tools/parquet-check/make-duckdb-samples.mjs',
    duckdb_version: version,
    canonical_form: 'null, booleans, strings; integers as JSON numbers (decimal strings beyond '
      + '2^53); doubles as numbers ("NaN", "Infinity", "-Infinity" as strings); timestamps as '
      + '"YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds); lists as arrays',
    files: {},
  };
  for (const s of samples()) {
    const file = path.join(outDir, s.name);
    const source = /^\w+$/.test(s.select) ? s.select : `(${s.select})`;
    const options = ['FORMAT parquet', s.options].filter(Boolean).join(', ');
    await connection.run(`COPY ${source} TO ${sqlString(file)} (${options})`);
    const entry = {
      description: s.description,
      copy_options: options,
      columns: s.columns.map(([name, type]) => ({ name, type })),
      num_rows: s.rows ? s.rows.length : s.num_rows,
    };
    if (s.num_row_groups !== undefined) entry.num_row_groups = s.num_row_groups;
    if (s.rows) entry.rows = s.rows;
    else entry.probe_rows = s.probe_rows;
    expected.files[s.name] = entry;
  }
  fs.writeFileSync(path.join(outDir, 'expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
  connection.closeSync?.();
  instance.closeSync?.();
  process.stdout.write(`wrote ${Object.keys(expected.files).length} files and expected.json to ${outDir}\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`make-duckdb-samples.mjs: ${error?.message ?? error}\n`);
    process.exitCode = 1;
  }
}
