#!/usr/bin/env node
// slack-intel's Parquet writer and reader against DuckDB's, on the same generated Slack rows.
//
// Each run: build/bench/bench/parquet_bench generates the rows, writes them with our writer
// (SNAPPY, ZSTD) and reads them back, printing JSON; on the first run it also exports the rows
// as NDJSON, which DuckDB loads (untimed) into an in-memory table. Then, in the same run, DuckDB
// writes that table with `COPY ... (FORMAT parquet, COMPRESSION c)` and reads every file back
// with `CREATE TABLE ... AS SELECT * FROM read_parquet(f)` (every column materialised), once
// with its default threads and once with threads=1 (our writer and reader are single-threaded).
// Our reader also reads DuckDB's files. The report gives the median of every figure over the
// runs, ratios ours/DuckDB and whether the targets of issue #3 are met.
//
// Those are steady-state figures: DuckDB runs in a warm process with its bundled jemalloc, and
// parquet_bench keeps glibc from returning memory (see bench/parquet_bench.cc). Each run also
// times "fresh process" reads: every file read by a new parquet_bench with glibc's default
// policy (--malloc-default --no-warmup) and by a new DuckDB instance in a new node process.
//
// usage (from the repository root, after building build/bench, see bench/README.md):
//   nice -n 10 node bench/parquet_vs_duckdb.mjs [--rows N] [--runs R] [--seed S]
//       [--out-dir DIR] [--bench PATH] [--json FILE]
//   node bench/parquet_vs_duckdb.mjs --report RESULTS.json...   (medians of saved runs, pooled)
// @duckdb/node-api is resolved from tools/node_modules whatever the working directory.
// exit: 0 done (targets met or not); 1 a step failed; 2 usage error.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'tools', 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

// ---------------------------------------------------------------- options

const options = {
  rows: 1_000_000,
  runs: 3,
  seed: 42,
  outDir: '/tmp/slack-intel-bench',
  bench: path.join(repo, 'build', 'bench', 'bench', 'parquet_bench'),
  json: null,
};
if (process.argv[2] !== '--cold-read') {
  const args = process.argv.slice(2);
  const flags = { '--rows': 'rows', '--runs': 'runs', '--seed': 'seed', '--out-dir': 'outDir',
    '--bench': 'bench', '--json': 'json' };
  if (args[0] === '--report') {
    options.report = args.slice(1);
    args.length = 0;
  }
  for (let i = 0; i < args.length; i += 2) {
    const key = flags[args[i]];
    if (!key || args[i + 1] === undefined) {
      process.stderr.write(`usage: node bench/parquet_vs_duckdb.mjs [--rows N] [--runs R] ` +
        `[--seed S] [--out-dir DIR] [--bench PATH] [--json FILE]\n` +
        `       node bench/parquet_vs_duckdb.mjs --report RESULTS.json...\n`);
      process.exit(2);
    }
    options[key] = ['rows', 'runs', 'seed'].includes(key) ? Number(args[i + 1]) : args[i + 1];
  }
  options.json ??= path.join(options.outDir, 'results.json');
}
const CODECS = ['snappy', 'zstd'];


const log = (s) => process.stderr.write(`${s}\n`);
const sql = (s) => `'${String(s).replaceAll("'", "''")}'`;

// ---------------------------------------------------------------- our side

