// Tests of the workspace generator: same seed, same bytes; the quirks it promises are present;
// day files are bucketed by the Los Angeles date of each ts; the summary matches the files.
// Run: cd tools && node --test workspace-gen/generate.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const GENERATOR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'generate.mjs');
const tempDir = mkdtempSync(path.join(tmpdir(), 'workspace-gen-'));
after(() => rmSync(tempDir, { recursive: true, force: true }));

function generate(name, args) {
  const out = path.join(tempDir, name);
  const stdout = execFileSync(process.execPath, [GENERATOR, ...args, '--out', out], { encoding: 'utf8' });
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'one summary line on stdout');
  return { out, summary: JSON.parse(lines[0]) };
}

function treeDigest(dir) {
  const h = createHash('sha256');
  const walk = (rel) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = path.join(rel, name);
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else h.update(r).update('\0').update(readFileSync(path.join(dir, r))).update('\0');
    }
  };
  walk('');
  return h.digest('hex');
}

const LA_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' });

const ARGS = ['--seed', '7', '--channels', '7', '--days', '9', '--users', '24', '--messages-per-day', '30',
  '--start', '2026-03-05'];  // spans the March 8 daylight-saving change in Los Angeles

describe('workspace-gen/generate.mjs', () => {
  let a;
  let ws;
  before(() => {
    a = generate('a', [...ARGS, '--zip']);
    const read = (f) => JSON.parse(readFileSync(path.join(a.out, f), 'utf8'));
    ws = { users: read('users.json'), channels: read('channels.json'), groups: read('groups.json'),
      mpims: read('mpims.json'), dms: read('dms.json'), messages: [], byConv: new Map() };
    const convs = [...ws.channels, ...ws.groups, ...ws.mpims].map((c) => [c.name, c])
      .concat(ws.dms.map((d) => [d.id, d]));
    for (const [folder] of convs) {
      const list = [];
      for (const f of readdirSync(path.join(a.out, folder)).sort()) {
        for (const m of JSON.parse(readFileSync(path.join(a.out, folder, f), 'utf8'))) list.push({ m, day: f.slice(0, 10) });
      }
      ws.byConv.set(folder, list);
      ws.messages.push(...list.map((x) => x.m));
    }
  });

  it('is deterministic: the same flags give identical bytes, another seed does not', () => {
    const b = generate('b', [...ARGS, '--zip']);
    assert.equal(treeDigest(a.out), treeDigest(b.out));
    assert.ok(readFileSync(`${a.out}.zip`).equals(readFileSync(`${b.out}.zip`)));
    assert.deepEqual({ ...a.summary, out: null, zip: null }, { ...b.summary, out: null, zip: null });
    const c = generate('c', ['--seed', '8', ...ARGS.slice(2)]);
    assert.notEqual(treeDigest(a.out), treeDigest(c.out));
  });

  it('prints a summary that matches the files', () => {
    const replies = ws.messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts);
    assert.equal(a.summary.messages, ws.messages.length);
    assert.equal(a.summary.replies, replies.length);
    assert.equal(a.summary.users, ws.users.length);
    assert.equal(a.summary.channels, ws.channels.length);
    assert.equal(a.summary.private_channels, ws.groups.length);
  });

  it('buckets day files by the Los Angeles date of ts, with unique well-formed ts', () => {
    for (const [folder, list] of ws.byConv) {
      const seen = new Set();
      for (const { m, day } of list) {
        assert.match(m.ts, /^\d{10}\.\d{6}$/);
        assert.equal(LA_DATE.format(new Date(Number(m.ts.split('.')[0]) * 1000)), day, `${folder} ${m.ts}`);
        assert.ok(!seen.has(m.ts), `duplicate ts ${m.ts} in ${folder}`);
        seen.add(m.ts);
      }
    }
  });

  it('has the channel quirks: private, archived, renamed, unicode names, group DM and DM', () => {
    assert.ok(ws.groups.length >= 1);
    assert.ok(ws.channels.some((c) => c.is_archived));
    assert.ok([...ws.channels, ...ws.groups].some((c) => c.previous_names?.length));
    assert.ok(ws.channels.some((c) => /[^\x00-\x7f]/.test(c.name)));
    assert.ok(ws.channels.some((c) => c.name.includes('_')) && ws.channels.some((c) => c.name.includes('-')));
    assert.ok(ws.channels.every((c) => !/[\s.A-Z]/.test(c.name)), 'Slack names: no spaces, dots or capitals');
    assert.equal(ws.mpims.length, 1);
    assert.equal(ws.dms.length, 1);
    assert.ok(ws.byConv.get(ws.dms[0].id).length > 0, 'DM folder named by id');
  });

  it('has the user quirks: bots, deleted users, authors missing from users.json', () => {
    const ids = new Set(ws.users.map((u) => u.id));
    assert.ok(ws.users.some((u) => u.is_bot && u.profile.bot_id));
    assert.ok(ws.users.some((u) => u.deleted));
    const bot = ws.messages.find((m) => m.subtype === 'bot_message');
    assert.ok(bot.bot_id && bot.user === undefined);
    assert.ok(ws.messages.some((m) => m.user && !ids.has(m.user)), 'an author missing from users.json');
    const deleted = new Set(ws.users.filter((u) => u.deleted).map((u) => u.id));
    assert.ok(ws.messages.some((m) => deleted.has(m.user)), 'a message by a deleted user');
  });

  it('has threads across days, broadcasts, parents with and without metadata', () => {
    let spanning = 0;
    for (const [, list] of ws.byConv) {
      const dayOf = new Map(list.map(({ m, day }) => [m.ts, day]));
      for (const { m, day } of list) {
        if (m.thread_ts && m.thread_ts !== m.ts) {
          assert.ok(Number(m.ts) > Number(m.thread_ts));
          if (dayOf.has(m.thread_ts) && dayOf.get(m.thread_ts) !== day) spanning += 1;
        }
      }
    }
    assert.ok(spanning > 0, 'replies in later day files than their parent');
    assert.ok(ws.messages.some((m) => m.subtype === 'thread_broadcast'));
    const replied = new Set(ws.messages.filter((m) => m.thread_ts && m.thread_ts !== m.ts).map((m) => m.thread_ts));
    const parents = ws.messages.filter((m) => replied.has(m.ts));
    assert.ok(parents.some((m) => m.reply_count !== undefined));
    assert.ok(parents.some((m) => m.reply_count === undefined));
    for (const p of parents.filter((m) => m.reply_count !== undefined)) {
      const replies = ws.messages.filter((m) => m.thread_ts === p.ts && m.ts !== p.ts);
      assert.equal(p.reply_count, replies.length);
      assert.equal(p.latest_reply, replies.map((r) => r.ts).sort().at(-1));
    }
  });

  it('has the content quirks: edits, files, attachments, no text, Jira keys, mentions, odd text', () => {
    const texts = ws.messages.map((m) => m.text ?? '');
    assert.ok(ws.messages.some((m) => m.edited?.user && m.edited?.ts));
    const share = ws.messages.find((m) => m.subtype === 'file_share');
    assert.ok(share.files.length >= 1 && share.files[0].id.startsWith('F'));
    assert.ok(ws.messages.some((m) => m.attachments?.length && m.text === ''));
    assert.ok(ws.messages.some((m) => m.text === undefined), 'a message without a text field');
    assert.ok(texts.some((t) => /\b[A-Z][A-Z0-9]+-\d+\b/.test(t) && !t.includes('atlassian.net')));
    assert.ok(texts.some((t) => /<https:\/\/acme\.atlassian\.net\/browse\/([A-Z]+-\d+)\|\1>/.test(t)));
    assert.ok(texts.some((t) => /<@[UW][A-Z0-9]+>/.test(t)));
    assert.ok(texts.some((t) => /\p{Extended_Pictographic}/u.test(t)));
    assert.ok(texts.some((t) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(t)));
    assert.ok(texts.some((t) => /[éèçüñ]/.test(t)));
    assert.ok(texts.some((t) => t.includes('\n')) && texts.some((t) => t.includes('\t')) && texts.some((t) => t.includes('"')));
  });

  it('writes a valid ZIP of the same files', () => {
    const zip = readFileSync(`${a.out}.zip`);
    const end = zip.length - 22;
    assert.equal(zip.readUInt32LE(end), 0x06054b50);
    const entries = zip.readUInt16LE(end + 10);
    let p = zip.readUInt32LE(end + 16);
    let checked = 0;
    for (let i = 0; i < entries; i += 1) {
      assert.equal(zip.readUInt32LE(p), 0x02014b50);
      const size = zip.readUInt32LE(p + 20);
      const nameLen = zip.readUInt16LE(p + 28);
      const local = zip.readUInt32LE(p + 42);
      const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      const localNameLen = zip.readUInt16LE(local + 26);
      const data = inflateRawSync(zip.subarray(local + 30 + localNameLen, local + 30 + localNameLen + size));
      assert.ok(data.equals(readFileSync(path.join(a.out, name))), name);
      checked += 1;
      p += 46 + nameLen;
    }
    assert.ok(checked > 10);
  });
});
