#!/usr/bin/env node
// Seeded, deterministic generator of Slack workspace export folders, in the layout of Slack's own
// export (see tests/testdata/slack-export-viewer-testarchive): channels.json,
// groups.json (private channels), mpims.json, dms.json, users.json and
// <conversation folder>/<YYYY-MM-DD>.json day files (folder = name; a DM's folder is its id).
//
//   node tools/workspace-gen/generate.mjs --seed N --channels C --days D [--users U]
//     [--messages-per-day M] [--start 2026-01-01] [--dms N] [--mpims N] --out DIR [--zip]
//
// Same flags, same bytes. Prints one JSON summary line on stdout (counts of conversations,
// users, messages, replies, ...). Streams one day at a time, so 1,000,000 messages need little
// memory: only thread replies that fall on later days are held until their day is written.
//
// What the data exercises (docs/standins.md has the list): public and private channels with
// unicode, dash and underscore names, one archived and one renamed channel (previous_names), a
// group DM and a DM; humans, bots (bot_message with bot_id and no user), deleted users, users
// referenced in messages but absent from users.json; threads whose replies fall on later days
// (each reply in the day file of its own ts), thread_broadcast replies, parents with and without
// the thread metadata Slack exports carry; edits (edited), file shares (file_share + files[]),
// legacy attachments, messages with empty or no text, Jira keys in text and in
// <https://acme.atlassian.net/browse/OPS-42|OPS-42> links, mentions <@U...>, emoji, CJK and
// accented text, quotes, backslashes, tabs and newlines.
//
// Day files are bucketed by the date of ts in America/Los_Angeles, as Slack's exporter does;
// ts strings are "SSSSSSSSSS.UUUUUU", unique per conversation. All text comes from the word
// lists below; nothing is copied chat data.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';

const USAGE = `usage: node generate.mjs --seed N --channels C --days D [--users U] [--messages-per-day M]
  [--start YYYY-MM-DD] [--dms N] [--mpims N] --out DIR [--zip]
`;

function fail(message) {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: {
    'seed': { type: 'string' }, 'channels': { type: 'string' }, 'days': { type: 'string' },
    'users': { type: 'string' }, 'messages-per-day': { type: 'string' }, 'start': { type: 'string' },
    'dms': { type: 'string' }, 'mpims': { type: 'string' }, 'out': { type: 'string' },
    'zip': { type: 'boolean' }, 'help': { type: 'boolean' },
  }, strict: true, allowPositionals: false }));
} catch (err) {
  fail(err.message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const intArg = (name, fallback, min) => {
  const raw = values[name];
  if (raw === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(raw) || Number(raw) < min) fail(`--${name} must be an integer >= ${min}, got '${raw}'`);
  return Number(raw);
};
const opts = {
  seed: intArg('seed', undefined, 0),
  channels: intArg('channels', undefined, 1),
  days: intArg('days', undefined, 1),
  users: intArg('users', 20, 3),
  perDay: intArg('messages-per-day', 40, 0),
  dms: intArg('dms', 1, 0),
  mpims: intArg('mpims', 1, 0),
  start: values.start ?? '2026-01-01',
  out: values.out ?? fail('--out is required'),
  zip: Boolean(values.zip),
};
if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.start) || Number.isNaN(Date.parse(`${opts.start}T00:00:00Z`))) {
  fail(`--start must be YYYY-MM-DD, got '${opts.start}'`);
}

// ---------------------------------------------------------------------------------------------
// Randomness: sfc32 seeded from the seed through splitmix32, so every run with the same flags
// draws the same numbers in the same order.