function runBench(args) {
  const r = spawnSync(options.bench, args, { encoding: 'utf8', maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) {
    return { error: `${path.basename(options.bench)} exited ${r.status}: ${r.stderr.trim()}` };
  }
  return JSON.parse(r.stdout);
}

// ---------------------------------------------------------------- DuckDB side

// The NDJSON column types: the Athena table's, then the extras.
const COLUMNS = `{message_id: 'VARCHAR', user_id: 'VARCHAR', text: 'VARCHAR',
  timestamp: 'VARCHAR', thread_ts: 'VARCHAR', is_thread_parent: 'BOOLEAN',
  is_thread_reply: 'BOOLEAN', reply_count: 'BIGINT', user_name: 'VARCHAR',
  user_real_name: 'VARCHAR', jira_tickets: 'VARCHAR[]', channel_id: 'VARCHAR',
  subtype: 'VARCHAR', bot_id: 'VARCHAR', edited_ts: 'VARCHAR'}`;

// The value bytes of a table by parquet_bench's definition, so both sides measure MB alike.
const VALUE_BYTES_SQL = (table) => `SELECT (
  coalesce(sum(strlen(message_id)), 0) + coalesce(sum(strlen(user_id)), 0) +
  coalesce(sum(strlen(text)), 0) + coalesce(sum(strlen(timestamp)), 0) +
  coalesce(sum(strlen(thread_ts)), 0) + count(is_thread_parent) + count(is_thread_reply) +
  8 * count(reply_count) + coalesce(sum(strlen(user_name)), 0) +
  coalesce(sum(strlen(user_real_name)), 0) +
  coalesce(sum(list_sum(list_transform(jira_tickets, x -> strlen(x)))), 0) +
  coalesce(sum(strlen(channel_id)), 0) + coalesce(sum(strlen(subtype)), 0) +
  coalesce(sum(strlen(bot_id)), 0) + coalesce(sum(strlen(edited_ts)), 0))::BIGINT FROM ${table}`;

async function scalar(connection, query) {
  const reader = await connection.runAndReadAll(query);
  return reader.getRowsJS()[0][0];
}

// Wall and process CPU seconds of one statement.
async function timed(connection, statement) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await connection.run(statement);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { seconds, cpu_seconds: (used.user + used.system) / 1e6 };
}

// Hidden mode for fresh-process reads: `--cold-read FILE THREADS` prints {seconds, cpu_seconds}.
if (process.argv[2] === '--cold-read') {
  const [file, threads] = process.argv.slice(3);
  const instance = await DuckDBInstance.create(':memory:', { threads });
  const connection = await instance.connect();
  const t = await timed(connection,
    `CREATE TABLE readback AS SELECT * FROM read_parquet(${sql(file)})`);
  console.log(JSON.stringify(t));
  process.exit(0);
}

// ---------------------------------------------------------------- one run

