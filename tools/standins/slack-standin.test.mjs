// Tests of the Slack stand-in (slack.mjs), run as a child process the way the C++ tests start it.
// Run: cd tools && node --test standins/slack-standin.test.mjs
//
// Expectations are computed here straight from the export's files, independently of the
// server's index: which messages history must show, each thread's replies and metadata.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STANDINS_DIR, request, startServer } from './test-support.mjs';

const FIXTURE = path.resolve(STANDINS_DIR, '../../tests/testdata/slack-export-viewer-testarchive');
const GENERATOR = path.resolve(STANDINS_DIR, '../workspace-gen/generate.mjs');
const TOKEN = 'standin-slack-token';
const tempDir = mkdtempSync(path.join(tmpdir(), 'slack-standin-'));
const GENERATED = path.join(tempDir, 'ws');
after(() => rmSync(tempDir, { recursive: true, force: true }));

before(() => {
  execFileSync(process.execPath, [GENERATOR, '--seed', '42', '--channels', '5', '--days', '6',
    '--messages-per-day', '12', '--out', GENERATED], { stdio: ['ignore', 'pipe', 'inherit'] });
});

async function call(port, method, params = {}, { token = TOKEN, post = false } = {}) {
  const headers = token === null ? {} : { Authorization: `Bearer ${token}` };
  const form = new URLSearchParams(params).toString();
  const res = post
    ? await request(port, { method: 'POST', path: `/api/${method}`, body: form,
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' } })
    : await request(port, { path: `/api/${method}?${form}`, headers });
  let json = null;
  try {
    json = JSON.parse(res.body);
  } catch {
    json = null;
  }
  return { ...res, json };
}

// Follows response_metadata.next_cursor to the end; returns every page.
async function allPages(port, method, params) {
  const pages = [];
  let cursor = '';
  for (let guard = 0; guard < 100000; guard += 1) {
    const res = await call(port, method, cursor ? { ...params, cursor } : params);
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.ok, true, res.body);
    pages.push(res.json);
    cursor = res.json.response_metadata?.next_cursor ?? '';
    if (!cursor) return pages;
  }
  throw new Error('no end of pages');
}

// ---------------------------------------------------------------------------------------------
// The export, read independently.

const micros = (ts) => {
  const [s, f = ''] = String(ts).split('.');
  return Number(s) * 1e6 + Number(f.padEnd(6, '0'));
};

function readExport(dir) {
  const read = (f) => (existsSync(path.join(dir, f)) ? JSON.parse(readFileSync(path.join(dir, f), 'utf8')) : []);
  const convs = [
    ...read('channels.json').map((raw) => ({ raw, kind: 'public_channel', folder: raw.name })),
    ...read('groups.json').map((raw) => ({ raw, kind: 'private_channel', folder: raw.name })),
    ...read('mpims.json').map((raw) => ({ raw, kind: 'mpim', folder: raw.name })),
    ...read('dms.json').map((raw) => ({ raw, kind: 'im', folder: raw.id })),
  ];
  for (const c of convs) {
    const folder = path.join(dir, c.folder);
    c.messages = [];
    if (existsSync(folder)) {
      for (const f of readdirSync(folder).sort()) c.messages.push(...JSON.parse(readFileSync(path.join(folder, f), 'utf8')));
    }
    c.messages.sort((a, b) => micros(a.ts) - micros(b.ts));
    const isReply = (m) => m.thread_ts !== undefined && m.thread_ts !== m.ts;
    c.visible = c.messages.filter((m) => !isReply(m) || m.subtype === 'thread_broadcast');
    c.threads = new Map();
    for (const m of c.messages.filter(isReply)) {
      if (!c.threads.has(m.thread_ts)) c.threads.set(m.thread_ts, []);
      c.threads.get(m.thread_ts).push(m);
    }
  }
  return { convs, users: read('users.json') };
}

// ---------------------------------------------------------------------------------------------
describe('slack.mjs serving the real fixture export', () => {
  let srv;
  const ex = readExport(FIXTURE);
  before(async () => { srv = await startServer('slack.mjs', ['--export', FIXTURE]); });
  after(() => srv.stop());

  it('checks the token like Slack: HTTP 200 with not_authed / invalid_auth', async () => {
    const missing = await call(srv.port, 'auth.test', {}, { token: null });
    assert.equal(missing.status, 200);
    assert.deepEqual(missing.json, { ok: false, error: 'not_authed' });
    const wrong = await call(srv.port, 'auth.test', {}, { token: 'standin-wrong-token' });
    assert.deepEqual(wrong.json, { ok: false, error: 'invalid_auth' });
    const ok = await call(srv.port, 'auth.test');
    assert.equal(ok.json.ok, true);
    assert.match(ok.json.user_id, /^U/);
    assert.match(ok.headers['content-type'], /^application\/json/);
    // A token as a POST body parameter is accepted too.
    const bodyToken = await request(srv.port, { method: 'POST', path: '/api/auth.test', body: `token=${TOKEN}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(JSON.parse(bodyToken.body).ok, true);
  });

  it('lists the channels with API types (numbers, not the export strings)', async () => {
    const res = await call(srv.port, 'conversations.list', { types: 'public_channel,private_channel,mpim,im' });
    assert.deepEqual(res.json.channels.map((c) => c.name), ['enrique', 'traveling-sailor']);
    assert.equal(res.json.channels[0].created, 1452837318);
    assert.equal(res.json.channels[0].is_channel, true);
    assert.equal(res.json.response_metadata.next_cursor, '');
  });

  it('pages history newest-first and returns exactly the export, for every limit', async () => {
    for (const conv of ex.convs) {
      const want = conv.visible.map((m) => m.ts).reverse();
      for (const limit of [1, 7, 100, 999]) {
        const pages = await allPages(srv.port, 'conversations.history', { channel: conv.raw.id, limit });
        const got = pages.flatMap((p) => p.messages.map((m) => m.ts));
        assert.deepEqual(got, want, `${conv.raw.name} limit ${limit}`);
        assert.ok(pages.every((p) => p.messages.length <= limit));
        assert.ok(pages.slice(0, -1).every((p) => p.has_more === true));
        assert.equal(pages.at(-1).has_more, false);
        for (const p of pages.slice(0, -1)) {
          // Opaque base64 cursors, as Slack's look.
          assert.match(p.response_metadata.next_cursor, /^[A-Za-z0-9+/]+=*$/);
        }
      }
    }
  });

  it('serves messages as exported (bot messages, attachments, edits)', async () => {
    const conv = ex.convs[0];
    const pages = await allPages(srv.port, 'conversations.history', { channel: conv.raw.id, limit: 999 });
    const byTs = new Map(pages[0].messages.map((m) => [m.ts, m]));
    for (const m of conv.visible) assert.deepEqual(byTs.get(m.ts), m);
  });

  it('has oldest/latest exclusive by default and inclusive on request', async () => {
    const conv = ex.convs[0];
    const ts = conv.visible.map((m) => m.ts);
    const mid = ts[Math.floor(ts.length / 2)];
    const after = async (params) => (await allPages(srv.port, 'conversations.history',
      { channel: conv.raw.id, limit: 5, ...params })).flatMap((p) => p.messages.map((m) => m.ts));
    assert.deepEqual(await after({ oldest: mid }), ts.filter((t) => micros(t) > micros(mid)).reverse());
    assert.deepEqual(await after({ oldest: mid, inclusive: 'true' }), ts.filter((t) => micros(t) >= micros(mid)).reverse());
    assert.deepEqual(await after({ latest: mid }), ts.filter((t) => micros(t) < micros(mid)).reverse());
    assert.deepEqual(await after({ latest: mid, inclusive: '1' }), ts.filter((t) => micros(t) <= micros(mid)).reverse());
    assert.deepEqual(await after({ oldest: mid, latest: mid, inclusive: 'true' }), [mid]);
    assert.deepEqual(await after({ oldest: mid, latest: mid }), []);
    // Whole seconds and short fractions are timestamps too.
    const sec = mid.split('.')[0];
    assert.deepEqual(await after({ oldest: sec, latest: `${Number(sec) + 1}.0` }),
      ts.filter((t) => micros(t) > Number(sec) * 1e6 && micros(t) < (Number(sec) + 1) * 1e6).reverse());
    const bad = await call(srv.port, 'conversations.history', { channel: conv.raw.id, latest: 'yesterday' });
    assert.deepEqual(bad.json, { ok: false, error: 'invalid_ts_latest' });
  });

  it('answers channel_not_found, thread_not_found and invalid_cursor', async () => {
    assert.equal((await call(srv.port, 'conversations.history', { channel: 'C0NOPE' })).json.error, 'channel_not_found');
    assert.equal((await call(srv.port, 'conversations.history', {})).json.error, 'channel_not_found');
    const conv = ex.convs[0];
    assert.equal((await call(srv.port, 'conversations.replies', { channel: conv.raw.id, ts: '1.000001' })).json.error,
      'thread_not_found');
    assert.equal((await call(srv.port, 'conversations.history', { channel: conv.raw.id, cursor: 'bm9wZQ==' })).json.error,
      'invalid_cursor');
    // No replies: just the message itself.
    const single = await call(srv.port, 'conversations.replies', { channel: conv.raw.id, ts: conv.visible[3].ts });
    assert.deepEqual(single.json.messages.map((m) => m.ts), [conv.visible[3].ts]);
    assert.equal(single.json.has_more, false);
  });

  it('pages users.list through every member', async () => {
    for (const limit of [1, 3, 1000]) {
      const pages = await allPages(srv.port, 'users.list', { limit });
      assert.deepEqual(pages.flatMap((p) => p.members.map((u) => u.id)), ex.users.map((u) => u.id));
    }
    const all = await call(srv.port, 'users.list');
    assert.equal(all.json.members.length, ex.users.length);
  });
});

// ---------------------------------------------------------------------------------------------
describe('slack.mjs serving a generated workspace', () => {
  let srv;
  let ex;
  before(async () => {
    ex = readExport(GENERATED);
    srv = await startServer('slack.mjs', ['--export', GENERATED, '--not-member', 'random',
      '--revoked-token', 'standin-revoked-token']);
  });
  after(() => srv.stop());

  it('lists every conversation type with paging, and honours exclude_archived and types', async () => {
    const types = 'public_channel,private_channel,mpim,im';
    const want = ex.convs.map((c) => c.raw.id);
    for (const limit of [1, 2, 1000]) {
      const pages = await allPages(srv.port, 'conversations.list', { types, limit });
      assert.deepEqual(pages.flatMap((p) => p.channels.map((c) => c.id)), want);
    }
    const defaults = await call(srv.port, 'conversations.list');
    assert.deepEqual(defaults.json.channels.map((c) => c.id),
      ex.convs.filter((c) => c.kind === 'public_channel').map((c) => c.raw.id));
    const active = await call(srv.port, 'conversations.list', { types, exclude_archived: 'true' });
    assert.deepEqual(active.json.channels.map((c) => c.id), ex.convs.filter((c) => !c.raw.is_archived).map((c) => c.raw.id));
    assert.ok(active.json.channels.length < want.length, 'the generator makes an archived channel');
    const renamed = defaults.json.channels.find((c) => c.previous_names.length > 0);
    assert.ok(renamed, 'a renamed channel keeps previous_names');
    const random = defaults.json.channels.find((c) => c.name === 'random');
    assert.equal(random.is_member, false);
    const im = (await call(srv.port, 'conversations.list', { types: 'im' })).json.channels[0];
    assert.equal(im.is_im, true);
    assert.match(im.user, /^[UW]/);
    assert.equal((await call(srv.port, 'conversations.list', { types: 'bogus' })).json.error, 'invalid_types');
  });

  it('history returns top-level messages and broadcasts but no other replies, completely', async () => {
    let broadcasts = 0;
    for (const conv of ex.convs.filter((c) => c.raw.name !== 'random')) {
      const want = conv.visible.map((m) => m.ts).reverse();
      for (const limit of [3, 999]) {
        const got = (await allPages(srv.port, 'conversations.history', { channel: conv.raw.id, limit }))
          .flatMap((p) => p.messages);
        assert.deepEqual(got.map((m) => m.ts), want, `${conv.folder} limit ${limit}`);
        if (limit === 999) broadcasts += got.filter((m) => m.subtype === 'thread_broadcast').length;
      }
    }
    assert.ok(broadcasts > 0, 'broadcast replies show in history');
  });

  it('computes thread metadata from the replies, also where the export lacks it', async () => {
    let withoutMetadata = 0;
    for (const conv of ex.convs.filter((c) => c.raw.name !== 'random')) {
      const got = (await allPages(srv.port, 'conversations.history', { channel: conv.raw.id, limit: 999 }))
        .flatMap((p) => p.messages);
      for (const m of got) {
        const replies = conv.threads.get(m.ts);
        if (!replies || m.subtype === 'thread_broadcast') continue;
        const exported = conv.messages.find((x) => x.ts === m.ts);
        if (exported.reply_count === undefined) withoutMetadata += 1;
        assert.equal(m.thread_ts, m.ts);
        assert.equal(m.reply_count, replies.length);
        assert.equal(m.latest_reply, replies.at(-1).ts);
        assert.deepEqual(new Set(m.reply_users), new Set(replies.map((r) => r.user)));
        assert.equal(m.reply_users_count, new Set(replies.map((r) => r.user)).size);
      }
    }
    assert.ok(withoutMetadata > 0, 'the generator leaves metadata out of some parents');
  });

  it('replies: parent first, then every reply oldest-first, across pages and days', async () => {
    let spanningDays = 0;
    for (const conv of ex.convs.filter((c) => c.raw.name !== 'random')) {
      for (const [parentTs, replies] of conv.threads) {
        if (!conv.messages.some((m) => m.ts === parentTs)) continue;
        const want = [parentTs, ...replies.map((r) => r.ts)];
        for (const limit of [2, 1000]) {
          const got = (await allPages(srv.port, 'conversations.replies', { channel: conv.raw.id, ts: parentTs, limit }))
            .flatMap((p) => p.messages.map((m) => m.ts));
          assert.deepEqual(got, want, `${conv.folder} thread ${parentTs} limit ${limit}`);
        }
        const parentDay = new Date(micros(parentTs) / 1000).toISOString().slice(0, 10);
        if (replies.some((r) => new Date(micros(r.ts) / 1000).toISOString().slice(0, 10) !== parentDay)) spanningDays += 1;
      }
    }
    assert.ok(spanningDays > 0, 'some threads span days');
  });

  it('replies: oldest/latest filter the replies; a reply ts names its thread', async () => {
    const conv = ex.convs.find((c) => [...c.threads.values()].some((r) => r.length >= 3) && c.raw.name !== 'random');
    const [parentTs, replies] = [...conv.threads].find(([, r]) => r.length >= 3);
    const cut = replies[1].ts;
    const after = await call(srv.port, 'conversations.replies', { channel: conv.raw.id, ts: parentTs, oldest: cut });
    assert.deepEqual(after.json.messages.map((m) => m.ts), [parentTs, ...replies.slice(2).map((r) => r.ts)]);
    const incl = await call(srv.port, 'conversations.replies', { channel: conv.raw.id, ts: parentTs, oldest: cut, inclusive: 'true' });
    assert.deepEqual(incl.json.messages.map((m) => m.ts), [parentTs, ...replies.slice(1).map((r) => r.ts)]);
    const before = await call(srv.port, 'conversations.replies', { channel: conv.raw.id, ts: parentTs, latest: cut });
    assert.deepEqual(before.json.messages.map((m) => m.ts), [parentTs, replies[0].ts]);
    const viaReply = await call(srv.port, 'conversations.replies', { channel: conv.raw.id, ts: replies[2].ts });
    assert.equal(viaReply.json.messages[0].ts, parentTs);
    assert.ok(viaReply.json.messages.slice(1).every((m) => m.thread_ts === parentTs && m.parent_user_id));
  });

  it('serves edits, files and attachments unchanged', async () => {
    const conv = ex.convs[0];
    const got = (await allPages(srv.port, 'conversations.history', { channel: conv.raw.id, limit: 999 }))
      .flatMap((p) => p.messages);
    const edited = conv.visible.find((m) => m.edited && !conv.threads.has(m.ts));
    assert.deepEqual(got.find((m) => m.ts === edited.ts).edited, edited.edited);
    const share = conv.visible.find((m) => m.subtype === 'file_share');
    assert.deepEqual(got.find((m) => m.ts === share.ts).files, share.files);
  });

  it('answers not_in_channel for --not-member channels and token_revoked for --revoked-token', async () => {
    const random = ex.convs.find((c) => c.raw.name === 'random');
    assert.deepEqual((await call(srv.port, 'conversations.history', { channel: random.raw.id })).json,
      { ok: false, error: 'not_in_channel' });
    assert.deepEqual((await call(srv.port, 'auth.test', {}, { token: 'standin-revoked-token' })).json,
      { ok: false, error: 'token_revoked' });
  });

  it('counts calls, errors and messages served in /_stats', async () => {
    await request(srv.port, { method: 'POST', path: '/_stats/reset' });
    const conv = ex.convs[0];
    const pages = await allPages(srv.port, 'conversations.history', { channel: conv.raw.id, limit: 10 });
    await call(srv.port, 'auth.test', {}, { token: 'nope' });
    const stats = JSON.parse((await request(srv.port, { path: '/_stats' })).body);
    assert.equal(stats.calls['conversations.history'], pages.length);
    assert.equal(stats.messages_served, conv.visible.length);
    assert.equal(stats.errors['auth.test'], 1);
    assert.equal(stats.rate_limited_total, 0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('slack.mjs rate limits, message cap and injected errors', () => {
  const ex = readExport(FIXTURE);
  const conv = ex.convs[0];

  it('answers 429 with Retry-After past the scaled tier limit, per method', async () => {
    // Tier 3 x 0.05 = 2 per minute, Tier 2 x 0.05 = 1 per minute.
    const srv = await startServer('slack.mjs', ['--export', FIXTURE, '--rate-scale', '0.05']);
    try {
      for (let i = 0; i < 2; i += 1) {
        assert.equal((await call(srv.port, 'conversations.history', { channel: conv.raw.id })).status, 200);
      }
      const limited = await call(srv.port, 'conversations.history', { channel: conv.raw.id });
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.json, { ok: false, error: 'ratelimited' });
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      // Another method has its own window.
      assert.equal((await call(srv.port, 'users.list')).status, 200);
      assert.equal((await call(srv.port, 'users.list')).status, 429);
      const stats = JSON.parse((await request(srv.port, { path: '/_stats' })).body);
      assert.equal(stats.rate_limited_total, 2);
    } finally {
      await srv.stop();
    }
  });

  it('--non-marketplace caps history/replies at 15 messages and 1 call per window', async () => {
    const srv = await startServer('slack.mjs', ['--export', FIXTURE, '--non-marketplace', '--rate-scale', '1']);
    try {
      const first = await call(srv.port, 'conversations.history', { channel: conv.raw.id, limit: 999 });
      assert.equal(first.json.messages.length, 15);
      assert.equal(first.json.has_more, true);
      const second = await call(srv.port, 'conversations.history', { channel: conv.raw.id, limit: 999 });
      assert.equal(second.status, 429);
    } finally {
      await srv.stop();
    }
  });

  it('--message-cap alone caps pages and paging stays complete', async () => {
    const srv = await startServer('slack.mjs', ['--export', FIXTURE, '--message-cap', '15']);
    try {
      const pages = await allPages(srv.port, 'conversations.history', { channel: conv.raw.id, limit: 999 });
      assert.ok(pages.every((p) => p.messages.length <= 15));
      assert.deepEqual(pages.flatMap((p) => p.messages.map((m) => m.ts)), conv.visible.map((m) => m.ts).reverse());
      assert.equal(pages.length, Math.ceil(conv.visible.length / 15));
    } finally {
      await srv.stop();
    }
  });

  it('--fail injects Slack errors, HTTP 500, malformed JSON and 429 on the Nth call', async () => {
    const srv = await startServer('slack.mjs', ['--export', FIXTURE,
      '--fail', 'conversations.history:2:http500', '--fail', 'conversations.history:3:malformed',
      '--fail', 'users.list:1:missing_scope', '--fail', 'conversations.list:1+:ratelimited',
      '--fail', 'auth.test:1:invalid_auth', '--scopes', 'channels:read']);
    try {
      assert.deepEqual((await call(srv.port, 'auth.test')).json, { ok: false, error: 'invalid_auth' });
      assert.equal((await call(srv.port, 'auth.test')).json.ok, true);
      assert.equal((await call(srv.port, 'conversations.history', { channel: conv.raw.id })).json.ok, true);
      assert.equal((await call(srv.port, 'conversations.history', { channel: conv.raw.id })).status, 500);
      const malformed = await call(srv.port, 'conversations.history', { channel: conv.raw.id });
      assert.equal(malformed.status, 200);
      assert.equal(malformed.json, null);
      assert.equal((await call(srv.port, 'conversations.history', { channel: conv.raw.id })).json.ok, true);
      assert.deepEqual((await call(srv.port, 'users.list')).json,
        { ok: false, error: 'missing_scope', needed: 'users:read', provided: 'channels:read' });
      for (let i = 0; i < 2; i += 1) {
        const limited = await call(srv.port, 'conversations.list');
        assert.equal(limited.status, 429);
        assert.equal(limited.headers['retry-after'], '1');
      }
    } finally {
      await srv.stop();
    }
  });

  it('--rate-limit N/S limits every method alike; --fail *:%K: refuses every Kth call of each', async () => {
    const srv = await startServer('slack.mjs', ['--export', FIXTURE, '--rate-limit', '2/30',
      '--fail', '*:%3:ratelimited']);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await call(srv.port, 'auth.test')).status);
      // Calls 1 and 2 fill the window, 3 is injected, 4 finds the window full.
      assert.deepEqual(statuses, [200, 200, 429, 429]);
      const full = await call(srv.port, 'auth.test');
      assert.ok(Number(full.headers['retry-after']) >= 28, 'seconds until a slot frees');
      assert.equal((await call(srv.port, 'users.list')).status, 200, 'counted per method');
    } finally {
      await srv.stop();
    }
  });

  it('prints only the listening line on stdout, even with --verbose', async () => {
    const srv = await startServer('slack.mjs', ['--export', FIXTURE, '--verbose']);
    try {
      await call(srv.port, 'auth.test');
      await call(srv.port, 'conversations.history', { channel: conv.raw.id });
      assert.match(srv.stdout(), /^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
      assert.match(srv.stderr(), /conversations\.history/);
      assert.ok(!srv.stderr().includes(TOKEN), 'no token in logs');
    } finally {
      await srv.stop();
    }
  });
});