function splitmix32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}
const mix = splitmix32(opts.seed ^ 0x5eed1e55);
let [sa, sb, sc, sd] = [mix(), mix(), mix(), mix()];
function rand() {
  sa >>>= 0; sb >>>= 0; sc >>>= 0; sd >>>= 0;
  const t = (sa + sb + sd) >>> 0;
  sd = (sd + 1) >>> 0;
  sa = sb ^ (sb >>> 9);
  sb = (sc + (sc << 3)) >>> 0;
  sc = ((sc << 21) | (sc >>> 11)) >>> 0;
  sc = (sc + t) >>> 0;
  return t / 4294967296;
}
for (let i = 0; i < 16; i += 1) rand();
const int = (n) => Math.floor(rand() * n);              // 0 .. n-1
const pick = (arr) => arr[int(arr.length)];
const chance = (p) => rand() < p;
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const usedIds = new Set();
function newId(prefix, length = 10) {
  for (;;) {
    let id = prefix;
    for (let i = 0; i < length - 1; i += 1) id += ID_CHARS[int(ID_CHARS.length)];
    if (!usedIds.has(id)) {
      usedIds.add(id);
      return id;
    }
  }
}
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');

// ---------------------------------------------------------------------------------------------
// Word lists (written for this generator).

const WORDS = ('deploy build cache parquet bucket sync schema partition rollout canary metrics dashboard alert '
  + 'latency budget migration index shard replica backup restore review merge branch release ticket sprint '
  + 'standup retro roadmap incident pager runbook query table column writer reader footer page row group '
  + 'codec snappy zstd lambda cron queue worker pool thread timeout retry backoff token scope channel thread '
  + 'export import archive invoice customer onboarding feedback design mockup copy launch demo').split(' ');
const OPENERS = ['Heads up:', 'FYI', 'Quick question:', 'Reminder:', 'Update:', 'Status:', 'Looks like',
  'I think', 'Can someone check', 'Done:', 'Blocked on', 'Shipping', 'Rolling back', 'Good news:'];
const CLOSERS = ['thanks!', 'any ideas?', 'will follow up.', 'ETA tomorrow.', 'see thread.', 'LGTM.',
  'please review.', 'on it.', 'nice work everyone.', 'ping me if needed.'];
const MULTIBYTE = ['🚀 shipped', '✅ done', '🔥🔥 hot fix', 'café au lait ☕', 'naïve façade déjà vu',
  'Grüße aus München', 'ça marche très bien', 'こんにちは、デプロイ完了です', '数据管道已更新', '회의는 내일입니다',
  'señal débil en Málaga', 'Ελληνικά γράμματα', 'emoji zwj 👩‍💻 and flag 🇯🇵', 'test ∑ ≠ ∞ µs', 'Ｆｕｌｌｗｉｄｔｈ text'];
const ODD = ['she said "ship it" and left', 'path C:\\temp\\new\\table', "it's 'quoted' twice",
  'line one\nline two\n\nline four', 'col1\tcol2\tcol3', 'angle &lt;b&gt; and &amp; escaped',
  '   leading and trailing spaces   ', 'trailing backslash \\', '{"json":"inside", "n": [1,2]}',
  'semi;colon,comma|pipe', 'a "double" and a \'single\' and a `tick`'];
const FIRST = ['Alice', 'Bilal', 'Chen', 'Dana', 'Émile', 'Farah', 'Giulia', 'Hiro', 'Ingrid', 'José',
  'Kwame', 'Léa', 'Mateus', 'Nadia', 'Oğuz', 'Priya', 'Quinn', 'Rosa', 'Søren', 'Tomás', 'Uma', 'Viktor',
  'Wen', 'Ximena', 'Yara', 'Zoë', '美咲', 'Łukasz', 'Jürgen', 'Anaïs'];
const LAST = ['Abara', 'Berg', 'Castillo', 'Dubois', 'Eriksen', 'Fujita', 'García', 'Hoffmann', 'Iyer',
  'Jansen', 'Kowalski', 'Lindqvist', 'Müller', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Sato', 'Tanaka',
  'Novák', 'Ødegaard', '王', 'Ñúñez'];
const JIRA_PROJECTS = ['OPS', 'ABC', 'PLAT', 'DATA', 'WEB'];
const CHANNEL_NAMES = ['general', 'random', 'eng-backend', 'ops_incidents', 'données-équipe', 'プロジェクト-alpha',
  'design_review', 'data-pipeline', 'support-tier2', 'release-train', 'sales_emea', 'ñandú-team'];