async function oneRun(run, connection, state) {
  const figures = {};  // key -> { seconds, cpu_seconds, output_bytes? }
  const put = (key, value) => { figures[key] = value; };
  const loadavg = os.loadavg()[0];

  log(`run ${run}: parquet_bench (ours) ...`);
  const benchArgs = ['--rows', String(options.rows), '--seed', String(options.seed),
    '--out-dir', options.outDir];
  if (run > 1) benchArgs.push('--no-ndjson');
  const ours = runBench(benchArgs);
  if (ours.error) throw new Error(ours.error);
  for (const r of ours.results) {
    const codec = r.codec.toLowerCase();
    const entry = { seconds: r.seconds, cpu_seconds: r.cpu_seconds };
    if (r.op === 'write') {
      put(`write/${codec}/ours`,
        { ...entry, output_bytes: r.output_bytes, fsync_seconds: r.fsync_seconds });
    }
    if (r.op === 'read') put(`read/ours-${codec}/ours-ReadColumn`, entry);
    if (r.op === 'read_rows') put(`read/ours-${codec}/ours-ReadRows`, entry);
  }

  if (run === 1) {
    state.valueBytes = ours.value_bytes;
    log(`run ${run}: DuckDB loads ${ours.ndjson} (untimed) ...`);
    await connection.run(`CREATE OR REPLACE TABLE messages AS SELECT * FROM read_json(
      ${sql(ours.ndjson)}, format = 'newline_delimited', columns = ${COLUMNS})`);
    const rows = Number(await scalar(connection, 'SELECT count(*) FROM messages'));
    const bytes = Number(await scalar(connection, VALUE_BYTES_SQL('messages')));
    if (rows !== options.rows || bytes !== ours.value_bytes) {
      throw new Error(`DuckDB loaded ${rows} rows / ${bytes} value bytes; ` +
        `parquet_bench made ${options.rows} / ${ours.value_bytes}`);
    }
    state.defaultThreads = Number(await scalar(connection, "SELECT current_setting('threads')"));
    state.version = await scalar(connection, 'SELECT version()');
  }

  const threadSettings = [state.defaultThreads, 1];
  for (const threads of threadSettings) {
    await connection.run(`SET threads = ${threads}`);
    for (const codec of CODECS) {
      const file = path.join(options.outDir, `duckdb-${codec}-t${threads}.parquet`);
      fs.rmSync(file, { force: true });
      log(`run ${run}: DuckDB threads=${threads} COPY ${codec} ...`);
      const t = await timed(connection, `COPY messages TO ${sql(file)}
        (FORMAT parquet, COMPRESSION ${codec})`);
      put(`write/${codec}/duckdb-t${threads}`, { ...t, output_bytes: fs.statSync(file).size });
    }
  }

  // Every file each reader reads: ours, and DuckDB's (written with its default threads).
  const files = {};
  for (const codec of CODECS) {
    files[`ours-${codec}`] = path.join(options.outDir, `ours-${codec}.parquet`);
    files[`duckdb-${codec}`] =
      path.join(options.outDir, `duckdb-${codec}-t${state.defaultThreads}.parquet`);
  }
  for (const threads of threadSettings) {
    await connection.run(`SET threads = ${threads}`);
    for (const [name, file] of Object.entries(files)) {
      log(`run ${run}: DuckDB threads=${threads} reads ${name} ...`);
      const t = await timed(connection,
        `CREATE OR REPLACE TABLE readback AS SELECT * FROM read_parquet(${sql(file)})`);
      const rows = Number(await scalar(connection, 'SELECT count(*) FROM readback'));
      if (rows !== options.rows) throw new Error(`DuckDB read ${rows} rows from ${file}`);
      if (run === 1 && name.startsWith('ours') && threads === state.defaultThreads) {
        // Same multiset of rows as the source table (row counts are equal, so one direction).
        const differing = Number(await scalar(connection,
          'SELECT count(*) FROM (SELECT * FROM messages EXCEPT ALL SELECT * FROM readback)'));
        if (differing !== 0) throw new Error(`${file}: ${differing} rows differ from the source`);
        state.checked.push(name);
      }
      await connection.run('DROP TABLE readback');
      put(`read/${name}/duckdb-t${threads}`, t);
    }
  }
  await connection.run('RESET threads');

  log(`run ${run}: fresh-process reads ...`);
  for (const [name, file] of Object.entries(files)) {
    const ours = runBench(['--read', file, '--no-read-rows', '--no-warmup', '--malloc-default']);
    if (!ours.error) {
      const r = ours.results.find((x) => x.op === 'read');
      put(`cold/${name}/ours-ReadColumn`, { seconds: r.seconds, cpu_seconds: r.cpu_seconds });
    }
    for (const threads of threadSettings) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-read',
        file, String(threads)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (child.status !== 0) throw new Error(`fresh DuckDB read of ${file}: ${child.stderr}`);
      put(`cold/${name}/duckdb-t${threads}`, JSON.parse(child.stdout));
    }
  }

  log(`run ${run}: parquet_bench reads DuckDB's files ...`);
  for (const codec of CODECS) {
    const theirs = runBench(['--read', files[`duckdb-${codec}`], '--no-read-rows']);
    if (theirs.error) {
      state.ourReaderErrors[`duckdb-${codec}`] = theirs.error;
      continue;
    }
    const r = theirs.results.find((x) => x.op === 'read');
    if (r.value_bytes !== state.valueBytes || r.rows !== options.rows) {
      throw new Error(`our reader got ${r.rows} rows / ${r.value_bytes} value bytes from ` +
        `${files[`duckdb-${codec}`]}; expected ${options.rows} / ${state.valueBytes}`);
    }
    put(`read/duckdb-${codec}/ours-ReadColumn`, { seconds: r.seconds, cpu_seconds: r.cpu_seconds });
  }
  return { run, loadavg_before: loadavg, loadavg_after: os.loadavg()[0], figures };
}

// ---------------------------------------------------------------- report

function median(values) {
  const v = values.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function medians(runs) {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.figures)));
  const out = {};
  for (const key of keys) {
    const fields = new Set(runs.flatMap((r) => Object.keys(r.figures[key] ?? {})));
    out[key] = {};
    for (const f of fields) out[key][f] = median(runs.map((r) => r.figures[key]?.[f]));
    out[key].rows_per_s = options.rows / out[key].seconds;
    out[key].mb_per_s = state.valueBytes / 1e6 / out[key].seconds;
  }
  return out;
}

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtNum = (n, d = 1) => n.toFixed(d);
const pad = (s, w) => String(s).padEnd(w);
const padL = (s, w) => String(s).padStart(w);

