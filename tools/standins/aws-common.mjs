// Shared pieces of the AWS credential stand-ins (aws-sts.mjs, aws-sso.mjs, aws-imds.mjs,
// aws-ecs.mjs): flag parsing, a clock that tests can freeze, deterministic temporary
// credentials, failure injection and the request log.
//
// Everything here is test-only. Secrets and tokens are never written to the log or to stderr:
// the log keeps only whether a credential was present, its length and whether it was accepted.
import { appendFileSync } from 'node:fs';
import { createHmac, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

// Flags every stand-in understands. Each server adds its own and documents all of them at the
// top of its file.
export const COMMON_FLAGS = {
  'log': { type: 'string' },                 // append one JSON line per request to this file
  'fail-first': { type: 'string' },          // answer the first N requests with a failure
  'fail-mode': { type: 'string' },           // server (5xx, the default) | throttle
  'expires-in-seconds': { type: 'string' },  // issued credentials expire now + N (may be <= 0)
  'now': { type: 'string' },                 // freeze the server clock at this ISO-8601 instant
  'seed': { type: 'string' },                // derives secrets and tokens (deterministic output)
  'help': { type: 'boolean' },
};

// Parses argv against COMMON_FLAGS plus `own`. On a bad flag prints `usage` and exits 2, the
// CLI convention for usage errors.
export function parseFlags(own, usage, argv = process.argv.slice(2)) {
  const options = { ...COMMON_FLAGS, ...own };
  // util.parseArgs reads "--expires-in-seconds -60" as a missing value; join a negative number
  // to its flag ("--expires-in-seconds=-60") so both spellings work.
  const args = [];
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].startsWith('--') && !argv[i].includes('=') ? argv[i].slice(2) : null;
    if (name && options[name]?.type === 'string' && /^-\d+$/.test(argv[i + 1] ?? '')) {
      args.push(`${argv[i]}=${argv[i + 1]}`);
      i += 1;
    } else {
      args.push(argv[i]);
    }
  }
  let values;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`${err.message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  return values;
}

export function usageError(message, usage) {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

// Parses an integer flag; `fallback` when absent. Exits 2 on garbage so a typo in a test
// fixture fails loudly instead of silently using a default.
export function intFlag(values, name, fallback, usage) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) usageError(`--${name} must be an integer, got '${raw}'`, usage);
  return Number(raw);
}

// Returns a function giving "now" in epoch milliseconds: the real clock, or the instant given
// by --now frozen forever (so a client with an injected Clock can sign at that instant).
export function makeClock(values, usage) {
  if (values.now === undefined) return () => Date.now();
  const ms = Date.parse(values.now);
  if (Number.isNaN(ms)) usageError(`--now must be an ISO-8601 instant, got '${values.now}'`, usage);
  return () => ms;
}

// 2024-05-01T12:00:00Z: the form STS, IMDS and ECS use for Expiration (whole seconds, no
// fractional part).
export function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Issues temporary credentials that differ on every call, so a test can tell that a refresh
// really fetched new ones. Access key ids are 20 characters like real ones and start with ASIA
// (the prefix of temporary keys); the counter makes them easy to read: ASIASTSTEST000000001.
export class CredentialIssuer {
  constructor(prefix, seed = 'slack-intel-standin') {
    if (!/^ASIA[A-Z]{1,12}$/.test(prefix)) throw new Error(`bad access key prefix ${prefix}`);
    this.prefix = prefix;
    this.seed = seed;
    this.issued = 0;
  }

  issue() {
    this.issued += 1;
    const accessKeyId = this.prefix + String(this.issued).padStart(20 - this.prefix.length, '0');
    const derive = (label) => createHmac('sha256', this.seed).update(`${label}:${accessKeyId}`).digest();
    // 40 base64 characters, like a real secret access key (they contain '+' and '/').
    const secretAccessKey = derive('secret').toString('base64').slice(0, 40);
    // Real session tokens are long base64 strings with '+', '/' and '='; a few hundred bytes
    // make sure the client neither truncates them nor mangles them in headers or files.
    const tokenBytes = Buffer.concat([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => derive(`token${i}`)));
    const sessionToken = `IQoJb3JpZ2luX2Vj${tokenBytes.toString('base64')}`;
    return { accessKeyId, secretAccessKey, sessionToken };
  }
}

// Failure injection: the first N requests (of any kind) are answered by the server's
// failure() instead of being handled. Mode "server" is a 5xx, "throttle" the service's
// throttling answer.
export function makeFaultInjector(values, usage) {
  let remaining = intFlag(values, 'fail-first', 0, usage);
  const mode = values['fail-mode'] ?? 'server';
  if (!['server', 'throttle'].includes(mode)) {
    usageError(`--fail-mode must be 'server' or 'throttle', got '${mode}'`, usage);
  }
  return {
    mode,
    shouldFail() {
      if (remaining <= 0) return false;
      remaining -= 1;
      return true;
    },
  };
}

// What the log records instead of a secret value.
export function redacted(value) {
  if (value === undefined || value === null) return null;
  return `<redacted ${String(value).length} chars>`;
}

// Appends one JSON line per request to --log (synchronously, so a test that reads the file
// right after its response sees the line). No-op without --log.
export function makeRequestLog(values, service) {
  const file = values.log;
  return (entry) => {
    if (!file) return;
    appendFileSync(file, `${JSON.stringify({ time: new Date().toISOString(), service, ...entry })}\n`);
  };
}

export function newRequestId() {
  return randomUUID();
}

// Reads the whole request body (at most `limitBytes`).
export function readBody(req, limitBytes = 1 << 20) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

// Splits "/a/b?x=1" into the raw (still percent-encoded) path and query string.
export function splitTarget(url) {
  const q = url.indexOf('?');
  return q < 0 ? { rawPath: url, rawQuery: '' } : { rawPath: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

export function send(res, status, headers, body) {
  res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
