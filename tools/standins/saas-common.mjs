// Shared pieces of the SaaS stand-ins (slack.mjs, jira.mjs): flag parsing, a per-method sliding
// window rate limiter, "fail the Nth call" injection, request parameters from a query string or
// a form/JSON body, and call statistics for GET /_stats.
//
// Everything here is test-only. Tokens never reach stdout or stderr.
import { parseArgs } from 'node:util';
import { usageError } from './aws-common.mjs';

// Parses argv against `options` (util.parseArgs shapes). On a bad flag prints `usage` and exits 2,
// the CLI convention for usage errors; --help prints usage and exits 0.
export function parseFlags(options, usage, argv = process.argv.slice(2)) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } },
      strict: true, allowPositionals: false }));
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

export { usageError };

// A non-negative number flag ("100", "0.05"); `fallback` when absent; exits 2 on garbage.
export function numberFlag(values, name, fallback, usage) {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw)) usageError(`--${name} must be a non-negative number, got '${raw}'`, usage);
  return Number(raw);
}

// Sliding-window limiter, one window per key (a method name). `limitFor(key)` is the number of
// requests allowed in any `windowMs`; 0 or Infinity means unlimited. Requests that were refused
// do not use up the window (a client that keeps retrying early is refused until the window
// frees, then served).
export class SlidingWindowLimiter {
  constructor(limitFor, windowMs = 60_000, now = () => Date.now()) {
    this.limitFor = limitFor;
    this.windowMs = windowMs;
    this.now = now;
    this.accepted = new Map();  // key -> ascending array of accept times (ms)
  }

  // Returns 0 when the request may proceed (and records it), otherwise the whole seconds to
  // wait (>= 1) before a retry would be accepted: the value for Retry-After.
  take(key) {
    const limit = this.limitFor(key);
    if (!limit || limit === Infinity) return 0;
    const now = this.now();
    let times = this.accepted.get(key);
    if (!times) {
      times = [];
      this.accepted.set(key, times);
    }
    let expired = 0;
    while (expired < times.length && times[expired] <= now - this.windowMs) expired += 1;
    if (expired) times.splice(0, expired);
    if (times.length < limit) {
      times.push(now);
      return 0;
    }
    const freeAtMs = times[times.length - limit] + this.windowMs;
    return Math.max(1, Math.ceil((freeAtMs - now) / 1000));
  }
}

// --fail SPEC injection. SPEC is "METHOD:N:ERROR" (Slack) or "N:ERROR" (Jira, METHOD ''):
// the Nth call (1-based) of METHOD answers ERROR instead of being handled. N may also be "N+"
// (that call and every later one) or "*" (every call).
export function parseFailSpecs(specs, { withMethod }, usage) {
  const rules = [];
  for (const spec of specs ?? []) {
    const parts = spec.split(':');
    const [method, nth, error] = withMethod ? parts : ['', ...parts];
    if ((withMethod ? parts.length !== 3 : parts.length !== 2) || (withMethod && !method) || !error
        || !/^(\d+\+?|\*|%\d+)$/.test(nth ?? '') || /^[%]?0\+?$/.test(nth)) {
      usageError(`--fail expects ${withMethod ? 'METHOD:N:ERROR' : 'N:ERROR'} (N = 1, 2, ..., N+, %K or *), got '${spec}'`, usage);
    }
    const every = nth === '*';
    const period = nth.startsWith('%') ? parseInt(nth.slice(1), 10) : 0;
    const from = every ? 1 : period || parseInt(nth, 10);
    rules.push({ method, from, period, onwards: every || nth.endsWith('+'), error });
  }
  return {
    // The injected error for call number `callNo` (1-based) of `method`, or undefined.
    // METHOD "*" matches every method; N "%K" every Kth call (K, 2K, ...).
    match(method, callNo) {
      for (const r of rules) {
        if (r.method !== method && r.method !== '*') continue;
        if (r.period ? callNo % r.period === 0 : r.onwards ? callNo >= r.from : callNo === r.from) {
          return r.error;
        }
      }
      return undefined;
    },
  };
}

// Request parameters the way Slack reads them: the query string, then an
// application/x-www-form-urlencoded or application/json body (body wins on a clash).
export function requestParams(rawQuery, contentType, body) {
  const params = Object.fromEntries(new URLSearchParams(rawQuery));
  const text = body.toString('utf8');
  if (text.length === 0) return { params };
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { params, bodyError: 'invalid_json' };
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
    } else {
      return { params, bodyError: 'invalid_json' };
    }
  } else {
    for (const [k, v] of new URLSearchParams(text)) params[k] = v;
  }
  return { params };
}

// Per-method counters served by GET /_stats and cleared by POST /_stats/reset.
export class CallStats {
  constructor() {
    this.reset();
  }

  reset() {
    this.calls = {};          // every request, by method
    this.ok = {};             // answered with success
    this.errors = {};         // answered with an error (any kind, injected or not)
    this.rateLimited = {};    // answered 429 by the limiter
    this.itemsServed = {};    // messages / members / channels / issues returned, by method
    this.startedAt = new Date().toISOString();
  }

  bump(table, method, n = 1) {
    table[method] = (table[method] ?? 0) + n;
  }

  toJSON() {
    const sum = (t) => Object.values(t).reduce((a, b) => a + b, 0);
    return {
      since: this.startedAt,
      calls: this.calls,
      calls_total: sum(this.calls),
      ok: this.ok,
      errors: this.errors,
      rate_limited: this.rateLimited,
      rate_limited_total: sum(this.rateLimited),
      items_served: this.itemsServed,
    };
  }
}

export function b64(text) {
  return Buffer.from(text, 'utf8').toString('base64');
}

// Decodes a base64 cursor made by b64(); null when it is not one.
export function unb64(cursor) {
  if (typeof cursor !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(cursor)) return null;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  return b64(text).replace(/=+$/, '') === cursor.replace(/=+$/, '') ? text : null;
}
