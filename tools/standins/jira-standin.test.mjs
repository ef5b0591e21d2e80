// Tests of the Jira stand-in (jira.mjs), run as a child process the way the C++ tests start it.
// Run: cd tools && node --test standins/jira-standin.test.mjs
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request, startServer } from './test-support.mjs';

const EMAIL = 'bot@example.invalid';
const TOKEN = 'ATATT-jira-test-token';
const AUTH = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}`;
const tempDir = mkdtempSync(path.join(tmpdir(), 'jira-standin-'));
after(() => rmSync(tempDir, { recursive: true, force: true }));

const TICKETS = [{
  expand: '', id: '10042', self: 'https://acme.atlassian.net/rest/api/3/issue/10042', key: 'OPS-42',
  fields: { summary: 'Disk full on "ingest-2"', status: { name: 'In Progress', id: '3' },
    issuetype: { name: 'Bug', id: '10002' }, priority: { name: 'High', id: '2' }, assignee: null,
    reporter: { accountId: 'abc', displayName: 'Søren' }, created: '2026-01-02T03:04:05.000+0000',
    updated: '2026-01-03T03:04:05.000+0000', labels: ['infra'], customfield_10010: 'x' },
}];

async function searchGet(port, params, auth = AUTH) {
  const res = await request(port, { path: `/rest/api/3/search/jql?${new URLSearchParams(params)}`,
    headers: auth ? { Authorization: auth } : {} });
  return { ...res, json: res.headers['content-type']?.startsWith('application/json') ? safeJson(res.body) : null };
}

async function searchPost(port, body, auth = AUTH) {
  const res = await request(port, { method: 'POST', path: '/rest/api/3/search/jql', body: JSON.stringify(body),
    headers: { Authorization: auth, 'Content-Type': 'application/json' } });
  return { ...res, json: safeJson(res.body) };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

describe('jira.mjs', () => {
  let srv;
  before(async () => {
    const file = path.join(tempDir, 'tickets.json');
    writeFileSync(file, JSON.stringify(TICKETS));
    srv = await startServer('jira.mjs', ['--email', EMAIL, '--token', TOKEN, '--tickets', file, '--synthesize',
      '--missing', 'ABC-404']);
  });
  after(() => srv.stop());

  it('answers the removed /rest/api/3/search with 410 and Atlassian\'s message', async () => {
    for (const [method, p] of [['GET', '/rest/api/3/search?jql=key%3DABC-1'], ['POST', '/rest/api/3/search'],
      ['GET', '/rest/api/2/search?jql=x']]) {
      const res = await request(srv.port, { method, path: p, headers: { Authorization: AUTH } });
      assert.equal(res.status, 410);
      assert.match(JSON.parse(res.body).errorMessages[0], /migrate to the \/rest\/api\/3\/search\/jql API/);
    }
  });

  it('checks Basic email:api_token credentials', async () => {
    assert.equal((await searchGet(srv.port, { jql: 'key = ABC-1' }, null)).status, 401);
    const wrong = `Basic ${Buffer.from(`${EMAIL}:nope`).toString('base64')}`;
    assert.equal((await searchGet(srv.port, { jql: 'key = ABC-1' }, wrong)).status, 401);
    assert.equal((await searchGet(srv.port, { jql: 'key = ABC-1' })).status, 200);
  });

  it('parses key in (...) case-insensitively with quoted and bare keys; ids only without fields', async () => {
    const res = await searchGet(srv.port, { jql: `KEY IN ("abc-2", 'OPS-42' , plat-7)` });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.issues.map((i) => i.key), ['ABC-2', 'OPS-42', 'PLAT-7']);
    assert.equal(res.json.isLast, true);
    assert.equal(res.json.nextPageToken, undefined);
    assert.ok(res.json.issues.every((i) => i.fields === undefined && /^\d+$/.test(i.id)));
  });

  it('returns the requested fields: --tickets as given, synthesized ones deterministic', async () => {
    const fields = 'summary,status,issuetype,priority,assignee,reporter,created,updated,labels';
    const res = await searchGet(srv.port, { jql: 'key in (OPS-42, DATA-7)', fields });
    const ops = res.json.issues.find((i) => i.key === 'OPS-42');
    const { customfield_10010: _unused, ...wanted } = TICKETS[0].fields;
    assert.deepEqual(ops.fields, wanted);
    const data = res.json.issues.find((i) => i.key === 'DATA-7');
    assert.deepEqual(Object.keys(data.fields).sort(), fields.split(',').sort());
    assert.match(data.fields.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.ok(data.fields.status.statusCategory.key);
    const again = await searchPost(srv.port, { jql: 'key = DATA-7', fields: fields.split(',') });
    assert.deepEqual(again.json.issues[0], data);
    const all = await searchPost(srv.port, { jql: 'key = OPS-42', fields: ['*all', '-labels'] });
    assert.equal(all.json.issues[0].fields.customfield_10010, 'x');
    assert.equal(all.json.issues[0].fields.labels, undefined);
  });

  it('pages with nextPageToken until isLast, capping maxResults at 100', async () => {
    const keys = Array.from({ length: 230 }, (_, i) => `WEB-${i + 1}`);
    const jql = `key in (${keys.join(', ')})`;
    for (const [maxResults, pageSize] of [[7, 7], [500, 100], [undefined, 50]]) {
      const got = [];
      let token;
      let pages = 0;
      for (;;) {
        const body = { jql, fields: ['summary'] };
        if (maxResults !== undefined) body.maxResults = maxResults;
        if (token) body.nextPageToken = token;
        const res = await searchPost(srv.port, body);
        assert.equal(res.status, 200, res.body);
        pages += 1;
        assert.ok(res.json.issues.length <= pageSize);
        got.push(...res.json.issues.map((i) => i.key));
        if (res.json.isLast) {
          assert.equal(res.json.nextPageToken, undefined);
          break;
        }
        token = res.json.nextPageToken;
        assert.ok(token);
      }
      assert.deepEqual(got, keys);
      assert.equal(pages, Math.ceil(keys.length / pageSize));
    }
    const foreign = await searchPost(srv.port, { jql: 'key = WEB-1', nextPageToken: 'Zm9v' });
    assert.equal(foreign.status, 400);
  });

  it('answers 400 naming every missing or malformed key, like Jira', async () => {
    const res = await searchGet(srv.port, { jql: 'key in (ABC-1, ABC-404, 12)' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { errorMessages: [
      "An issue with key 'ABC-404' does not exist for field 'key'.",
      "The issue key '12' for field 'key' is invalid.",
    ], errors: {} });
    assert.equal((await searchGet(srv.port, { jql: 'project = ABC' })).status, 400);
  });

  it('reports calls in /_stats', async () => {
    const stats = JSON.parse((await request(srv.port, { path: '/_stats' })).body);
    assert.ok(stats.calls['search/jql'] > 5);
    assert.ok(stats.items_served['search/jql'] > 230);
  });
});

describe('jira.mjs options', () => {
  it('--missing-keys omit drops unknown keys silently', async () => {
    const srv = await startServer('jira.mjs', ['--missing-keys', 'omit'],
      { JIRA_STANDIN_EMAIL: EMAIL, JIRA_STANDIN_TOKEN: TOKEN });
    try {
      const res = await searchGet(srv.port, { jql: 'key in (ABC-1, ABC-2)' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.json.issues, []);
    } finally {
      await srv.stop();
    }
  });

  it('rate limits with 429 + Retry-After, and --fail injects 500, malformed and 429', async () => {
    const srv = await startServer('jira.mjs', ['--email', EMAIL, '--token', TOKEN, '--synthesize',
      '--rate-scale', '0.02', '--fail', '1:http500', '--fail', '2:malformed']);
    try {
      assert.equal((await searchGet(srv.port, { jql: 'key = A-1' })).status, 500);
      const malformed = await searchGet(srv.port, { jql: 'key = A-1' });
      assert.equal(malformed.status, 200);
      assert.equal(malformed.json, null);
      // 100 x 0.02 = 2 per window; the injected failures above did not use the window.
      assert.equal((await searchGet(srv.port, { jql: 'key = A-1' })).status, 200);
      assert.equal((await searchGet(srv.port, { jql: 'key = A-1' })).status, 200);
      const limited = await searchGet(srv.port, { jql: 'key = A-1' });
      assert.equal(limited.status, 429);
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 60);
      assert.equal(limited.headers['ratelimit-reason'], 'jira-burst-based');
      assert.ok(limited.headers['x-ratelimit-reset']);
    } finally {
      await srv.stop();
    }
  });
});