function report(m, runs) {
  const lines = [];
  const dt = state.defaultThreads;
  const label = (who) => (who === 'ours' ? 'slack-intel (1 thread)'
    : who === 'ours-ReadColumn' ? 'slack-intel ReadColumn'
      : who === 'ours-ReadRows' ? 'slack-intel ReadRows' : `DuckDB threads=${who.slice(8)}`);
  lines.push(`slack-intel Parquet vs ${state.version}: ${fmtInt(options.rows)} rows, ` +
    `${fmtNum(state.valueBytes / 1e6)} MB of values, median of ${runs.length} run(s)`);
  lines.push('MB = 10^6 value bytes: UTF-8 bytes of each non-null string (list elements too), ' +
    '1 per BOOLEAN, 8 per BIGINT.');
  const loads = runs.map((r) => r.loadavg_before.toFixed(2)).join(', ');
  lines.push(`load average (1 min) before runs: ${loads}`);
  lines.push('');
  lines.push(`${pad('WRITE', 8)}${pad('writer', 24)}${padL('rows/s', 12)}${padL('MB/s', 9)}` +
    `${padL('seconds', 9)}${padL('CPU s', 8)}${padL('output bytes', 15)}`);
  for (const codec of CODECS) {
    for (const who of ['ours', `duckdb-t${dt}`, 'duckdb-t1']) {
      const f = m[`write/${codec}/${who}`];
      if (!f) continue;
      lines.push(`${pad(codec, 8)}${pad(label(who), 24)}${padL(fmtInt(f.rows_per_s), 12)}` +
        `${padL(fmtNum(f.mb_per_s), 9)}${padL(fmtNum(f.seconds, 3), 9)}` +
        `${padL(fmtNum(f.cpu_seconds, 2), 8)}${padL(fmtInt(f.output_bytes), 15)}`);
    }
  }
  lines.push('');
  lines.push(`${pad('READ', 15)}${pad('reader', 24)}${padL('rows/s', 12)}${padL('MB/s', 9)}` +
    `${padL('seconds', 9)}${padL('CPU s', 8)}`);
  for (const codec of CODECS) {
    for (const file of [`ours-${codec}`, `duckdb-${codec}`]) {
      for (const who of ['ours-ReadColumn', 'ours-ReadRows', `duckdb-t${dt}`, 'duckdb-t1']) {
        const f = m[`read/${file}/${who}`];
        if (!f) {
          if (who === 'ours-ReadColumn' && state.ourReaderErrors[file]) {
            lines.push(`${pad(file, 15)}${pad(label(who), 24)}  failed: ` +
              `${state.ourReaderErrors[file]}`);
          }
          continue;
        }
        lines.push(`${pad(file, 15)}${pad(label(who), 24)}${padL(fmtInt(f.rows_per_s), 12)}` +
          `${padL(fmtNum(f.mb_per_s), 9)}${padL(fmtNum(f.seconds, 3), 9)}` +
          `${padL(fmtNum(f.cpu_seconds, 2), 8)}`);
      }
    }
  }
  lines.push('');
  lines.push('FRESH-PROCESS READ (a new process per read; ours with glibc malloc defaults)');
  for (const codec of CODECS) {
    for (const file of [`ours-${codec}`, `duckdb-${codec}`]) {
      for (const who of ['ours-ReadColumn', `duckdb-t${dt}`, 'duckdb-t1']) {
        const f = m[`cold/${file}/${who}`];
        if (!f) continue;
        lines.push(`${pad(file, 15)}${pad(label(who), 24)}${padL(fmtInt(f.rows_per_s), 12)}` +
          `${padL(fmtNum(f.mb_per_s), 9)}${padL(fmtNum(f.seconds, 3), 9)}` +
          `${padL(fmtNum(f.cpu_seconds, 2), 8)}`);
      }
    }
  }
  lines.push('');
  lines.push('RATIOS ours/DuckDB of the medians. "speed" = rows/s ratio (wall clock); "CPU" = ' +
    'DuckDB CPU s / our CPU s,');
  lines.push('which contention from other processes distorts less. Targets are judged on speed.');
  const verdicts = [];
  const ratio = (a, b) => (a && b ? a / b : NaN);
  const threadsOf = (who) => who.slice(8);
  const both = (key, oursWho, theirsKey, theirsWho) => {
    const o = m[`${key}/${oursWho}`];
    const t = m[`${theirsKey}/${theirsWho}`];
    return {
      speed: ratio(o?.rows_per_s, t?.rows_per_s),
      cpu: ratio(t?.cpu_seconds, o?.cpu_seconds),
    };
  };
  for (const codec of CODECS) {
    for (const who of [`duckdb-t${dt}`, 'duckdb-t1']) {
      const r = both(`write/${codec}`, 'ours', `write/${codec}`, who);
      const met = r.speed >= 1;
      verdicts.push({ target: `write ${codec} throughput >= DuckDB threads=${threadsOf(who)}`,
        ratio: r.speed, cpu_ratio: r.cpu, met });
      lines.push(`  write ${pad(codec, 7)} vs DuckDB threads=${threadsOf(who)}: speed ` +
        `${fmtNum(r.speed, 3)}x  CPU ${fmtNum(r.cpu, 3)}x   target speed >= 1.00: ` +
        `${met ? 'MET' : 'NOT MET'}`);
    }
    for (const who of [`duckdb-t${dt}`, 'duckdb-t1']) {
      const r = ratio(m[`write/${codec}/ours`].output_bytes,
        m[`write/${codec}/${who}`].output_bytes);
      const met = r <= 1.05;
      verdicts.push({ target: `${codec} output bytes <= 1.05x DuckDB threads=${threadsOf(who)}`,
        ratio: r, met });
      lines.push(`  size  ${pad(codec, 7)} vs DuckDB threads=${threadsOf(who)} file: ` +
        `${fmtNum(r, 3)}x                   target <= 1.05: ${met ? 'MET' : 'NOT MET'}`);
    }
  }
  for (const codec of CODECS) {
    for (const who of [`duckdb-t${dt}`, 'duckdb-t1']) {
      const r = both(`read/ours-${codec}`, 'ours-ReadColumn', `read/duckdb-${codec}`, who);
      lines.push(`  read  ${pad(codec, 7)} ours (ReadColumn, our file) vs DuckDB threads=` +
        `${threadsOf(who)} (its file): speed ${fmtNum(r.speed, 3)}x  CPU ${fmtNum(r.cpu, 3)}x`);
    }
    for (const who of [`duckdb-t${dt}`, 'duckdb-t1']) {
      const r = both(`cold/ours-${codec}`, 'ours-ReadColumn', `cold/duckdb-${codec}`, who);
      if (Number.isNaN(r.speed)) continue;
      lines.push(`  fresh-process read ${pad(codec, 7)} ours vs DuckDB ` +
        `threads=${threadsOf(who)}: ` +
        `speed ${fmtNum(r.speed, 3)}x  CPU ${fmtNum(r.cpu, 3)}x`);
    }
  }
  lines.push('  (no target was set for reads; they are reported)');
  return { text: lines.join('\n'), verdicts };
}

