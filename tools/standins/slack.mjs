#!/usr/bin/env node
// Stand-in for the Slack Web API methods slack-intel calls, serving ANY Slack export folder
// (the layout of Slack's own workspace export: channels.json, groups.json, mpims.json, dms.json,
// users.json and <conversation folder>/<YYYY-MM-DD>.json day files).
//
// Followed (docs.slack.dev / api.slack.com method pages; docs/standins.md lists what was checked
// and what is not modelled):
// - auth.test: "Special" rate limit ("hundreds of requests per minute"); served as Tier 4.
// - conversations.list: types (public_channel default, private_channel, mpim, im),
//   exclude_archived, limit (default 100, "no larger than 1000"), cursor; Tier 2.
// - conversations.history: channel, oldest, latest, inclusive ("Include messages with oldest or
//   latest timestamps in results. Ignored unless either timestamp is specified", default false),
//   limit (default 100, maximum 999), cursor; newest first; has_more; Tier 3. Returns channel
//   messages and thread parents, not thread replies, except replies broadcast to the channel
//   (subtype thread_broadcast).
// - conversations.replies: channel + ts; "If no replies, just the single message referenced by
//   ts will return"; parent first, then replies oldest first; cursor paging; Tier 3.
// - users.list: limit, cursor; no limit = the whole set; Tier 2.
// - Pagination guide: cursors are opaque base64 strings in response_metadata.next_cursor; an
//   empty next_cursor means the end.
// - Rate limits guide: HTTP 429 with Retry-After (seconds) and {"ok":false,"error":"ratelimited"};
//   the May 29, 2025 change for non-Marketplace apps: conversations.history and
//   conversations.replies at 1 request per minute with limit max and default 15.
// - Errors are HTTP 200 with {"ok":false,"error":CODE}; missing_scope also carries "needed" and
//   "provided" (the shape Slack's answers show).
//
// Requests: GET or POST https://HOST/api/<method>, parameters in the query string or in an
// application/x-www-form-urlencoded (or JSON) body; token as "Authorization: Bearer TOKEN" or as
// a "token" body parameter.
// Extra endpoints: GET /_stats (JSON counters: calls, errors, 429s, messages served, by method),
// POST /_stats/reset.
//
// Flags:
//   --export DIR             the export folder to serve (required)
//   --token TOKEN            the accepted token (default $SLACK_STANDIN_TOKEN or standin-slack-token)
//   --revoked-token TOKEN    a token answered with token_revoked
//   --rate-scale X           tier limits x X per window (Tier 2: 20, Tier 3: 50, Tier 4: 100);
//                            0 = unlimited (the default)
//   --rate-window-seconds S  length of the sliding window (default 60)
//   --rate-limit N/S         every method at N requests per sliding window of S seconds,
//                            instead of the tiers (a workspace whose quota differs)
//   --message-cap N          history/replies return at most N messages per call, whatever limit
//                            says (the limit's default also becomes N)
//   --non-marketplace        the 2025 non-Marketplace behaviour: --message-cap 15 and history /
//                            replies at 1 request per window (x --rate-scale, if not 0)
//   --fail METHOD:N:ERROR    the Nth call (1-based; "N+" = from N on, "%K" = every Kth, "*" =
//                            every) of METHOD ("*" = of every method, each counted apart)
//                            answers {"ok":false,"error":ERROR}; ERROR http500 = HTTP 500,
//                            malformed = truncated JSON, ratelimited = 429 with Retry-After: 1.
//                            Repeatable.
//   --not-member NAME        conversations.history/replies of this channel (name or id) answer
//                            not_in_channel, and conversations.list shows is_member false.
//                            Repeatable.
//   --scopes LIST            the token's scopes, reported in missing_scope's "provided"
//   --replies-parent-every-page   repeat the thread parent at the top of every replies page
//   --verbose                one line per request on stderr
import http from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listen } from './listen.mjs';
import { readBody, send, splitTarget } from './aws-common.mjs';
import {
  CallStats, SlidingWindowLimiter, b64, numberFlag, parseFailSpecs, parseFlags, requestParams, unb64,
  usageError,
} from './saas-common.mjs';

