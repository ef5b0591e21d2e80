// The three independent readers must agree with what was written before they can judge our
// writer: DuckDB writes files with every feature the cache uses, and each reader must return
// exactly the values below.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { check } from './check.mjs';

const CHECKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'check.mjs');
const READERS = ['duckdb', 'arrow', 'hyparquet'];

const ROWS_SQL = `SELECT * FROM (VALUES
  (true, 1, 9007199254740993::BIGINT, 1.5::DOUBLE, 'héllo 🌍 日本', TIMESTAMPTZ '2024-05-01 12:00:00.123456+00',
   epoch_ms(1714564800123)::TIMESTAMP_MS, ['PROJ-1', NULL, 'ß']::VARCHAR[], '2024-05-01', 'dev ops/α'),
  (NULL, NULL, NULL, NULL, '', NULL, NULL, []::VARCHAR[], '2024-05-02', 'general'),
  (false, -2147483648, -1, 'NaN'::DOUBLE, NULL, TIMESTAMPTZ '1969-12-31 23:59:59.999999+00',
   NULL, NULL, '2024-05-02', 'general')
) t(flag, small, big, ratio, text, ts_us, ts_ms, tags, dt, channel)`;

const EXPECTED = [
  { flag: true, small: 1, big: '9007199254740993', ratio: 1.5, text: 'héllo 🌍 日本',
    ts_us: '2024-05-01T12:00:00.123456Z', ts_ms: '2024-05-01T12:00:00.123000Z',
    tags: ['PROJ-1', null, 'ß'], dt: '2024-05-01', channel: 'dev ops/α' },
  { flag: null, small: null, big: null, ratio: null, text: '', ts_us: null, ts_ms: null,
    tags: [], dt: '2024-05-02', channel: 'general' },
  { flag: false, small: -2147483648, big: -1, ratio: 'NaN', text: null,
    ts_us: '1969-12-31T23:59:59.999999Z', ts_ms: null, tags: null, dt: '2024-05-02',
    channel: 'general' },
];

let dir;
let connection;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-check-'));
  connection = await (await DuckDBInstance.create(':memory:')).connect();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function assertEveryReaderSees(report, expected) {
  for (const reader of READERS) {
    const seen = report.readers[reader];
    assert.equal(seen.error, undefined, `${reader} failed: ${seen.error}`);
    assert.deepEqual(seen.rows, expected, `${reader} read other values`);
  }
  assert.equal(report.agree, true, report.disagreements.join('; '));
}

for (const codec of ['uncompressed', 'snappy', 'zstd', 'gzip']) {
  test(`every reader returns the written values (${codec})`, async () => {
    const file = path.join(dir, `all-${codec}.parquet`);
    // (Row-group boundaries are crossed by make-duckdb-samples.mjs's many-row-groups files:
    // DuckDB only cuts row groups at 2,048-row input chunks.)
    await connection.run(`COPY (${ROWS_SQL}) TO '${file}' (FORMAT parquet, COMPRESSION ${codec})`);
    assertEveryReaderSees(await check(file), EXPECTED);
  });
}

test('hive folders become string columns, URL-decoded', async () => {
  const folder = path.join(dir, 'hive');
  await connection.run(`COPY (${ROWS_SQL}) TO '${folder}' (FORMAT parquet, PARTITION_BY (dt, channel))`);
  assert.ok(fs.existsSync(path.join(folder, 'dt=2024-05-01', 'channel=dev%20ops%2F%CE%B1')));
  const report = await check(folder);
  const byDay = (rows) => [...rows].sort((a, b) => a.dt.localeCompare(b.dt) || String(a.small).localeCompare(String(b.small)));
  for (const reader of READERS) {
    assert.equal(report.readers[reader].error, undefined, report.readers[reader].error);
    assert.deepEqual(byDay(report.readers[reader].rows), byDay(EXPECTED), reader);
  }
  assert.equal(report.agree, true, report.disagreements.join('; '));
});

test('a file that is not Parquet is an error for every reader, exit 1', () => {
  const file = path.join(dir, 'not.parquet');
  fs.writeFileSync(file, 'PAR1 this is not a parquet file PAR1');
  const run = spawnSync(process.execPath, [CHECKER, file], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout);
  for (const reader of READERS) assert.ok(report.readers[reader].error, `${reader} accepted garbage`);
  assert.equal(report.agree, false);
});

test('command line: exit 0 with one JSON line when the readers agree; 2 on usage errors', async () => {
  const file = path.join(dir, 'cli.parquet');
  await connection.run(`COPY (${ROWS_SQL}) TO '${file}' (FORMAT parquet)`);
  const out = execFileSync(process.execPath, [CHECKER, file, '--limit', '1'], { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 1);
  const report = JSON.parse(lines[0]);
  assert.equal(report.readers.hyparquet.num_rows, 3);
  assert.equal(report.readers.hyparquet.rows.length, 1);
  assert.equal(spawnSync(process.execPath, [CHECKER]).status, 2);
  assert.equal(spawnSync(process.execPath, [CHECKER, path.join(dir, 'missing.parquet')]).status, 2);
});