// ---------------------------------------------------------------- main

const state = { checked: [], ourReaderErrors: {} };
try {
  if (options.report) {
    // Pool the runs of earlier results files and report their medians; runs nothing.
    const saved = options.report.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
    Object.assign(state, { version: saved[0].duckdb_version, ourReaderErrors: {},
      defaultThreads: saved[0].duckdb_default_threads, valueBytes: saved[0].value_bytes });
    options.rows = saved[0].rows;
    const runs = saved.flatMap((x) => x.runs);
    console.log(report(medians(runs), runs).text);
    process.exit(0);
  }
  if (!fs.existsSync(options.bench)) {
    throw new Error(`${options.bench} not found: build it first (bench/README.md)`);
  }
  fs.mkdirSync(options.outDir, { recursive: true });
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const runs = [];
  for (let run = 1; run <= options.runs; ++run) runs.push(await oneRun(run, connection, state));
  const m = medians(runs);
  const { text, verdicts } = report(m, runs);
  console.log(text);
  console.log(`\nrow-for-row check (DuckDB EXCEPT ALL against the source rows): ` +
    `${state.checked.join(', ')} identical`);
  fs.writeFileSync(options.json, `${JSON.stringify({
    duckdb_version: state.version, duckdb_default_threads: state.defaultThreads,
    rows: options.rows, seed: options.seed, value_bytes: state.valueBytes, runs,
    medians: m, verdicts, our_reader_errors: state.ourReaderErrors,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model },
  }, null, 2)}\n`);
  console.log(`raw figures: ${options.json}`);
} catch (error) {
  process.stderr.write(`parquet_vs_duckdb: ${error.message}\n`);
  process.exit(1);
}