const USAGE = `usage: node slack.mjs --export DIR [--token TOKEN] [--revoked-token TOKEN]
  [--rate-scale X] [--rate-window-seconds S] [--rate-limit N/S] [--message-cap N] [--non-marketplace]
  [--fail METHOD:N:ERROR]... [--not-member NAME]... [--scopes LIST]
  [--replies-parent-every-page] [--verbose]
`;

const flags = parseFlags({
  'export': { type: 'string' },
  'token': { type: 'string' },
  'revoked-token': { type: 'string' },
  'rate-scale': { type: 'string' },
  'rate-window-seconds': { type: 'string' },
  'rate-limit': { type: 'string' },
  'message-cap': { type: 'string' },
  'non-marketplace': { type: 'boolean' },
  'fail': { type: 'string', multiple: true },
  'not-member': { type: 'string', multiple: true },
  'scopes': { type: 'string' },
  'replies-parent-every-page': { type: 'boolean' },
  'verbose': { type: 'boolean' },
}, USAGE);
if (!flags.export) usageError('--export is required', USAGE);
if (!existsSync(path.join(flags.export, 'channels.json'))) {
  usageError(`--export ${flags.export}: no channels.json there`, USAGE);
}

const nonMarketplace = Boolean(flags['non-marketplace']);
const config = {
  exportDir: flags.export,
  token: flags.token ?? process.env.SLACK_STANDIN_TOKEN ?? 'standin-slack-token',
  revokedToken: flags['revoked-token'],
  rateScale: numberFlag(flags, 'rate-scale', 0, USAGE),
  windowMs: numberFlag(flags, 'rate-window-seconds', 60, USAGE) * 1000,
  messageCap: numberFlag(flags, 'message-cap', nonMarketplace ? 15 : 0, USAGE),
  notMember: new Set(flags['not-member'] ?? []),
  scopes: flags.scopes ?? 'channels:read,groups:read,im:read,mpim:read,channels:history,groups:history,'
    + 'im:history,mpim:history,users:read',
  parentEveryPage: Boolean(flags['replies-parent-every-page']),
  verbose: Boolean(flags.verbose),
};
const uniformLimit = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(flags['rate-limit'] ?? '');
if (flags['rate-limit'] !== undefined && !uniformLimit) usageError('--rate-limit expects N/SECONDS, e.g. 1/1', USAGE);
const failures = parseFailSpecs(flags.fail, { withMethod: true }, USAGE);
const log = (line) => {
  if (config.verbose) process.stderr.write(`slack-standin: ${line}\n`);
};

// Rate-limit tiers (requests per minute) from each method's page.
const TIER_PER_MINUTE = {
  'auth.test': 100,
  'conversations.list': 20,
  'conversations.history': 50,
  'conversations.replies': 50,
  'users.list': 20,
};
function tierLimit(method) {
  if (config.rateScale === 0) return 0;
  const perMinute = nonMarketplace && (method === 'conversations.history' || method === 'conversations.replies')
    ? 1 : (TIER_PER_MINUTE[method] ?? 20);
  return Math.max(1, Math.floor(perMinute * config.rateScale));
}
const limiter = uniformLimit
  ? new SlidingWindowLimiter(() => Number(uniformLimit[1]), Number(uniformLimit[2]) * 1000)
  : new SlidingWindowLimiter(tierLimit, config.windowMs);
const stats = new CallStats();
stats.messagesServed = 0;

// ---------------------------------------------------------------------------------------------
// The export: conversation lists at start-up, messages lazily per conversation.

