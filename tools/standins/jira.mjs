#!/usr/bin/env node
// Stand-in for Jira Cloud's issue search, the one endpoint slack-intel calls: the enhanced JQL
// search GET/POST /rest/api/3/search/jql, which replaced /rest/api/3/search (Atlassian changelog
// CHANGE-2046). The old endpoints answer 410 Gone with the body Jira Cloud sends now.
//
// Followed (docs/standins.md lists the sources and what is not modelled):
// - Enhanced search: jql, nextPageToken (opaque; absent/null on the last page), maxResults
//   (Jira's default 50; Jira's own cap is up to 5000 per page when only id/key are requested
//   and lower when many fields are; this stand-in caps at --page-cap, default 100), fields
//   (comma-separated in GET, an array in POST; *all, *navigable, -field), isLast. No "total".
//   Without fields, Jira's enhanced search returns only issue ids: so does this stand-in
//   (id, key and self, no "fields" object).
// - JQL: only `key in (K1, K2, ...)` / `issuekey in (...)` / `key = K`, case-insensitive,
//   keys quoted or not, optional ORDER BY key|created|updated [ASC|DESC]. Other JQL: 400.
// - Keys that do not exist: Jira answers the whole query with 400 and one message per key,
//   {"errorMessages":["An issue with key 'ABC-9' does not exist for field 'key'."],"errors":{}};
//   a key that is not key-shaped: "The issue key 'x' for field 'key' is invalid.".
//   --missing-keys omit drops them silently instead (for a client's happy-path tests).
// - Auth: Basic base64(email:api_token); anything else 401 (Jira Cloud's plain-text body).
// - Rate limiting: 429 with Retry-After (seconds), X-RateLimit-Reset (ISO instant) and
//   RateLimit-Reason: jira-burst-based, as the "Rate limiting" page describes.
//
// Flags:
//   --email EMAIL, --token TOKEN   accepted Basic credentials (default standin@example.invalid /
//                                  jira-standin-token; or $JIRA_STANDIN_EMAIL / $JIRA_STANDIN_TOKEN)
//   --tickets FILE.json      an array of issues in Jira's REST shape ({id, key, fields:{...}})
//   --synthesize             any well-formed key not in --tickets gets a plausible issue derived
//                            deterministically from the key
//   --missing KEY            with --synthesize: this key does not exist. Repeatable.
//   --missing-keys error|omit   what unknown keys do (default error: 400 like Jira)
//   --page-cap N             most issues per page (default 100)
//   --rate-scale X           X * 100 requests per window are served, then 429 (0 = unlimited,
//                            the default); --rate-window-seconds S (default 60)
//   --fail N:ERROR           the Nth search request (1-based; N+, *) answers ERROR: http500,
//                            http503, malformed (truncated JSON), ratelimited (429), unauthorized
//                            (401). Repeatable.
//   --verbose                one line per request on stderr
// Extra endpoints: GET /_stats, POST /_stats/reset.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { listen } from './listen.mjs';
import { readBody, send, splitTarget } from './aws-common.mjs';
import {
  CallStats, SlidingWindowLimiter, b64, numberFlag, parseFailSpecs, parseFlags, unb64, usageError,
} from './saas-common.mjs';

const USAGE = `usage: node jira.mjs [--email EMAIL] [--token TOKEN] [--tickets FILE.json] [--synthesize]
  [--missing KEY]... [--missing-keys error|omit] [--page-cap N] [--rate-scale X]
  [--rate-window-seconds S] [--fail N:ERROR]... [--verbose]
`;

