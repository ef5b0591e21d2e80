// Tests of the AWS credential stand-ins: each server runs as a child process, exactly as the
// C++ tests start it (tests/support/server_process.h waits for the "listening on" line).
// Run: cd tools && node --test standins/aws-standins.test.mjs
//
// STS requests are signed with the npm package aws4, a SigV4 signer independent of ours; the
// verifier itself is also checked against AWS's published SigV4 worked example.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import aws4 from 'aws4';
import { request, startServer } from './test-support.mjs';
import {
  buildCanonicalRequest, buildStringToSign, computeSignature, sha256Hex, signingKey,
} from './sigv4.mjs';

const NOW = '2024-05-01T12:00:00Z';
const NOW_MS = Date.parse(NOW);
const NOW_AMZ = '20240501T120000Z';

const tempDir = mkdtempSync(path.join(tmpdir(), 'aws-standins-'));
after(() => rmSync(tempDir, { recursive: true, force: true }));

function xmlTag(xml, name) {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

function readLog(file) {
  return readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
}

// ---------------------------------------------------------------------------------------------
describe('sigv4.mjs', () => {
  // AWS General Reference, "Signature Version 4 signing process": the IAM ListUsers example
  // and its published canonical request hash, signing key and signature.
  it('reproduces the published SigV4 example for IAM ListUsers', () => {
    const canonical = buildCanonicalRequest({
      method: 'GET', rawPath: '/', rawQuery: 'Action=ListUsers&Version=2010-05-08',
      rawHeaders: ['Host', 'iam.amazonaws.com', 'Content-Type', 'application/x-www-form-urlencoded; charset=utf-8',
        'X-Amz-Date', '20150830T123600Z'],
      signedHeaders: ['content-type', 'host', 'x-amz-date'], payloadHash: sha256Hex(''),
    });
    assert.equal(sha256Hex(canonical), 'f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    assert.equal(signingKey(secret, '20150830', 'us-east-1', 'iam').toString('hex'),
      'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
    const toSign = buildStringToSign('20150830T123600Z', '20150830/us-east-1/iam/aws4_request', canonical);
    assert.equal(computeSignature(secret, '20150830', 'us-east-1', 'iam', toSign),
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
  });
});

// ---------------------------------------------------------------------------------------------
describe('aws-sts.mjs', () => {
  const SOURCE = { accessKeyId: 'TESTSTANDINSOURCE001', secretAccessKey: 'source/Secret+Key/for/the/stand-in/0001' };
  const ROLE = 'arn:aws:iam::123456789012:role/slack-intel-reader';
  const WEB_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.web-identity-token-ok.c2lnbmF0dXJl';
  const OLD_WEB_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.web-identity-token-old.c2lnbmF0dXJl';
  const logFile = path.join(tempDir, 'sts.log');
  let sts;
  before(async () => {
    sts = await startServer('aws-sts.mjs', ['--access-key-id', SOURCE.accessKeyId, '--role-arn', ROLE,
      '--expected-token', WEB_TOKEN, '--expired-token', OLD_WEB_TOKEN, '--now', NOW, '--log', logFile],
    { STANDIN_SOURCE_SECRET_ACCESS_KEY: SOURCE.secretAccessKey });
  });
  after(() => sts.stop());

  // Signs with aws4 (independent of sigv4.mjs) and sends; `tamper` changes the body after
  // signing (same length, so Content-Length stays right).
  function signedCall(port, params, creds, { service = 'sts', region = 'us-east-1', amzDate = NOW_AMZ, tamper } = {}) {
    const body = new URLSearchParams({ Version: '2011-06-15', ...params }).toString();
    const opts = { host: '127.0.0.1', port, method: 'POST', path: '/', service, region, body,
      headers: amzDate ? { 'X-Amz-Date': amzDate } : {} };
    aws4.sign(opts, creds);
    return request(port, { method: 'POST', path: opts.path, headers: opts.headers, body: tamper ? tamper(body) : body });
  }
  const assumeParams = { Action: 'AssumeRole', RoleArn: ROLE, RoleSessionName: 'slack-intel-sync' };

  function assertStsError(res, status, code, type = 'Sender') {
    assert.equal(res.status, status, res.body);
    assert.equal(res.headers['content-type'], 'text/xml');
    assert.match(res.body, /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    assert.equal(xmlTag(res.body, 'Type'), type);
    assert.equal(xmlTag(res.body, 'Code'), code);
    assert.ok(xmlTag(res.body, 'RequestId'));
  }

  it('answers a correctly signed AssumeRole with the documented XML and new credentials per call', async () => {
    const first = await signedCall(sts.port, { ...assumeParams, DurationSeconds: '900' }, SOURCE);
    assert.equal(first.status, 200, first.body);
    assert.equal(first.headers['content-type'], 'text/xml');
    assert.match(first.body, /^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\n  <AssumeRoleResult>/);
    assert.equal(xmlTag(first.body, 'AccessKeyId'), 'ASIASTSTEST000000001');
    assert.equal(xmlTag(first.body, 'SecretAccessKey').length, 40);
    assert.ok(xmlTag(first.body, 'SessionToken').length > 200);
    assert.equal(xmlTag(first.body, 'Expiration'), '2024-05-01T12:15:00Z');
    assert.equal(xmlTag(first.body, 'Arn'), 'arn:aws:sts::123456789012:assumed-role/slack-intel-reader/slack-intel-sync');
    assert.match(xmlTag(first.body, 'AssumedRoleId'), /^AROA[0-9A-F]{17}:slack-intel-sync$/);
    assert.match(first.body, /<ResponseMetadata>\n    <RequestId>[0-9a-f-]{36}<\/RequestId>\n  <\/ResponseMetadata>\n<\/AssumeRoleResponse>\n$/);

    const second = await signedCall(sts.port, assumeParams, SOURCE);
    assert.equal(second.status, 200, second.body);
    assert.equal(xmlTag(second.body, 'AccessKeyId'), 'ASIASTSTEST000000002');
    assert.notEqual(xmlTag(second.body, 'SecretAccessKey'), xmlTag(first.body, 'SecretAccessKey'));
    assert.equal(xmlTag(second.body, 'Expiration'), '2024-05-01T13:00:00Z', 'DurationSeconds defaults to 3600');
  });

  it('answers GetCallerIdentity for the source identity and for credentials it issued', async () => {
    const source = await signedCall(sts.port, { Action: 'GetCallerIdentity' }, SOURCE);
    assert.equal(source.status, 200, source.body);
    assert.match(source.body, /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    assert.equal(xmlTag(source.body, 'Arn'), 'arn:aws:iam::123456789012:user/slack-intel-test');
    assert.equal(xmlTag(source.body, 'Account'), '123456789012');
    assert.match(xmlTag(source.body, 'UserId'), /^AIDA[0-9A-F]{17}$/);

    const assumed = await signedCall(sts.port, { ...assumeParams, RoleSessionName: 'who-am-i' }, SOURCE);
    const issued = { accessKeyId: xmlTag(assumed.body, 'AccessKeyId'),
      secretAccessKey: xmlTag(assumed.body, 'SecretAccessKey'), sessionToken: xmlTag(assumed.body, 'SessionToken') };
    const role = await signedCall(sts.port, { Action: 'GetCallerIdentity' }, issued);
    assert.equal(role.status, 200, role.body);
    assert.equal(xmlTag(role.body, 'Arn'), 'arn:aws:sts::123456789012:assumed-role/slack-intel-reader/who-am-i');

    const unknown = await signedCall(sts.port, { Action: 'GetCallerIdentity' },
      { accessKeyId: 'AKIAUNKNOWNSTANDIN01', secretAccessKey: SOURCE.secretAccessKey });
    assertStsError(unknown, 403, 'InvalidClientTokenId');
  });

  it('answers a request signed with the wrong secret with 403 SignatureDoesNotMatch', async () => {
    const res = await signedCall(sts.port, assumeParams, { ...SOURCE, secretAccessKey: 'not-the-right-secret' });
    assertStsError(res, 403, 'SignatureDoesNotMatch');
    assert.match(xmlTag(res.body, 'Message'), /^The request signature we calculated does not match/);
  });

  it('rejects a body changed after signing', async () => {
    const res = await signedCall(sts.port, assumeParams, SOURCE, { tamper: (b) => b.replace('sync', 'sink') });
    assertStsError(res, 403, 'SignatureDoesNotMatch');
  });

  it('rejects an unknown access key, a missing signature and a malformed one', async () => {
    assertStsError(await signedCall(sts.port, assumeParams, { ...SOURCE, accessKeyId: 'TESTUNKNOWNKEY000001' }),
      403, 'InvalidClientTokenId');
    const body = new URLSearchParams({ Version: '2011-06-15', ...assumeParams }).toString();
    const form = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' };
    assertStsError(await request(sts.port, { method: 'POST', headers: form, body }), 403, 'MissingAuthenticationToken');
    assertStsError(await request(sts.port, { method: 'POST', body,
      headers: { ...form, 'X-Amz-Date': NOW_AMZ, Authorization: 'AWS4-HMAC-SHA256 Credential=x' } }),
    400, 'IncompleteSignature');
  });

  it('checks the credential scope and the request time', async () => {
    const wrongService = await signedCall(sts.port, assumeParams, SOURCE, { service: 's3' });
    assertStsError(wrongService, 403, 'SignatureDoesNotMatch');
    assert.match(xmlTag(wrongService.body, 'Message'), /Credential should be scoped to correct service: 'sts'/);
    const wrongRegion = await signedCall(sts.port, assumeParams, SOURCE, { region: 'eu-west-1' });
    assertStsError(wrongRegion, 403, 'SignatureDoesNotMatch');
    assert.match(xmlTag(wrongRegion.body, 'Message'), /valid region/);
    const stale = await signedCall(sts.port, assumeParams, SOURCE, { amzDate: '20240501T114400Z' });
    assertStsError(stale, 403, 'SignatureDoesNotMatch');
    assert.equal(xmlTag(stale.body, 'Message'),
      'Signature expired: 20240501T114400Z is now earlier than 20240501T114500Z (20240501T120000Z - 15 min.)');
    const early = await signedCall(sts.port, assumeParams, SOURCE, { amzDate: '20240501T121600Z' });
    assert.match(xmlTag(early.body, 'Message'), /^Signature not yet current/);
  });

  it('validates parameters the way the STS model constrains them', async () => {
    const long = await signedCall(sts.port, { ...assumeParams, DurationSeconds: '7200' }, SOURCE);
    assertStsError(long, 400, 'ValidationError');
    assert.equal(xmlTag(long.body, 'Message'), 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const short = await signedCall(sts.port, { ...assumeParams, DurationSeconds: '100' }, SOURCE);
    assertStsError(short, 400, 'ValidationError');
    assert.match(xmlTag(short.body, 'Message'), /Value '100' at 'durationSeconds' .* greater than or equal to 900/);
    const noName = await signedCall(sts.port, { Action: 'AssumeRole', RoleArn: ROLE }, SOURCE);
    assertStsError(noName, 400, 'ValidationError');
    assert.match(xmlTag(noName.body, 'Message'), /Value null at 'roleSessionName'/);
    const badName = await signedCall(sts.port, { ...assumeParams, RoleSessionName: 'has space' }, SOURCE);
    assertStsError(badName, 400, 'ValidationError');
    assertStsError(await signedCall(sts.port, { Action: 'GetSessionToken' }, SOURCE), 400, 'InvalidAction');
  });

  it('denies a role the caller may not assume', async () => {
    const res = await signedCall(sts.port, { ...assumeParams, RoleArn: 'arn:aws:iam::123456789012:role/admin' }, SOURCE);
    assertStsError(res, 403, 'AccessDenied');
    assert.equal(xmlTag(res.body, 'Message'), 'User: arn:aws:iam::123456789012:user/slack-intel-test is not ' +
      'authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin');
  });

  it('serves AssumeRoleWithWebIdentity unsigned and checks the token', async () => {
    const call = (token) => request(sts.port, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: ROLE,
        RoleSessionName: 'pod-session', WebIdentityToken: token }).toString(),
    });
    const ok = await call(WEB_TOKEN);
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.body, /^<AssumeRoleWithWebIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\n  <AssumeRoleWithWebIdentityResult>/);
    assert.equal(xmlTag(ok.body, 'SubjectFromWebIdentityToken'), 'system:serviceaccount:default:slack-intel');
    assert.equal(xmlTag(ok.body, 'Audience'), 'sts.amazonaws.com');
    assert.ok(xmlTag(ok.body, 'Provider'));
    assert.match(xmlTag(ok.body, 'AccessKeyId'), /^ASIASTSTEST\d{9}$/);
    assert.equal(xmlTag(ok.body, 'Expiration'), '2024-05-01T13:00:00Z');
    assert.equal(xmlTag(ok.body, 'Arn'), 'arn:aws:sts::123456789012:assumed-role/slack-intel-reader/pod-session');
    assertStsError(await call('eyJ.wrong.token'), 400, 'InvalidIdentityToken');
    assertStsError(await call(OLD_WEB_TOKEN), 400, 'ExpiredTokenException');
  });

  it('logs one JSON line per request without secrets or tokens', () => {
    const text = readFileSync(logFile, 'utf8');
    for (const secret of [SOURCE.secretAccessKey, WEB_TOKEN, OLD_WEB_TOKEN]) assert.ok(!text.includes(secret));
    assert.doesNotMatch(text, /Signature=[0-9a-f]{64}/);
    const lines = readLog(logFile);
    const first = lines[0];
    assert.equal(first.service, 'sts');
    assert.equal(first.method, 'POST');
    assert.equal(first.action, 'AssumeRole');
    assert.equal(first.auth, 'valid');
    assert.equal(first.status, 200);
    assert.equal(first.issued_access_key_id, 'ASIASTSTEST000000001');
    assert.match(first.headers.authorization, /^AWS4-HMAC-SHA256 Credential=TESTSTANDINSOURCE001\/20240501\/us-east-1\/sts\/aws4_request, SignedHeaders=.*Signature=<redacted>$/);
    const mismatch = lines.find((l) => l.code === 'SignatureDoesNotMatch' && l.expected_canonical_request);
    assert.ok(mismatch, 'a signature mismatch records the expected canonical request');
    assert.equal(mismatch.auth, 'invalid');
    const web = lines.find((l) => l.action === 'AssumeRoleWithWebIdentity' && l.status === 200);
    assert.match(web.params.WebIdentityToken, /^<redacted \d+ chars>$/);
  });

  it('requires the session token of temporary source credentials and reports it expired', async () => {
    const temp = { ...SOURCE, sessionToken: 'source-session-token/with+base64=' };
    const live = await startServer('aws-sts.mjs', ['--access-key-id', temp.accessKeyId,
      '--secret-access-key', temp.secretAccessKey, '--session-token', temp.sessionToken]);
    const expired = await startServer('aws-sts.mjs', ['--access-key-id', temp.accessKeyId,
      '--secret-access-key', temp.secretAccessKey, '--session-token', temp.sessionToken, '--source-token-expired']);
    try {
      // Real clock: sign at the current time.
      const ok = await signedCall(live.port, assumeParams, temp, { amzDate: null });
      assert.equal(ok.status, 200, ok.body);
      assert.ok(Date.parse(xmlTag(ok.body, 'Expiration')) > Date.now());
      assertStsError(await signedCall(live.port, assumeParams, SOURCE, { amzDate: null }), 403, 'InvalidClientTokenId');
      assertStsError(await signedCall(expired.port, assumeParams, temp, { amzDate: null }), 403, 'ExpiredToken');
    } finally {
      await live.stop();
      await expired.stop();
    }
  });

  it('fails the first N requests with --fail-first (500 InternalFailure or 400 Throttling)', async () => {
    const common = ['--access-key-id', SOURCE.accessKeyId, '--secret-access-key', SOURCE.secretAccessKey, '--now', NOW];
    const server = await startServer('aws-sts.mjs', [...common, '--fail-first', '2']);
    const throttled = await startServer('aws-sts.mjs', [...common, '--fail-first', '1', '--fail-mode', 'throttle']);
    try {
      assertStsError(await signedCall(server.port, assumeParams, SOURCE), 500, 'InternalFailure', 'Receiver');
      assertStsError(await signedCall(server.port, assumeParams, SOURCE), 500, 'InternalFailure', 'Receiver');
      const ok = await signedCall(server.port, assumeParams, SOURCE);
      assert.equal(ok.status, 200, ok.body);
      assert.equal(xmlTag(ok.body, 'AccessKeyId'), 'ASIASTSTEST000000001', 'failed calls issue nothing');
      const slow = await signedCall(throttled.port, assumeParams, SOURCE);
      assertStsError(slow, 400, 'Throttling');
      assert.equal(xmlTag(slow.body, 'Message'), 'Rate exceeded');
      assert.equal((await signedCall(throttled.port, assumeParams, SOURCE)).status, 200);
    } finally {
      await server.stop();
      await throttled.stop();
    }
  });

  it('issues already expired credentials with a negative --expires-in-seconds', async () => {
    const server = await startServer('aws-sts.mjs', ['--access-key-id', SOURCE.accessKeyId,
      '--secret-access-key', SOURCE.secretAccessKey, '--now', NOW, '--expires-in-seconds', '-60']);
    try {
      const res = await signedCall(server.port, assumeParams, SOURCE);
      assert.equal(res.status, 200, res.body);
      assert.equal(xmlTag(res.body, 'Expiration'), '2024-05-01T11:59:00Z');
    } finally {
      await server.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('aws-sso.mjs', () => {
  const TOKEN = 'aoaAAAAAGZ-sso-access-token-Zq9';
  const OLD_TOKEN = 'aoaAAAAAGZ-sso-old-token-Zq9';
  const logFile = path.join(tempDir, 'sso.log');
  let sso;
  before(async () => {
    sso = await startServer('aws-sso.mjs', ['--expected-token', TOKEN, '--expired-token', OLD_TOKEN,
      '--role-name', 'Reader', '--account-id', '111122223333', '--now', NOW, '--log', logFile]);
  });
  after(() => sso.stop());

  const get = (port, query, token) => request(port, { path: `/federation/credentials?${query}`,
    headers: token === undefined ? {} : { 'x-amz-sso_bearer_token': token } });

  function assertPortalError(res, status, code, message) {
    assert.equal(res.status, status, res.body);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-amzn-errortype'], code);
    const body = JSON.parse(res.body);
    assert.equal(body.__type, `com.amazonaws.switchboard.portal#${code}`);
    if (message) assert.equal(body.message, message);
  }

  it('returns roleCredentials with expiration in epoch milliseconds, new ones per call', async () => {
    const first = await get(sso.port, 'role_name=Reader&account_id=111122223333', TOKEN);
    assert.equal(first.status, 200, first.body);
    assert.equal(first.headers['content-type'], 'application/json');
    const { roleCredentials } = JSON.parse(first.body);
    assert.deepEqual(Object.keys(JSON.parse(first.body)), ['roleCredentials']);
    assert.deepEqual(Object.keys(roleCredentials).sort(), ['accessKeyId', 'expiration', 'secretAccessKey', 'sessionToken']);
    assert.equal(roleCredentials.accessKeyId, 'ASIASSOTEST000000001');
    assert.equal(roleCredentials.expiration, NOW_MS + 3600 * 1000);
    const second = JSON.parse((await get(sso.port, 'account_id=111122223333&role_name=Reader', TOKEN)).body);
    assert.equal(second.roleCredentials.accessKeyId, 'ASIASSOTEST000000002');
  });

  it('answers a missing, wrong or expired token with 401 UnauthorizedException', async () => {
    const message = 'Session token not found or invalid';
    assertPortalError(await get(sso.port, 'role_name=Reader&account_id=111122223333'), 401, 'UnauthorizedException', message);
    assertPortalError(await get(sso.port, 'role_name=Reader&account_id=111122223333', 'nope'), 401, 'UnauthorizedException', message);
    assertPortalError(await get(sso.port, 'role_name=Reader&account_id=111122223333', OLD_TOKEN), 401, 'UnauthorizedException', message);
  });

  it('answers an unassigned role or account with 403 ForbiddenException "No access"', async () => {
    assertPortalError(await get(sso.port, 'role_name=Admin&account_id=111122223333', TOKEN), 403, 'ForbiddenException', 'No access');
    assertPortalError(await get(sso.port, 'role_name=Reader&account_id=999999999999', TOKEN), 403, 'ForbiddenException', 'No access');
  });

  it('answers a missing parameter with 400 and a wrong method with 405', async () => {
    assertPortalError(await get(sso.port, 'role_name=Reader', TOKEN), 400, 'InvalidRequestException');
    assertPortalError(await request(sso.port, { method: 'POST', path: '/federation/credentials?role_name=Reader&account_id=111122223333',
      headers: { 'x-amz-sso_bearer_token': TOKEN } }), 405, 'MethodNotAllowedException');
  });

  it('logs requests without the bearer token', () => {
    const text = readFileSync(logFile, 'utf8');
    assert.ok(!text.includes(TOKEN) && !text.includes(OLD_TOKEN));
    const lines = readLog(logFile);
    assert.equal(lines[0].auth, 'valid');
    assert.equal(lines[0].query, 'role_name=Reader&account_id=111122223333');
    assert.match(lines[0].headers['x-amz-sso_bearer_token'], /^<redacted \d+ chars>$/);
    assert.ok(lines.some((l) => l.auth === 'expired' && l.status === 401));
  });

  it('fails the first N requests with --fail-first (500, or 429 TooManyRequestsException)', async () => {
    const base = ['--expected-token', TOKEN, '--role-name', 'Reader', '--account-id', '111122223333'];
    const server = await startServer('aws-sso.mjs', [...base, '--fail-first', '1']);
    const throttled = await startServer('aws-sso.mjs', [...base, '--fail-first', '1', '--fail-mode', 'throttle',
      '--now', NOW, '--expires-in-seconds', '-1']);
    try {
      assertPortalError(await get(server.port, 'role_name=Reader&account_id=111122223333', TOKEN), 500, 'InternalServerException');
      assert.equal((await get(server.port, 'role_name=Reader&account_id=111122223333', TOKEN)).status, 200);
      assertPortalError(await get(throttled.port, 'role_name=Reader&account_id=111122223333', TOKEN), 429, 'TooManyRequestsException');
      const expired = JSON.parse((await get(throttled.port, 'role_name=Reader&account_id=111122223333', TOKEN)).body);
      assert.equal(expired.roleCredentials.expiration, NOW_MS - 1000);
    } finally {
      await server.stop();
      await throttled.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('aws-imds.mjs', () => {
  const logFile = path.join(tempDir, 'imds.log');
  let imds;
  before(async () => {
    imds = await startServer('aws-imds.mjs', ['--role-name', 'slack-intel-role', '--now', NOW, '--log', logFile]);
  });
  after(() => imds.stop());

  const putToken = (port, headers = { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' }, target = '/latest/api/token') =>
    request(port, { method: 'PUT', path: target, headers });
  const get = (port, target, token) => request(port, { path: target,
    headers: token === undefined ? {} : { 'X-aws-ec2-metadata-token': token } });

  it('issues a session token for a PUT with a TTL of 1..21600 seconds', async () => {
    const res = await putToken(imds.port);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    assert.equal(res.headers['x-aws-ec2-metadata-token-ttl-seconds'], '21600');
    assert.ok(res.body.length >= 40);
    assert.equal((await putToken(imds.port, {})).status, 400, 'TTL header is required');
    assert.equal((await putToken(imds.port, { 'X-aws-ec2-metadata-token-ttl-seconds': '0' })).status, 400);
    assert.equal((await putToken(imds.port, { 'X-aws-ec2-metadata-token-ttl-seconds': '21601' })).status, 400);
    assert.equal((await putToken(imds.port, { 'X-aws-ec2-metadata-token-ttl-seconds': 'abc' })).status, 400);
    assert.equal((await putToken(imds.port, { 'X-aws-ec2-metadata-token-ttl-seconds': '60',
      'X-Forwarded-For': '10.0.0.1' })).status, 403);
    assert.equal((await putToken(imds.port, undefined, '/2021-03-23/api/token')).status, 403);
    assert.equal((await get(imds.port, '/latest/api/token')).status, 405);
  });

  it('serves the role name and its credentials to a request with a valid token', async () => {
    const token = (await putToken(imds.port)).body;
    const list = await get(imds.port, '/latest/meta-data/iam/security-credentials/', token);
    assert.equal(list.status, 200);
    assert.equal(list.body, 'slack-intel-role');
    const res = await get(imds.port, '/latest/meta-data/iam/security-credentials/slack-intel-role', token);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    assert.match(res.body, /^\{\n  "Code" : "Success",\n  "LastUpdated" : /);
    const doc = JSON.parse(res.body);
    assert.deepEqual(Object.keys(doc), ['Code', 'LastUpdated', 'Type', 'AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
    assert.equal(doc.Type, 'AWS-HMAC');
    assert.equal(doc.LastUpdated, NOW);
    assert.equal(doc.Expiration, '2024-05-01T13:00:00Z');
    assert.match(doc.AccessKeyId, /^ASIAIMDSTEST\d{8}$/);
    const again = JSON.parse((await get(imds.port, '/latest/meta-data/iam/security-credentials/slack-intel-role', token)).body);
    assert.notEqual(again.AccessKeyId, doc.AccessKeyId);
    const info = JSON.parse((await get(imds.port, '/latest/meta-data/iam/info', token)).body);
    assert.equal(info.Code, 'Success');
    assert.match(info.InstanceProfileArn, /^arn:aws:iam::\d{12}:instance-profile\//);
  });

  it('refuses requests without a token or with an unknown one (401), unknown paths 404', async () => {
    const noToken = await get(imds.port, '/latest/meta-data/iam/security-credentials/');
    assert.equal(noToken.status, 401);
    assert.match(noToken.headers['content-type'], /^text\/html/);
    assert.match(noToken.body, /<title>401 - Unauthorized<\/title>/);
    assert.equal((await get(imds.port, '/latest/meta-data/iam/security-credentials/', 'made-up-token')).status, 401);
    const token = (await putToken(imds.port)).body;
    assert.equal((await get(imds.port, '/latest/meta-data/iam/security-credentials/other-role', token)).status, 404);
    assert.equal((await get(imds.port, '/latest/meta-data/iam/security-credentials-extended/', token)).status, 404);
  });

  it('logs requests without the session token', () => {
    const lines = readLog(logFile);
    const text = readFileSync(logFile, 'utf8');
    const issued = lines.filter((l) => l.issued_access_key_id);
    assert.ok(issued.length >= 2);
    assert.ok(issued.every((l) => l.auth === 'valid' && /^<redacted \d+ chars>$/.test(l.headers['x-aws-ec2-metadata-token'])));
    assert.ok(lines.some((l) => l.auth === 'missing' && l.status === 401));
    assert.doesNotMatch(text, /"x-aws-ec2-metadata-token":"(?!<redacted)/);
  });

  it('answers tokenless GETs only with --allow-imdsv1, and fails the first N with 503 or 429', async () => {
    const v1 = await startServer('aws-imds.mjs', ['--allow-imdsv1', '--fail-first', '1']);
    const throttled = await startServer('aws-imds.mjs', ['--fail-first', '1', '--fail-mode', 'throttle',
      '--now', NOW, '--expires-in-seconds', '-5']);
    try {
      assert.equal((await get(v1.port, '/latest/meta-data/iam/security-credentials/')).status, 503);
      const list = await get(v1.port, '/latest/meta-data/iam/security-credentials/');
      assert.equal(list.status, 200);
      assert.equal(list.body, 'slack-intel-instance-role');
      assert.equal((await get(v1.port, '/latest/meta-data/iam/security-credentials/', 'bad-token')).status, 401,
        'a request with a token header is IMDSv2 and needs a valid token');
      assert.equal((await putToken(throttled.port)).status, 429);
      const token = (await putToken(throttled.port)).body;
      const doc = JSON.parse((await get(throttled.port,
        '/latest/meta-data/iam/security-credentials/slack-intel-instance-role', token)).body);
      assert.equal(doc.Expiration, '2024-05-01T11:59:55Z');
    } finally {
      await v1.stop();
      await throttled.stop();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('aws-ecs.mjs', () => {
  const TOKEN = 'ecs-authorization-token-Zq9';
  const CREDS_PATH = '/v2/credentials/4b1e5a52-test';
  const logFile = path.join(tempDir, 'ecs.log');
  let ecs;
  before(async () => {
    ecs = await startServer('aws-ecs.mjs', ['--path', CREDS_PATH, '--expected-token', TOKEN, '--now', NOW,
      '--log', logFile]);
  });
  after(() => ecs.stop());

  const get = (port, target, token) => request(port, { path: target,
    headers: token === undefined ? {} : { Authorization: token } });

  it('returns RoleArn, AccessKeyId, SecretAccessKey, Token and Expiration, new ones per call', async () => {
    const res = await get(ecs.port, CREDS_PATH, TOKEN);
    assert.equal(res.status, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/json');
    const doc = JSON.parse(res.body);
    assert.deepEqual(Object.keys(doc), ['RoleArn', 'AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
    assert.equal(doc.RoleArn, 'arn:aws:iam::123456789012:role/slack-intel-task');
    assert.equal(doc.AccessKeyId, 'ASIAECSTEST000000001');
    assert.equal(doc.Expiration, '2024-05-01T13:00:00Z');
    const again = JSON.parse((await get(ecs.port, CREDS_PATH, TOKEN)).body);
    assert.equal(again.AccessKeyId, 'ASIAECSTEST000000002');
  });

  it('rejects a missing or wrong Authorization token with 400 text', async () => {
    const missing = await get(ecs.port, CREDS_PATH);
    assert.equal(missing.status, 400);
    assert.match(missing.headers['content-type'], /^text\/plain/);
    assert.equal(missing.body, 'Service account token cannot be empty\n');
    const wrong = await get(ecs.port, CREDS_PATH, 'not-the-token');
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /\(InvalidTokenException\)/);
  });

  it('answers other credential ids and paths like the ECS agent', async () => {
    const other = await get(ecs.port, '/v2/credentials/another-id', TOKEN);
    assert.equal(other.status, 400);
    assert.deepEqual(JSON.parse(other.body), { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: ID not found' });
    assert.equal(JSON.parse((await get(ecs.port, '/v2/credentials/', TOKEN)).body).code, 'NoIdInRequest');
    assert.equal((await get(ecs.port, '/latest/meta-data/', TOKEN)).status, 404);
  });

  it('logs requests without the Authorization token', () => {
    const text = readFileSync(logFile, 'utf8');
    assert.ok(!text.includes(TOKEN));
    const lines = readLog(logFile);
    assert.equal(lines[0].auth, 'valid');
    assert.equal(lines[0].issued_access_key_id, 'ASIAECSTEST000000001');
    assert.ok(lines.some((l) => l.auth === 'missing') && lines.some((l) => l.auth === 'invalid'));
  });

  it('needs no token without --expected-token, and fails the first N with 500 or 429', async () => {
    const open = await startServer('aws-ecs.mjs', ['--fail-first', '1', '--now', NOW, '--expires-in-seconds', '-30']);
    const throttled = await startServer('aws-ecs.mjs', ['--fail-first', '1', '--fail-mode', 'throttle']);
    try {
      const failed = await get(open.port, '/v2/credentials/slack-intel-test');
      assert.equal(failed.status, 500);
      assert.deepEqual(JSON.parse(failed.body), { code: 'InternalServerError', message: 'Internal server error' });
      const ok = await get(open.port, '/v2/credentials/slack-intel-test');
      assert.equal(ok.status, 200);
      assert.equal(JSON.parse(ok.body).Expiration, '2024-05-01T11:59:30Z');
      assert.equal((await get(throttled.port, '/v2/credentials/slack-intel-test')).status, 429);
      assert.equal((await get(throttled.port, '/v2/credentials/slack-intel-test')).status, 200);
    } finally {
      await open.stop();
      await throttled.stop();
    }
  });
});