function readJsonIfPresent(name) {
  const file = path.join(config.exportDir, name);
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array`);
  return parsed;
}

const toNumber = (v) => (v === undefined || v === null || v === '' ? 0 : Number(v));

// A conversation as conversations.list shows it. Exports keep created / last_set as strings;
// the API has numbers.
function apiConversation(raw, kind) {
  const isMember = !config.notMember.has(raw.name) && !config.notMember.has(raw.id);
  const base = { id: raw.id, created: toNumber(raw.created) };
  if (kind === 'im') {
    const others = (raw.members ?? []).filter((u) => u !== SELF.user_id);
    return { ...base, is_im: true, is_org_shared: false, user: others[0] ?? raw.members?.[0] ?? raw.user ?? null,
      is_user_deleted: false, priority: 0 };
  }
  const textField = (f) => ({ value: f?.value ?? '', creator: f?.creator ?? '', last_set: toNumber(f?.last_set) });
  return {
    ...base,
    name: raw.name,
    name_normalized: raw.name,
    is_channel: kind === 'public_channel',
    is_group: kind === 'private_channel',
    is_im: false,
    is_mpim: kind === 'mpim',
    is_private: kind !== 'public_channel',
    is_archived: Boolean(raw.is_archived),
    is_general: Boolean(raw.is_general),
    unlinked: 0,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    is_member: isMember,
    creator: raw.creator ?? '',
    topic: textField(raw.topic),
    purpose: textField(raw.purpose),
    previous_names: raw.previous_names ?? [],
    num_members: (raw.members ?? []).length,
  };
}

const users = readJsonIfPresent('users.json');
const teamId = users.find((u) => u.team_id)?.team_id ?? 'T0STANDIN1';
const SELF = { user: 'slack-intel', user_id: 'U0STANDIN1', bot_id: 'B0STANDIN1' };

// Conversations in export order: channels, groups (private), mpims, dms. Folder: the name, or
// the id for DMs (which have no name).
const conversations = [];
for (const [file, kind] of [['channels.json', 'public_channel'], ['groups.json', 'private_channel'],
  ['mpims.json', 'mpim'], ['dms.json', 'im']]) {
  for (const raw of readJsonIfPresent(file)) {
    if (typeof raw?.id !== 'string') continue;
    conversations.push({ raw, kind, folder: kind === 'im' ? raw.id : raw.name, index: null });
  }
}
const conversationById = new Map(conversations.map((c) => [c.id ?? c.raw.id, c]));

// Slack ts "1452837318.000002" as integer microseconds (exact in a double until year 2255).
function tsToMicros(ts) {
  if (typeof ts !== 'string' && typeof ts !== 'number') return NaN;
  const m = /^(\d{1,10})(?:\.(\d{1,6})\d*)?$/.exec(String(ts).trim());
  if (!m) return NaN;
  return Number(m[1]) * 1e6 + Number((m[2] ?? '').padEnd(6, '0'));
}

function microsToTs(micros) {
  const sec = Math.floor(micros / 1e6);
  return `${sec}.${String(micros - sec * 1e6).padStart(6, '0')}`;
}

const KIND_TOP = 0;        // a channel message or a thread parent: shown by history
const KIND_REPLY = 1;      // a thread reply: only in replies
const KIND_BROADCAST = 2;  // a thread reply also sent to the channel: in both

// Parsed day files, most recently used last. Big exports are served by re-reading day files
// instead of keeping every message in memory.
const DAY_CACHE_FILES = 48;
const dayCache = new Map();
function dayFile(file) {
  let parsed = dayCache.get(file);
  if (parsed) {
    dayCache.delete(file);
  } else {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
    if (dayCache.size >= DAY_CACHE_FILES) dayCache.delete(dayCache.keys().next().value);
  }
  dayCache.set(file, parsed);
  return parsed;
}

// Builds a compact index of one conversation's messages: sorted ts, where each one lives, its
// kind, and the threads (computed from the data: reply count, users, latest reply).
function indexConversation(conv) {
  const started = Date.now();
  const dir = path.join(config.exportDir, conv.folder);
  let names = [];
  try {
    names = readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort();
  } catch {
    names = [];
  }
  const files = names.map((f) => path.join(dir, f));
  const ts = [];
  const fileNo = [];
  const pos = [];
  const kind = [];
  const threadTs = [];
  const user = [];
  files.forEach((file, fi) => {
    const messages = JSON.parse(readFileSync(file, 'utf8'));
    if (!Array.isArray(messages)) return;
    messages.forEach((m, pi) => {
      const micros = tsToMicros(m?.ts);
      if (!Number.isFinite(micros)) return;
      const parent = tsToMicros(m.thread_ts);
      let k = KIND_TOP;
      if (Number.isFinite(parent) && parent !== micros) k = m.subtype === 'thread_broadcast' ? KIND_BROADCAST : KIND_REPLY;
      ts.push(micros);
      fileNo.push(fi);
      pos.push(pi);
      kind.push(k);
      threadTs.push(k === KIND_TOP ? NaN : parent);
      user.push(m.user ?? m.bot_id ?? null);
    });
  });
  const order = Array.from(ts.keys()).sort((a, b) => ts[a] - ts[b]);
  const n = order.length;
  const idx = {
    files,
    ts: new Float64Array(n),
    fileNo: new Int32Array(n),
    pos: new Int32Array(n),
    kind: new Uint8Array(n),
    threadTs: new Float64Array(n),
    visible: null,      // sorted positions shown by history
    threads: new Map(), // parent micros -> { replies: [positions], users: [ids], latest, parentUser }
  };
  let count = 0;
  const visible = [];
  const userAt = [];
  for (const i of order) {
    if (count > 0 && idx.ts[count - 1] === ts[i]) continue;  // duplicate ts: the first one wins
    idx.ts[count] = ts[i];
    idx.fileNo[count] = fileNo[i];
    idx.pos[count] = pos[i];
    idx.kind[count] = kind[i];
    idx.threadTs[count] = threadTs[i];
    userAt.push(user[i]);
    if (kind[i] !== KIND_REPLY) visible.push(count);
    if (kind[i] !== KIND_TOP) {
      let t = idx.threads.get(threadTs[i]);
      if (!t) {
        t = { replies: [], users: [], latest: 0, parentUser: null };
        idx.threads.set(threadTs[i], t);
      }
      t.replies.push(count);
      if (user[i] && !t.users.includes(user[i])) t.users.push(user[i]);
      t.latest = ts[i];
    }
    count += 1;
  }
  for (const key of ['ts', 'fileNo', 'pos', 'kind', 'threadTs']) idx[key] = idx[key].subarray(0, count);
  idx.visible = Int32Array.from(visible);
  for (const [parent, t] of idx.threads) {
    const p = findExact(idx, parent);
    if (p >= 0) t.parentUser = userAt[p];
  }
  log(`indexed ${conv.folder}: ${count} messages, ${idx.threads.size} threads in ${Date.now() - started} ms`);
  return idx;
}

function conversationIndex(conv) {
  if (!conv.index) conv.index = indexConversation(conv);
  return conv.index;
}

// First position whose ts >= micros (ts is sorted ascending).
function lowerBound(idx, micros) {
  let lo = 0;
  let hi = idx.ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idx.ts[mid] < micros) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function findExact(idx, micros) {
  const p = lowerBound(idx, micros);
  return p < idx.ts.length && idx.ts[p] === micros ? p : -1;
}

// The message at a position, as the API shows it: the export's object (edited, files,
// attachments... as they are) plus thread metadata computed from the data.
function apiMessage(idx, p) {
  const original = dayFile(idx.files[idx.fileNo[p]])[idx.pos[p]];
  const m = { ...original };
  const thread = idx.threads.get(idx.ts[p]);
  if (idx.kind[p] === KIND_TOP && thread) {
    m.thread_ts = m.ts;
    m.reply_count = thread.replies.length;
    m.reply_users_count = thread.users.length;
    m.reply_users = [...thread.users];
    m.latest_reply = microsToTs(thread.latest);
    m.is_locked = m.is_locked ?? false;
    m.subscribed = m.subscribed ?? false;
  } else if (idx.kind[p] !== KIND_TOP) {
    const parentThread = idx.threads.get(idx.threadTs[p]);
    if (m.parent_user_id === undefined && parentThread?.parentUser) m.parent_user_id = parentThread.parentUser;
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Methods. Each returns the JSON body of a successful answer or throws SlackError.

class SlackError extends Error {
  constructor(code, extra = {}) {
    super(code);
    this.code = code;
    this.extra = extra;
  }
}

function parseLimit(raw, { fallback, max }) {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new SlackError('invalid_limit');
  if (n <= 0) return fallback;
  return Math.min(n, max);
}

function parseBool(raw) {
  return raw === 'true' || raw === '1' || raw === true;
}

function parseTsParam(raw, errorCode) {
  if (raw === undefined || raw === '') return undefined;
  const micros = tsToMicros(raw);
  if (!Number.isFinite(micros)) throw new SlackError(errorCode);
  return micros;
}

function nextTsCursor(micros) {
  return b64(`next_ts:${Math.round(micros)}`);
}

function parseNextTsCursor(cursor) {
  const text = unb64(cursor);
  const m = /^next_ts:(\d+)$/.exec(text ?? '');
  if (!m) throw new SlackError('invalid_cursor');
  return Number(m[1]);
}

// Cursor for list methods: the id of the first item of the next page, "team:C0123" or
// "user:U0123" like the cursors Slack hands out.
function pageByIdCursor(items, cursor, prefix, limit) {
  let start = 0;
  if (cursor) {
    const text = unb64(cursor);
    const id = text?.startsWith(`${prefix}:`) ? text.slice(prefix.length + 1) : null;
    start = id === null ? -1 : items.findIndex((it) => it.id === id);
    if (start < 0) throw new SlackError('invalid_cursor');
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return { page, nextCursor: next ? b64(`${prefix}:${next.id}`) : '' };
}

function scopeFor(method, conv) {
  const family = { public_channel: 'channels', private_channel: 'groups', mpim: 'mpim', im: 'im' }[conv?.kind ?? 'public_channel'];
  if (method === 'users.list') return 'users:read';
  if (method === 'conversations.list') return 'channels:read';
  return `${family}:history`;
}

function lookupConversation(params, method) {
  const id = params.channel;
  if (!id) throw new SlackError('channel_not_found');
  const conv = conversationById.get(id);
  if (!conv) throw new SlackError('channel_not_found');
  if (config.notMember.has(conv.raw.name) || config.notMember.has(conv.raw.id)) {
    throw new SlackError('not_in_channel');
  }
  void method;
  return conv;
}

function messageLimit(raw, { fallback, max }) {
  const cap = config.messageCap;
  const limit = parseLimit(raw, { fallback: cap ? Math.min(cap, fallback) : fallback, max });
  return cap ? Math.min(limit, cap) : limit;
}

const METHODS = {
  'auth.test': () => ({
    url: 'https://standin.slack.com/', team: 'Stand-in Workspace', user: SELF.user, team_id: teamId,
    user_id: SELF.user_id, bot_id: SELF.bot_id, is_enterprise_install: false,
  }),

  'conversations.list': (params) => {
    const wanted = (params.types ?? 'public_channel').split(',').map((t) => t.trim()).filter(Boolean);
    for (const t of wanted) {
      if (!['public_channel', 'private_channel', 'mpim', 'im'].includes(t)) throw new SlackError('invalid_types');
    }
    const excludeArchived = parseBool(params.exclude_archived);
    const limit = parseLimit(params.limit, { fallback: 100, max: 1000 });
    const items = conversations
      .filter((c) => wanted.includes(c.kind) && !(excludeArchived && c.raw.is_archived))
      .map((c) => ({ id: c.raw.id, conv: c }));
    const { page, nextCursor } = pageByIdCursor(items, params.cursor, 'team', limit);
    return { body: { channels: page.map((it) => apiConversation(it.conv.raw, it.conv.kind)),
      response_metadata: { next_cursor: nextCursor } }, served: page.length };
  },

  'users.list': (params) => {
    const limit = parseLimit(params.limit, { fallback: users.length || 1, max: 1000 });
    const items = users.filter((u) => typeof u?.id === 'string');
    const { page, nextCursor } = pageByIdCursor(items, params.cursor, 'user', limit);
    return { body: { members: page, cache_ts: Math.floor(Date.now() / 1000),
      response_metadata: { next_cursor: nextCursor } }, served: page.length };
  },

  'conversations.history': (params) => {
    const conv = lookupConversation(params, 'conversations.history');
    const oldest = parseTsParam(params.oldest, 'invalid_ts_oldest');
    const latest = parseTsParam(params.latest, 'invalid_ts_latest');
    const inclusive = parseBool(params.inclusive);
    const limit = messageLimit(params.limit, { fallback: 100, max: 999 });
    const idx = conversationIndex(conv);
    // Range of visible messages [a, b) within oldest..latest (exclusive unless inclusive). A
    // cursor continues below the last message served: next_ts is the first one not served yet.
    const vts = (i) => idx.ts[idx.visible[i]];
    const bound = (micros, strictlyAbove) => {
      let lo = 0;
      let hi = idx.visible.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (strictlyAbove ? vts(mid) <= micros : vts(mid) < micros) lo = mid + 1; else hi = mid;
      }
      return lo;
    };
    const a = oldest === undefined ? 0 : bound(oldest, !inclusive);
    let b = latest === undefined ? idx.visible.length : bound(latest, inclusive);
    if (params.cursor) b = Math.min(b, bound(parseNextTsCursor(params.cursor), true));
    const from = Math.max(a, b - limit);
    const messages = [];
    for (let i = b - 1; i >= from; i -= 1) messages.push(apiMessage(idx, idx.visible[i]));
    const hasMore = from > a;
    const body = { messages, has_more: hasMore, pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 };
    if (hasMore) body.response_metadata = { next_cursor: nextTsCursor(vts(from - 1)) };
    return { body, served: messages.length };
  },

  'conversations.replies': (params) => {
    const conv = lookupConversation(params, 'conversations.replies');
    if (params.ts === undefined || params.ts === '') throw new SlackError('thread_not_found');
    const target = parseTsParam(params.ts, 'thread_not_found');
    const oldest = parseTsParam(params.oldest, 'invalid_ts_oldest');
    const latest = parseTsParam(params.latest, 'invalid_ts_latest');
    const inclusive = parseBool(params.inclusive);
    const limit = messageLimit(params.limit, { fallback: 1000, max: 1000 });
    const idx = conversationIndex(conv);
    let p = findExact(idx, target);
    if (p < 0) throw new SlackError('thread_not_found');
    if (idx.kind[p] !== KIND_TOP) {
      // A reply's ts names its thread.
      p = findExact(idx, idx.threadTs[p]);
      if (p < 0) throw new SlackError('thread_not_found');
    }
    const replies = (idx.threads.get(idx.ts[p])?.replies ?? []).filter((r) => {
      const t = idx.ts[r];
      if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
      if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
      return true;
    });
    let start = 0;
    if (params.cursor) {
      const next = parseNextTsCursor(params.cursor);
      start = replies.findIndex((r) => idx.ts[r] >= next);
      if (start < 0) start = replies.length;
    }
    const withParent = start === 0 || config.parentEveryPage;
    const room = Math.max(0, withParent ? limit - 1 : limit);
    const page = replies.slice(start, start + room);
    const messages = [];
    if (withParent) messages.push(apiMessage(idx, p));
    for (const r of page) messages.push(apiMessage(idx, r));
    const hasMore = start + room < replies.length;
    const body = { messages, has_more: hasMore };
    if (hasMore) body.response_metadata = { next_cursor: nextTsCursor(idx.ts[replies[start + room]]) };
    return { body, served: messages.length };
  },
};

// ---------------------------------------------------------------------------------------------
// HTTP

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };
const calls = new Map();

function answer(res, status, body, headers = {}) {
  send(res, status, { ...JSON_TYPE, ...headers }, JSON.stringify(body));
}

async function handle(req, res) {
  const body = await readBody(req, 4 << 20);
  const { rawPath, rawQuery } = splitTarget(req.url);
  if (rawPath === '/_stats' && req.method === 'GET') {
    answer(res, 200, { ...stats.toJSON(), messages_served: stats.messagesServed });
    return;
  }
  if (rawPath === '/_stats/reset' && req.method === 'POST') {
    stats.reset();
    stats.messagesServed = 0;
    answer(res, 200, { ok: true });
    return;
  }
  const m = /^\/api\/([A-Za-z.]+)$/.exec(rawPath);
  if (!m) {
    answer(res, 404, { ok: false, error: 'unknown_method' });
    return;
  }
  const method = m[1];
  if (req.method !== 'GET' && req.method !== 'POST') {
    answer(res, 405, { ok: false, error: 'method_not_allowed' }, { Allow: 'GET, POST' });
    return;
  }
  const callNo = (calls.get(method) ?? 0) + 1;
  calls.set(method, callNo);
  stats.bump(stats.calls, method);
  const outcome = (status, code) => {
    log(`${req.method} ${method} #${callNo} -> ${status}${code ? ` ${code}` : ''}`);
    stats.bump(code || status !== 200 ? stats.errors : stats.ok, method);
  };

  const injected = failures.match(method, callNo);
  if (injected === 'http500') {
    outcome(500, 'http500');
    send(res, 500, { 'Content-Type': 'text/html' }, '<html><body>Internal Server Error</body></html>\n');
    return;
  }
  if (injected === 'malformed') {
    outcome(200, 'malformed');
    send(res, 200, JSON_TYPE, '{"ok":true,"messages":[{"type":"message","text":"trunc');
    return;
  }
  if (injected === 'ratelimited') {
    outcome(429, 'ratelimited');
    stats.bump(stats.rateLimited, method);
    answer(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '1' });
    return;
  }

  const { params, bodyError } = requestParams(rawQuery, req.headers['content-type'], body);
  const auth = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  // Slack reads the token from the Authorization header or a POST body parameter.
  const token = bearer ?? (req.method === 'POST' ? new URLSearchParams(body.toString('utf8')).get('token') : null);
  let code;
  let extra = {};
  if (bodyError) code = bodyError;
  else if (!token) code = 'not_authed';
  else if (config.revokedToken !== undefined && token === config.revokedToken) code = 'token_revoked';
  else if (token !== config.token) code = 'invalid_auth';
  if (code) {
    outcome(200, code);
    answer(res, 200, { ok: false, error: code });
    return;
  }

  const retryAfter = limiter.take(method);
  if (retryAfter) {
    outcome(429, 'ratelimited');
    stats.bump(stats.rateLimited, method);
    answer(res, 429, { ok: false, error: 'ratelimited' }, { 'Retry-After': String(retryAfter) });
    return;
  }

  if (injected !== undefined) {
    code = injected;
    if (code === 'missing_scope') {
      extra = { needed: scopeFor(method, conversationById.get(params.channel)), provided: config.scopes };
    }
  } else if (!METHODS[method]) {
    code = 'unknown_method';
  }
  if (!code) {
    try {
      const result = METHODS[method](params);
      const { body: payload, served } = result.body ? result : { body: result, served: 0 };
      stats.bump(stats.itemsServed, method, served);
      if (method === 'conversations.history' || method === 'conversations.replies') stats.messagesServed += served;
      outcome(200, null);
      // Slack names the token's scopes on every Web API reply.
      answer(res, 200, { ok: true, ...payload }, { 'X-OAuth-Scopes': config.scopes });
      return;
    } catch (err) {
      if (!(err instanceof SlackError)) throw err;
      code = err.code;
      extra = err.extra;
    }
  }
  outcome(200, code);
  answer(res, 200, { ok: false, error: code, ...extra });
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((err) => {
    process.stderr.write(`slack-standin: ${err.stack}\n`);
    if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'stand-in error\n');
  });
});
await listen(server);