const flags = parseFlags({
  'email': { type: 'string' },
  'token': { type: 'string' },
  'tickets': { type: 'string' },
  'synthesize': { type: 'boolean' },
  'missing': { type: 'string', multiple: true },
  'missing-keys': { type: 'string' },
  'page-cap': { type: 'string' },
  'rate-scale': { type: 'string' },
  'rate-window-seconds': { type: 'string' },
  'fail': { type: 'string', multiple: true },
  'verbose': { type: 'boolean' },
}, USAGE);
const config = {
  email: flags.email ?? process.env.JIRA_STANDIN_EMAIL ?? 'standin@example.invalid',
  token: flags.token ?? process.env.JIRA_STANDIN_TOKEN ?? 'jira-standin-token',
  synthesize: Boolean(flags.synthesize),
  missing: new Set((flags.missing ?? []).map((k) => k.toUpperCase())),
  missingKeys: flags['missing-keys'] ?? 'error',
  pageCap: Math.max(1, Math.floor(numberFlag(flags, 'page-cap', 100, USAGE))),
  rateScale: numberFlag(flags, 'rate-scale', 0, USAGE),
  windowMs: numberFlag(flags, 'rate-window-seconds', 60, USAGE) * 1000,
  verbose: Boolean(flags.verbose),
};
if (!['error', 'omit'].includes(config.missingKeys)) usageError('--missing-keys must be error or omit', USAGE);
const failures = parseFailSpecs(flags.fail, { withMethod: false }, USAGE);
const log = (line) => {
  if (config.verbose) process.stderr.write(`jira-standin: ${line}\n`);
};
const BASE_PER_WINDOW = 100;
const limiter = new SlidingWindowLimiter(
  () => (config.rateScale === 0 ? 0 : Math.max(1, Math.floor(BASE_PER_WINDOW * config.rateScale))), config.windowMs);
const stats = new CallStats();
const SITE = 'https://acme.atlassian.net';

// ---------------------------------------------------------------------------------------------
// Tickets

const tickets = new Map();
if (flags.tickets) {
  const parsed = JSON.parse(readFileSync(flags.tickets, 'utf8'));
  const list = Array.isArray(parsed) ? parsed : parsed.issues;
  if (!Array.isArray(list)) usageError(`--tickets ${flags.tickets}: expected an array of issues`, USAGE);
  for (const issue of list) {
    if (typeof issue?.key !== 'string') usageError(`--tickets: an issue without a key`, USAGE);
    tickets.set(issue.key.toUpperCase(), issue);
  }
}

const KEY_SHAPE = /^[A-Z][A-Z0-9_]*-[1-9]\d*$/;