const FILE_NAMES = [['report.pdf', 'application/pdf', 'pdf', 'PDF'], ['screenshot.png', 'image/png', 'png', 'PNG'],
  ['résumé final (v2).pdf', 'application/pdf', 'pdf', 'PDF'], ['スクリーンショット.png', 'image/png', 'png', 'PNG'],
  ['notes.txt', 'text/plain', 'text', 'Plain Text'], ['query results.csv', 'text/csv', 'csv', 'CSV'],
  ['diagram.svg', 'image/svg+xml', 'svg', 'SVG']];

function sentence() {
  const n = 3 + int(9);
  const words = [];
  for (let i = 0; i < n; i += 1) words.push(pick(WORDS));
  return `${pick(OPENERS)} ${words.join(' ')} ${pick(CLOSERS)}`;
}

// ---------------------------------------------------------------------------------------------
// Time: day boundaries in America/Los_Angeles.

const LA = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23',
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
function laOffsetMs(instantMs) {
  const p = Object.fromEntries(LA.formatToParts(new Date(instantMs)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(instantMs / 1000) * 1000;
}
// Epoch ms of local midnight starting the given calendar date in Los Angeles.
function laMidnight(y, m, d) {
  const wallMidnight = Date.UTC(y, m, d);
  let instant = wallMidnight - laOffsetMs(wallMidnight + 8 * 3600_000);
  const again = wallMidnight - laOffsetMs(instant);
  if (again !== instant) instant = again;
  return instant;
}
const [y0, m0, d0] = opts.start.split('-').map(Number);
const dayStart = [];   // dayStart[i] = epoch ms of day i's local midnight; one extra for the end
const dayName = [];
for (let i = 0; i <= opts.days; i += 1) {
  const date = new Date(Date.UTC(y0, m0 - 1, d0 + i));
  dayStart.push(laMidnight(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  dayName.push(date.toISOString().slice(0, 10));
}
const rangeEndMs = dayStart[opts.days];
function dayOf(ms) {
  let lo = 0;
  let hi = opts.days;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (dayStart[mid] <= ms) lo = mid; else hi = mid - 1;
  }
  return lo;
}
const tsString = (micros) => `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;

// ---------------------------------------------------------------------------------------------
// Users.

const teamId = newId('T', 9);
const users = [];
const humans = [];
const bots = [];
for (let i = 0; i < opts.users; i += 1) {
  const isBot = i > 0 && i % 7 === 3;
  const deleted = !isBot && (i % 11 === 5);
  const first = FIRST[(i * 7 + opts.seed) % FIRST.length];
  const last = LAST[(i * 5 + opts.seed) % LAST.length];
  const id = newId('U', 11);
  const name = isBot ? `${pick(WORDS)}-bot` : `${first}.${last}`.toLowerCase().normalize('NFKD').replace(/[^a-z.]/g, '') || `user${i}`;
  const realName = isBot ? `${name} (bot)` : `${first} ${last}`;
  const hash = hex(12);
  const profile = {
    title: isBot ? '' : pick(['', 'Engineer', 'SRE', 'Product', 'Designer', 'Data Analyst']),
    phone: '', skype: '', real_name: realName, real_name_normalized: realName.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''),
    display_name: isBot ? name : first, display_name_normalized: isBot ? name : first,
    fields: null, status_text: '', status_emoji: '', avatar_hash: `g${hash.slice(0, 11)}`,
    first_name: isBot ? '' : first, last_name: isBot ? '' : last,
    image_24: `https://avatars.example.invalid/${hash}-24.png`, image_72: `https://avatars.example.invalid/${hash}-72.png`,
    team: teamId,
  };
  const user = {
    id, team_id: teamId, name, deleted, color: hex(6), real_name: realName,
    tz: 'America/Los_Angeles', tz_label: 'Pacific Standard Time', tz_offset: -28800, profile,
    is_admin: i === 0, is_owner: i === 0, is_primary_owner: i === 0, is_restricted: false,
    is_ultra_restricted: false, is_bot: isBot, is_app_user: false, updated: Math.floor(dayStart[0] / 1000) - 86400 * (1 + i),
  };
  if (isBot) {
    profile.bot_id = newId('B', 11);
    user.is_bot = true;
    bots.push(user);
  } else {
    humans.push(user);
  }
  if (deleted) {
    // Deleted users in exports keep their profile and lose their admin flags.
    user.is_admin = false;
    user.is_owner = false;
  }
  users.push(user);
}
if (bots.length === 0) {
  // A workspace always has at least one integration posting as a bot.
  const profile = { real_name: 'deploy-bot', display_name: 'deploy-bot', bot_id: newId('B', 11), team: teamId };
  const bot = { id: newId('U', 11), team_id: teamId, name: 'deploy-bot', deleted: false, real_name: 'deploy-bot',
    profile, is_bot: true, is_app_user: false, updated: Math.floor(dayStart[0] / 1000) };
  bots.push(bot);
  users.push(bot);
}
// Users who wrote messages but are missing from users.json (left before the export, or from
// another workspace of a shared channel).
const ghosts = [newId('U', 11), newId('W', 11)];
const activeHumans = humans.filter((u) => !u.deleted);
const author = () => (chance(0.03) ? pick(ghosts) : chance(0.04) ? pick(humans).id : pick(activeHumans).id);

// ---------------------------------------------------------------------------------------------
// Conversations.

const conversations = [];
const createdBase = Math.floor(dayStart[0] / 1000) - 30 * 86400;
for (let i = 0; i < opts.channels; i += 1) {
  const name = i < CHANNEL_NAMES.length ? CHANNEL_NAMES[i] : `team-${WORDS[i % WORDS.length]}-${i}`;
  const isPrivate = i % 4 === 3;
  const members = activeHumans.filter((_, j) => i === 0 || (j + i) % 3 !== 0).map((u) => u.id);
  conversations.push({
    kind: isPrivate ? 'private_channel' : 'public_channel',
    folder: name,
    weight: i === 0 ? 1 : 0.3 + rand() * 1.2,
    archivedAfterDay: null,
    renameDay: null,
    raw: {
      id: newId(isPrivate ? 'G' : 'C', 11), name, created: String(createdBase + i * 3600),
      creator: humans[0].id, is_archived: false, is_general: i === 0, members,
      topic: { value: i === 0 ? 'Company-wide announcements & "everything else"' : '', creator: '', last_set: '0' },
      purpose: { value: `The ${name} channel`, creator: humans[0].id, last_set: String(createdBase + i * 3600) },
    },
  });
}
const publicChannels = conversations.filter((c) => c.kind === 'public_channel');
if (publicChannels.length >= 3) {
  const archived = publicChannels[publicChannels.length - 1];
  archived.raw.is_archived = true;
  archived.archivedAfterDay = Math.max(0, Math.floor(opts.days / 2));
}
if (conversations.length >= 3) {
  const renamed = conversations[2];
  renamed.raw.previous_names = ['backend', 'eng-backend-old'];
  renamed.renameDay = Math.floor(opts.days / 3);
}
for (let i = 0; i < opts.mpims && activeHumans.length >= 3; i += 1) {
  const members = [0, 1, 2].map((k) => activeHumans[(i + k) % activeHumans.length]);
  const name = `mpdm-${members.map((u) => u.name).join('--')}-1`;
  conversations.push({ kind: 'mpim', folder: name, weight: 0.2, archivedAfterDay: null, renameDay: null,
    raw: { id: newId('G', 11), name, created: String(createdBase), creator: members[0].id, is_archived: false,
      is_general: false, members: members.map((u) => u.id),
      topic: { value: '', creator: '', last_set: '0' }, purpose: { value: `Group messaging with: ${members.map((u) => `@${u.name}`).join(' ')}`, creator: members[0].id, last_set: String(createdBase) } } });
}
for (let i = 0; i < opts.dms && activeHumans.length >= 2; i += 1) {
  const a = activeHumans[i % activeHumans.length];
  const b = activeHumans[(i + 1) % activeHumans.length];
  const id = newId('D', 11);
  conversations.push({ kind: 'im', folder: id, weight: 0.15, archivedAfterDay: null, renameDay: null,
    raw: { id, created: String(createdBase), members: [a.id, b.id] } });
}

// ---------------------------------------------------------------------------------------------
// Messages, one day at a time.

const counts = { messages: 0, top_level: 0, replies: 0, broadcasts: 0, threads: 0, edited: 0, file_shares: 0,
  bot_messages: 0, attachments: 0, no_text: 0, jira_mentions: 0, day_files: 0 };

function text() {
  const roll = rand();
  let t;
  if (roll < 0.12) t = `${pick(MULTIBYTE)} ${sentence()}`;
  else if (roll < 0.15) t = pick(ODD);
  else t = sentence();
  if (chance(0.15)) t = `<@${chance(0.1) ? pick(ghosts) : pick(humans).id}> ${t}`;
  if (chance(0.08)) {
    t += ` (${pick(JIRA_PROJECTS)}-${1 + int(999)})`;
    counts.jira_mentions += 1;
  }
  if (chance(0.04)) {
    const key = `${pick(JIRA_PROJECTS)}-${1 + int(999)}`;
    t += ` see <https://acme.atlassian.net/browse/${key}|${key}>`;
    counts.jira_mentions += 1;
  }
  if (chance(0.01)) t += ` and lower-case abc-12 or ABC-0 or X-1 are not keys`;
  return t;
}

function fileObject(user, seconds) {
  const [name, mimetype, filetype, pretty] = pick(FILE_NAMES);
  const id = newId('F', 11);
  const safe = encodeURIComponent(name);
  return {
    id, created: seconds, timestamp: seconds, name, title: name, mimetype, filetype, pretty_type: pretty,
    user, editable: false, size: 1000 + int(5_000_000), mode: 'hosted', is_external: false, external_type: '',
    is_public: true, public_url_shared: false, display_as_bot: false, username: '',
    url_private: `https://files.slack.com/files-pri/${teamId}-${id}/${safe}`,
    url_private_download: `https://files.slack.com/files-pri/${teamId}-${id}/download/${safe}`,
    permalink: `https://acme.slack.com/files/${user}/${id}/${safe}`,
  };
}

// A top-level message of a random kind at `micros`.
function topLevelMessage(micros) {
  const ts = tsString(micros);
  const seconds = Math.floor(micros / 1e6);
  const roll = rand();
  if (roll < 0.08) {
    const bot = pick(bots);
    counts.bot_messages += 1;
    const m = { type: 'message', subtype: 'bot_message', text: chance(0.5) ? sentence() : '', ts,
      bot_id: bot.profile.bot_id, username: bot.name };
    if (m.text === '' || chance(0.3)) {
      m.attachments = [{ fallback: sentence(), text: text(), title: `Build #${1 + int(9999)}`,
        color: pick(['36a64f', 'ff0000', '4183C4']), id: 1, mrkdwn_in: ['text'] }];
      counts.attachments += 1;
    }
    return m;
  }
  const user = author();
  if (roll < 0.13) {
    counts.file_shares += 1;
    const m = { type: 'message', subtype: 'file_share', text: chance(0.5) ? text() : '', user, ts, upload: true,
      display_as_bot: false, files: [fileObject(user, seconds)] };
    if (chance(0.2)) m.files.push(fileObject(user, seconds));
    return m;
  }
  if (roll < 0.16) {
    counts.attachments += 1;
    return { type: 'message', text: '', user, ts, attachments: [{ fallback: 'Link preview', title: sentence(),
      title_link: `https://example.invalid/${pick(WORDS)}`, text: sentence(), service_name: 'example.invalid' }] };
  }
  const m = { type: 'message', text: text(), user, ts };
  if (roll > 0.997) {
    delete m.text;  // a few exports carry messages with no text field at all
    counts.no_text += 1;
  }
  if (chance(0.07)) {
    m.edited = { user, ts: tsString(micros + (1 + int(3600)) * 1e6) };
    counts.edited += 1;
  }
  return m;
}

const pending = conversations.map(() => new Map());  // day -> replies waiting for that day
const usedTs = conversations.map(() => new Map());   // day -> Set of micros in use

function claimTs(ci, ms) {
  const day = dayOf(ms);
  let used = usedTs[ci].get(day);
  if (!used) {
    used = new Set();
    usedTs[ci].set(day, used);
  }
  let micros = Math.floor(ms / 1000) * 1e6 + int(1e6);
  while (used.has(micros)) micros = Math.floor(ms / 1000) * 1e6 + int(1e6);
  used.add(micros);
  return { micros, day };
}

// Decides a thread's replies now (so the parent can carry its metadata) and parks each reply
// on the day of its own ts.
function makeThread(ci, parent, parentMicros) {
  const n = 1 + int(chance(0.2) ? 25 : 6);
  const spanSeconds = chance(0.35) ? 3 * 86400 : 4 * 3600;
  const replies = [];
  for (let i = 0; i < n; i += 1) {
    const ms = Math.floor(parentMicros / 1000) + 1000 + Math.floor(rand() * spanSeconds * 1000);
    if (ms >= rangeEndMs) continue;
    const { micros, day } = claimTs(ci, ms);
    const user = author();
    const reply = { type: 'message', text: text(), user, ts: tsString(micros), thread_ts: parent.ts };
    if (chance(0.9)) reply.parent_user_id = parent.user ?? parent.bot_id;
    if (chance(0.1)) {
      reply.subtype = 'thread_broadcast';
      reply.root = { type: 'message', user: parent.user, text: parent.text ?? '', ts: parent.ts, thread_ts: parent.ts };
      counts.broadcasts += 1;
    }
    if (chance(0.05)) {
      reply.edited = { user, ts: tsString(micros + 60e6) };
      counts.edited += 1;
    }
    replies.push({ micros, day, reply });
  }
  if (replies.length === 0) return;
  replies.sort((a, b) => a.micros - b.micros);
  counts.threads += 1;
  // Slack's exports carry thread metadata on the parent; older ones do not. Leave it out of
  // some parents so the stand-in has to compute it from the replies.
  if (chance(0.7)) {
    const replyUsers = [...new Set(replies.map((r) => r.reply.user))];
    parent.thread_ts = parent.ts;
    parent.reply_count = replies.length;
    parent.reply_users_count = replyUsers.length;
    parent.latest_reply = replies[replies.length - 1].reply.ts;
    parent.reply_users = replyUsers;
    parent.replies = replies.map((r) => ({ user: r.reply.user, ts: r.reply.ts }));
    parent.is_locked = false;
    parent.subscribed = false;
  } else if (chance(0.5)) {
    parent.thread_ts = parent.ts;
  }
  for (const r of replies) {
    let bucket = pending[ci].get(r.day);
    if (!bucket) {
      bucket = [];
      pending[ci].set(r.day, bucket);
    }
    bucket.push(r);
  }
}

function writeDay(ci, day, entries) {
  usedTs[ci].delete(day);
  if (entries.length === 0) return;
  entries.sort((a, b) => a.micros - b.micros);
  const dir = path.join(opts.out, conversations[ci].folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${dayName[day]}.json`), `${JSON.stringify(entries.map((e) => e.message), null, 4)}\n`);
  counts.day_files += 1;
  counts.messages += entries.length;
}

rmSync(opts.out, { recursive: true, force: true });
mkdirSync(opts.out, { recursive: true });

for (let day = 0; day < opts.days; day += 1) {
  const startMs = dayStart[day];
  const lengthMs = dayStart[day + 1] - startMs;
  conversations.forEach((conv, ci) => {
    const entries = [];
    const archived = conv.archivedAfterDay !== null && day > conv.archivedAfterDay;
    if (day === 0 && conv.kind !== 'im') {
      // Exports start a channel's history with its members joining.
      for (const member of conv.raw.members.slice(0, 3)) {
        const { micros } = claimTs(ci, startMs + 1000);
        const subtype = conv.kind === 'public_channel' ? 'channel_join' : 'group_join';
        entries.push({ micros, message: { user: member, type: 'message', subtype, text: `<@${member}> has joined the channel`, ts: tsString(micros) } });
        counts.top_level += 1;
      }
    }
    if (!archived) {
      const n = Math.round(opts.perDay * conv.weight * (0.5 + rand()));
      for (let i = 0; i < n; i += 1) {
        // Busier in working hours: two uniform draws averaged lean towards midday.
        const ms = startMs + Math.floor(((rand() + rand()) / 2) * lengthMs);
        const { micros } = claimTs(ci, ms);
        const message = topLevelMessage(micros);
        if (message.user && !message.subtype && chance(0.1)) makeThread(ci, message, micros);
        entries.push({ micros, message });
        counts.top_level += 1;
      }
    }
    if (conv.renameDay === day) {
      const { micros } = claimTs(ci, startMs + lengthMs - 60_000);
      entries.push({ micros, message: { user: conv.raw.creator, type: 'message', subtype: 'channel_name',
        old_name: conv.raw.previous_names[0], name: conv.raw.name,
        text: `<@${conv.raw.creator}> has renamed the channel from "${conv.raw.previous_names[0]}" to "${conv.raw.name}"`,
        ts: tsString(micros) } });
      counts.top_level += 1;
    }
    if (conv.archivedAfterDay === day) {
      const { micros } = claimTs(ci, startMs + lengthMs - 1000);
      entries.push({ micros, message: { user: conv.raw.creator, type: 'message', subtype: 'channel_archive',
        text: `<@${conv.raw.creator}> archived the channel`, ts: tsString(micros) } });
      counts.top_level += 1;
    }
    // Replies parked for this day, including those of threads started today.
    for (const r of pending[ci].get(day) ?? []) entries.push({ micros: r.micros, message: r.reply });
    counts.replies += pending[ci].get(day)?.length ?? 0;
    pending[ci].delete(day);
    writeDay(ci, day, entries);
  });
}

// ---------------------------------------------------------------------------------------------
// Lists, then the summary.

const listOf = (kind) => conversations.filter((c) => c.kind === kind).map((c) => c.raw);
writeFileSync(path.join(opts.out, 'users.json'), `${JSON.stringify(users, null, 4)}\n`);
writeFileSync(path.join(opts.out, 'channels.json'), `${JSON.stringify(listOf('public_channel'), null, 4)}\n`);
writeFileSync(path.join(opts.out, 'groups.json'), `${JSON.stringify(listOf('private_channel'), null, 4)}\n`);
writeFileSync(path.join(opts.out, 'mpims.json'), `${JSON.stringify(listOf('mpim'), null, 4)}\n`);
writeFileSync(path.join(opts.out, 'dms.json'), `${JSON.stringify(listOf('im'), null, 4)}\n`);

// A minimal ZIP writer (deflate, fixed timestamps) so the same flags give the same bytes.
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (let i = 0; i < buf.length; i += 1) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function writeZip(dir, zipPath) {
  const files = [];
  const walk = (rel) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r); else files.push(r);
    }
  };
  walk('');
  const fd = openSync(zipPath, 'w');
  const central = [];
  let offset = 0;
  const DOS_TIME = 0;
  const DOS_DATE = (((y0 - 1980) << 9) | (m0 << 5) | d0) & 0xffff;
  for (const rel of files) {
    const data = readFileSync(path.join(dir, rel));
    const packed = deflateRawSync(data, { level: 6 });
    const name = Buffer.from(rel, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);  // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    writeSync(fd, local);
    writeSync(fd, name);
    writeSync(fd, packed);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += 30 + name.length + packed.length;
    if (offset > 0xffffffff) throw new Error('export too large for a ZIP without zip64');
  }
  const centralBuf = Buffer.concat(central);
  writeSync(fd, centralBuf);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(files.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(files.length, 0xffff), 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  writeSync(fd, end);
  closeSync(fd);
  return files.length;
}

let zipPath = null;
if (opts.zip) {
  zipPath = `${opts.out.replace(/\/+$/, '')}.zip`;
  writeZip(opts.out, zipPath);
}

process.stdout.write(`${JSON.stringify({
  seed: opts.seed, out: opts.out, zip: zipPath, start: opts.start, days: opts.days,
  conversations: conversations.length,
  channels: publicChannels.length,
  private_channels: listOf('private_channel').length,
  mpims: listOf('mpim').length,
  dms: listOf('im').length,
  users: users.length,
  bots: bots.length,
  deleted_users: users.filter((u) => u.deleted).length,
  missing_users: ghosts.length,
  ...counts,
})}\n`);
