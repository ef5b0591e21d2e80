#!/usr/bin/env node
// Stand-in for the container credentials endpoint: what AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
// (ECS task roles, served at http://169.254.170.2<uri>) or AWS_CONTAINER_CREDENTIALS_FULL_URI
// (+ AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE], EKS Pod Identity and others) point to. Tests
// reach it through AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:PORT/v2/credentials/ID.
//
// Followed:
// - AWS SDKs and Tools Reference Guide, "Container credential provider" (GET on the URI; the
//   token goes verbatim in the Authorization header; full URIs must be https, loopback or the
//   ECS/EKS link-local addresses).
// - Amazon ECS Developer Guide, "Amazon ECS task IAM role" (169.254.170.2 + relative URI).
// - The endpoints' own code, since no API reference exists: the ECS container agent
//   (agent/handlers/v1/credentials_handler.go: response fields, error codes) and the EKS Pod
//   Identity Agent (pkg/handlers/eks_credential_handler.go, pkg/errors/errors.go: the
//   Authorization check and its plain-text errors).
//
// GET <--path>  [Authorization: TOKEN]
//   200 application/json
//     {"RoleArn":"arn:aws:iam::123456789012:role/slack-intel-task","AccessKeyId":"ASIA...",
//      "SecretAccessKey":"...","Token":"...","Expiration":"2024-05-01T13:00:00Z"}
//   400 application/json {"code":"InvalidIdInRequest","message":"CredentialsV2Request: ID not found"}
//       for another id under /v2/credentials/, {"code":"NoIdInRequest",...} for none (ECS agent)
//   400 text/plain "Service account token cannot be empty"         (with --expected-token, no header)
//   400 text/plain "...(InvalidTokenException): ..., fault: client" (with --expected-token, wrong token;
//       the Pod Identity Agent passes EKS Auth's 400 on)
//   404 any other path (ECS agent)
//   500 application/json {"code":"InternalServerError","message":"Internal server error"}
//       --fail-first with --fail-mode server
//   429 text/plain "Too Many Requests. ..." --fail-first with --fail-mode throttle (Pod Identity Agent)
//
// Flags:
//   --path PATH             credentials path served (default /v2/credentials/slack-intel-test)
//   --expected-token TOKEN  require Authorization: TOKEN (default: no check, like the ECS agent)
//   --role-arn ARN          RoleArn in the response (default arn:aws:iam::123456789012:role/slack-intel-task)
//   --expires-in-seconds N  Expiration = now + N (default 3600)
//   --fail-first N, --fail-mode server|throttle, --log FILE, --now ISO, --seed S (aws-common.mjs)
import http from 'node:http';
import { listen } from './listen.mjs';
import {
  CredentialIssuer, intFlag, isoSeconds, makeClock, makeFaultInjector, makeRequestLog, newRequestId, parseFlags,
  redacted, send, splitTarget, usageError,
} from './aws-common.mjs';

const USAGE = `usage: node aws-ecs.mjs [--path PATH] [--expected-token TOKEN] [--role-arn ARN]
  [--expires-in-seconds N] [--fail-first N] [--fail-mode server|throttle] [--log FILE] [--now ISO]
  [--seed S]
`;

const flags = parseFlags({
  'path': { type: 'string' },
  'expected-token': { type: 'string' },
  'role-arn': { type: 'string' },
}, USAGE);

const config = {
  path: flags.path ?? '/v2/credentials/slack-intel-test',
  expectedToken: flags['expected-token'],
  roleArn: flags['role-arn'] ?? 'arn:aws:iam::123456789012:role/slack-intel-task',
  expiresInSeconds: intFlag(flags, 'expires-in-seconds', 3600, USAGE),
};
if (!config.path.startsWith('/')) usageError('--path must start with /', USAGE);
const now = makeClock(flags, USAGE);
const faults = makeFaultInjector(flags, USAGE);
const log = makeRequestLog(flags, 'ecs');
const issuer = new CredentialIssuer('ASIAECSTEST', flags.seed);

function handle(req, entry) {
  const { rawPath } = splitTarget(req.url);
  const json = (status, value) => ({ status, type: 'application/json', body: JSON.stringify(value) });
  // http.Error in Go: text/plain, message plus a newline.
  const plain = (status, message) => ({ status, type: 'text/plain; charset=utf-8', body: `${message}\n` });

  if (faults.shouldFail()) {
    entry.injected_failure = faults.mode;
    return faults.mode === 'throttle'
      ? plain(429, 'Too Many Requests. Rate exceeded')
      : json(500, { code: 'InternalServerError', message: 'Internal server error' });
  }
  if (rawPath !== config.path) {
    // The ECS agent's answers for a wrong or missing credentials id.
    const v2 = /^\/v2\/credentials\/?(.*)$/.exec(rawPath);
    if (v2 && v2[1] === '') {
      return json(400, { code: 'NoIdInRequest', message: 'CredentialsV2Request: No ID in the request' });
    }
    if (v2) return json(400, { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: ID not found' });
    return plain(404, '404 page not found');
  }
  if (req.method !== 'GET') return plain(405, 'Method Not Allowed');

  if (config.expectedToken !== undefined) {
    const token = req.headers.authorization;
    if (token === undefined || token === '') {
      entry.auth = 'missing';
      return plain(400, 'Service account token cannot be empty');
    }
    if (token !== config.expectedToken) {
      entry.auth = 'invalid';
      return plain(400, `[${newRequestId()}]: (InvalidTokenException): ` +
        'The specified Kubernetes service account token is invalid., fault: client');
    }
    entry.auth = 'valid';
  }

  const creds = issuer.issue();
  entry.issued_access_key_id = creds.accessKeyId;
  return json(200, {
    RoleArn: config.roleArn,
    AccessKeyId: creds.accessKeyId,
    SecretAccessKey: creds.secretAccessKey,
    Token: creds.sessionToken,
    Expiration: isoSeconds(now() + config.expiresInSeconds * 1000),
  });
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const { rawPath, rawQuery } = splitTarget(req.url);
    const entry = { method: req.method, path: rawPath, query: rawQuery, auth: 'none', headers: {
      'authorization': redacted(req.headers.authorization),
      'user-agent': req.headers['user-agent'] ?? null,
    } };
    try {
      const out = handle(req, entry);
      entry.status = out.status;
      log(entry);
      send(res, out.status, { 'Content-Type': out.type }, out.body);
    } catch (err) {
      process.stderr.write(`aws-ecs: ${err.stack}\n`);
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'stand-in error\n');
    }
  });
});
await listen(server);