const STATUSES = [
  { name: 'To Do', id: '10000', statusCategory: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' } },
  { name: 'In Progress', id: '3', statusCategory: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' } },
  { name: 'In Review', id: '10001', statusCategory: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' } },
  { name: 'Done', id: '10002', statusCategory: { id: 3, key: 'done', colorName: 'green', name: 'Done' } },
];
const TYPES = [{ id: '10001', name: 'Task', subtask: false }, { id: '10002', name: 'Bug', subtask: false },
  { id: '10003', name: 'Story', subtask: false }, { id: '10004', name: 'Sub-task', subtask: true }];
const PRIORITIES = [{ id: '1', name: 'Highest' }, { id: '2', name: 'High' }, { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' }, { id: '5', name: 'Lowest' }];
const PEOPLE = [['Ana Lima', '5b10a2844c20165700ede21g'], ['Björn Svensson', '5b10ac8d82e05b22cc7d4ef5'],
  ['Chidi Okeke', '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077'], ['Dana Cohen', '5d53f3cbc6b9320d9ea5bdc2'],
  ['佐藤 花子', '60a1b2c3d4e5f6a7b8c9d0e1']];
const SUMMARY_WORDS = ('export sync parquet bucket cache retry timeout pagination cursor schema footer '
  + 'partition backfill dashboard alert latency token scope rate limit thread reply channel archive '
  + 'ingest writer reader compaction manifest upload multipart credentials').split(' ');

// A plausible issue derived only from its key (same key, same issue).
function synthesize(key) {
  const h = createHash('sha256').update(key).digest();
  const num = Number(key.split('-')[1]);
  const person = (i) => {
    const [displayName, accountId] = PEOPLE[h[i] % PEOPLE.length];
    return { self: `${SITE}/rest/api/3/user?accountId=${encodeURIComponent(accountId)}`, accountId,
      displayName, active: true, timeZone: 'America/Los_Angeles', accountType: 'atlassian' };
  };
  const createdMs = Date.UTC(2025, 0, 1) + (h.readUInt32BE(0) % (365 * 86400)) * 1000;
  const updatedMs = createdMs + (h.readUInt32BE(4) % (90 * 86400)) * 1000;
  const words = [0, 1, 2, 3].map((i) => SUMMARY_WORDS[h[8 + i] % SUMMARY_WORDS.length]);
  const summary = `${words[0][0].toUpperCase()}${words[0].slice(1)} ${words[1]} fails when ${words[2]} ${words[3]} is empty`;
  const status = STATUSES[h[12] % STATUSES.length];
  const id = String(10000 + (h.readUInt32BE(16) % 900000));
  return {
    expand: '',
    id,
    self: `${SITE}/rest/api/3/issue/${id}`,
    key,
    fields: {
      summary: h[13] % 9 === 0 ? `${summary} — “ünïcode” 🚧` : summary,
      status: { self: `${SITE}/rest/api/3/status/${status.id}`, description: '', name: status.name, id: status.id,
        statusCategory: { self: `${SITE}/rest/api/3/statuscategory/${status.statusCategory.id}`, ...status.statusCategory } },
      issuetype: { self: `${SITE}/rest/api/3/issuetype/${TYPES[h[14] % TYPES.length].id}`, ...TYPES[h[14] % TYPES.length] },
      priority: { self: `${SITE}/rest/api/3/priority/${PRIORITIES[h[15] % 5].id}`, ...PRIORITIES[h[15] % 5] },
      assignee: h[20] % 4 === 0 ? null : person(21),
      reporter: person(22),
      created: jiraTime(createdMs),
      updated: jiraTime(updatedMs),
      labels: h[23] % 3 === 0 ? [] : [SUMMARY_WORDS[h[24] % SUMMARY_WORDS.length], `q${1 + (num % 4)}`].sort(),
    },
  };
}

// Jira's timestamp form: 2025-03-04T05:06:07.000+0000
function jiraTime(ms) {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function findIssue(key) {
  const upper = key.toUpperCase();
  if (tickets.has(upper)) return tickets.get(upper);
  if (config.synthesize && KEY_SHAPE.test(upper) && !config.missing.has(upper)) return synthesize(upper);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Search

class JiraError extends Error {
  constructor(status, messages) {
    super(messages.join(' '));
    this.status = status;
    this.messages = messages;
  }
}

// Parses the JQL forms the stand-in understands. Returns { keys, orderBy, desc }.
function parseJql(jql) {
  const text = (jql ?? '').trim();
  if (!text) throw new JiraError(400, ['The JQL query is required.']);
  const m = /^(?:key|issuekey|issue)\s*(?:(in)\s*\(([^)]*)\)|=\s*("[^"]*"|'[^']*'|[^\s()]+))\s*(?:order\s+by\s+(key|created|updated)(?:\s+(asc|desc))?)?\s*$/i.exec(text);
  if (!m) {
    throw new JiraError(400, [`Error in the JQL Query: the stand-in only understands key in (...) and key = K, got '${text}'.`]);
  }
  const list = m[1] ? m[2] : m[3];
  const keys = [];
  for (const item of list.split(',')) {
    const k = item.trim().replace(/^"(.*)"$/s, '$1').replace(/^'(.*)'$/s, '$1').trim();
    if (k) keys.push(k);
  }
  if (keys.length === 0) throw new JiraError(400, ["Error in the JQL Query: Expecting either a value, list or function but got ')'."]);
  return { keys, orderBy: m[4]?.toLowerCase() ?? null, desc: (m[5] ?? 'asc').toLowerCase() === 'desc' };
}

// Which fields to return: Jira's enhanced search returns ids only unless fields are asked for.
// *all and *navigable mean every field the issue has; "-name" removes one.
function wantedFields(spec) {
  const items = (Array.isArray(spec) ? spec : (spec ?? '').split(',')).map((f) => String(f).trim()).filter(Boolean);
  const onlyExclusions = items.length > 0 && items.every((f) => f.startsWith('-'));
  const wanted = { all: onlyExclusions, names: new Set(), excluded: new Set() };
  for (const f of items) {
    if (f === '*all' || f === '*navigable') wanted.all = true;
    else if (f.startsWith('-')) wanted.excluded.add(f.slice(1));
    else if (f !== 'id' && f !== 'key') wanted.names.add(f);
  }
  return wanted;
}

function shapeIssue(issue, wanted) {
  const out = { expand: issue.expand ?? '', id: String(issue.id), self: issue.self ?? `${SITE}/rest/api/3/issue/${issue.id}`,
    key: issue.key };
  if (wanted.all || wanted.names.size > 0) {
    out.fields = {};
    const names = wanted.all ? Object.keys(issue.fields ?? {}) : [...wanted.names];
    for (const f of names) {
      if (!wanted.excluded.has(f) && issue.fields && f in issue.fields) out.fields[f] = issue.fields[f];
    }
  }
  return out;
}

function search(args) {
  const { keys, orderBy, desc } = parseJql(args.jql);
  const errors = [];
  const found = [];
  const seen = new Set();
  for (const k of keys) {
    if (!KEY_SHAPE.test(k.toUpperCase())) {
      errors.push(`The issue key '${k}' for field 'key' is invalid.`);
      continue;
    }
    const issue = findIssue(k);
    if (!issue) {
      errors.push(`An issue with key '${k}' does not exist for field 'key'.`);
      continue;
    }
    if (!seen.has(issue.key)) {
      seen.add(issue.key);
      found.push(issue);
    }
  }
  if (errors.length && config.missingKeys === 'error') throw new JiraError(400, errors);
  // Without ORDER BY Jira promises no order; the stand-in keeps key order (project, number).
  const byKey = (a, b) => {
    const [pa, na] = a.key.split('-');
    const [pb, nb] = b.key.split('-');
    return pa === pb ? Number(na) - Number(nb) : (pa < pb ? -1 : 1);
  };
  const cmp = orderBy === 'created' || orderBy === 'updated'
    ? (a, b) => String(a.fields?.[orderBy] ?? '').localeCompare(String(b.fields?.[orderBy] ?? '')) || byKey(a, b)
    : byKey;
  found.sort((a, b) => (desc ? -cmp(a, b) : cmp(a, b)));

  const maxRaw = args.maxResults;
  let maxResults = 50;
  if (maxRaw !== undefined && maxRaw !== null && maxRaw !== '') {
    maxResults = Number(maxRaw);
    if (!Number.isInteger(maxResults) || maxResults < 0) throw new JiraError(400, [`The value '${maxRaw}' is invalid for maxResults.`]);
  }
  const pageSize = Math.min(Math.max(maxResults, 1), config.pageCap);
  const queryHash = createHash('sha256').update(args.jql).digest('hex').slice(0, 12);
  let offset = 0;
  if (args.nextPageToken) {
    const token = unb64(String(args.nextPageToken));
    const m = /^([0-9a-f]{12}):(\d+)$/.exec(token ?? '');
    if (!m || m[1] !== queryHash) throw new JiraError(400, ['Invalid nextPageToken.']);
    offset = Number(m[2]);
  }
  const wanted = wantedFields(args.fields);
  const page = found.slice(offset, offset + pageSize).map((issue) => shapeIssue(issue, wanted));
  const isLast = offset + pageSize >= found.length;
  const body = { issues: page };
  if (!isLast) body.nextPageToken = b64(`${queryHash}:${offset + pageSize}`);
  body.isLast = isLast;
  return body;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const JSON_TYPE = { 'Content-Type': 'application/json;charset=UTF-8' };
const REMOVED = {
  errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. '
    + 'A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'],
  errors: {},
};
let searchCalls = 0;

function answer(res, status, body, headers = {}) {
  send(res, status, { ...JSON_TYPE, ...headers }, JSON.stringify(body));
}

function authorized(header) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!m) return false;
  return Buffer.from(m[1], 'base64').toString('utf8') === `${config.email}:${config.token}`;
}

function unauthorized(res) {
  send(res, 401, { 'Content-Type': 'text/plain;charset=UTF-8', 'WWW-Authenticate': 'OAuth realm="https%3A%2F%2Facme.atlassian.net"' },
    'Client must be authenticated to access this resource.');
}

async function handle(req, res) {
  const body = await readBody(req, 1 << 20);
  const { rawPath, rawQuery } = splitTarget(req.url);
  const route = rawPath.replace(/\/+$/, '');
  if (route === '/_stats' && req.method === 'GET') {
    answer(res, 200, stats.toJSON());
    return;
  }
  if (route === '/_stats/reset' && req.method === 'POST') {
    stats.reset();
    answer(res, 200, { ok: true });
    return;
  }
  // GET /rest/api/3/myself: the account the credentials belong to (what `doctor` asks).
  if (route === '/rest/api/3/myself' && req.method === 'GET') {
    if (!authorized(req.headers.authorization)) {
      unauthorized(res);
      return;
    }
    answer(res, 200, {
      accountId: '5b10ac8d82e05b22cc7d4ef5', emailAddress: config.email,
      displayName: 'Stand-in Analyst', active: true, timeZone: 'UTC',
    });
    return;
  }
  const method = 'search/jql';
  if (/^\/rest\/api\/(2|3|latest)\/search$/.test(route)) {
    log(`${req.method} ${route} -> 410`);
    stats.bump(stats.calls, 'search');
    stats.bump(stats.errors, 'search');
    answer(res, 410, REMOVED);
    return;
  }
  if (route !== '/rest/api/3/search/jql') {
    answer(res, 404, { errorMessages: ['null for uri: ' + rawPath], errors: {} });
    return;
  }
  if (req.method !== 'GET' && req.method !== 'POST') {
    answer(res, 405, { errorMessages: ['Method Not Allowed'], errors: {} }, { Allow: 'GET, POST' });
    return;
  }
  searchCalls += 1;
  stats.bump(stats.calls, method);
  const done = (status, note = '') => {
    log(`${req.method} ${route} #${searchCalls} -> ${status}${note ? ` ${note}` : ''}`);
    stats.bump(status === 200 ? stats.ok : stats.errors, method);
  };

  const injected = failures.match('', searchCalls);
  if (injected === 'unauthorized' || !authorized(req.headers.authorization)) {
    done(401);
    unauthorized(res);
    return;
  }
  if (injected === 'http500' || injected === 'http503') {
    done(Number(injected.slice(4)));
    answer(res, Number(injected.slice(4)), { errorMessages: ['Internal server error'], errors: {} });
    return;
  }
  if (injected === 'malformed') {
    done(200, 'malformed');
    send(res, 200, JSON_TYPE, '{"issues":[{"id":"10001","key":"ABC-1","fields":{"summ');
    return;
  }

  const retryAfter = injected === 'ratelimited' ? 1 : limiter.take(method);
  if (retryAfter) {
    done(429);
    stats.bump(stats.rateLimited, method);
    const reset = new Date(Date.now() + retryAfter * 1000).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
    answer(res, 429, { errorMessages: ['Rate limit exceeded.'], errors: {} },
      { 'Retry-After': String(retryAfter), 'X-RateLimit-Reset': reset, 'RateLimit-Reason': 'jira-burst-based' });
    return;
  }
  let args;
  if (req.method === 'GET') {
    const q = new URLSearchParams(rawQuery);
    args = { jql: q.get('jql') ?? '', nextPageToken: q.get('nextPageToken') ?? undefined,
      maxResults: q.get('maxResults') ?? undefined, fields: q.getAll('fields').join(',') };
  } else {
    try {
      args = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      done(400);
      answer(res, 400, { errorMessages: ['Unexpected character in the request body.'], errors: {} });
      return;
    }
  }
  try {
    const result = search(args);
    stats.bump(stats.itemsServed, method, result.issues.length);
    done(200);
    answer(res, 200, result);
  } catch (err) {
    if (!(err instanceof JiraError)) throw err;
    done(err.status, err.messages[0]);
    answer(res, err.status, { errorMessages: err.messages, errors: {} });
  }
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    process.stderr.write(`jira-standin: ${err.stack}\n`);
    if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'stand-in error\n');
  });
});
await listen(server);
