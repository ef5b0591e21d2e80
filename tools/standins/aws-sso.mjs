#!/usr/bin/env node
// Stand-in for the IAM Identity Center (SSO) portal API's GetRoleCredentials, the call the
// AWS CLI makes for an sso_session / sso_start_url profile once it holds an access token.
//
// Followed:
// - AWS IAM Identity Center Portal API Reference: "GetRoleCredentials", "RoleCredentials",
//   "Common Errors"; the service model (botocore data/sso/2019-06-10/service-2.json:
//   rest-json, error shapes with HTTP statuses).
// - What the real portal answers for a role the user may not use: 403 with
//   {"message":"No access","__type":"com.amazonaws.switchboard.portal#ForbiddenException"}
//   (seen in aws-cli / Granted / SAM CLI reports). ForbiddenException is not in the API model,
//   which only lists ResourceNotFoundException (404); clients meet the 403.
//
// Request:  GET /federation/credentials?role_name=ROLE&account_id=ACCOUNT
//           x-amz-sso_bearer_token: ACCESS_TOKEN           (not SigV4-signed)
// Success:  200 application/json
//           {"roleCredentials":{"accessKeyId":"ASIA...","secretAccessKey":"...",
//            "sessionToken":"...","expiration":1714568400000}}   expiration: epoch MILLISECONDS
// Errors:   application/json {"message":"...","__type":"com.amazonaws.switchboard.portal#<Code>"},
//           with header x-amzn-ErrorType: <Code>
//   401 UnauthorizedException     "Session token not found or invalid" (missing, wrong or
//                                 expired token; the portal does not tell them apart)
//   400 InvalidRequestException   role_name or account_id missing
//   403 ForbiddenException        "No access": role/account not assigned to the user
//   405 MethodNotAllowedException not GET on /federation/credentials
//   404 (plain JSON message)      any other path
//   500 InternalServerException   --fail-first with --fail-mode server
//   429 TooManyRequestsException  --fail-first with --fail-mode throttle
//
// Flags:
//   --expected-token TOKEN   the access token that is accepted (required)
//   --expired-token TOKEN    a token that is answered like an expired session (401)
//   --role-name NAME         a role assigned to the user; repeatable (default SlackIntelReadOnly)
//   --account-id ID          the account the roles live in (default 123456789012)
//   --expires-in-seconds N   expiration = now + N seconds (default 3600)
//   --fail-first N, --fail-mode server|throttle, --log FILE, --now ISO, --seed S (aws-common.mjs)
import http from 'node:http';
import { listen } from './listen.mjs';
import {
  CredentialIssuer, intFlag, makeClock, makeFaultInjector, makeRequestLog, newRequestId, parseFlags, redacted,
  send, splitTarget, usageError,
} from './aws-common.mjs';

const USAGE = `usage: node aws-sso.mjs --expected-token TOKEN [--expired-token TOKEN] [--role-name NAME]...
  [--account-id ID] [--expires-in-seconds N] [--fail-first N] [--fail-mode server|throttle]
  [--log FILE] [--now ISO] [--seed S]
`;

const flags = parseFlags({
  'expected-token': { type: 'string' },
  'expired-token': { type: 'string' },
  'role-name': { type: 'string', multiple: true },
  'account-id': { type: 'string' },
}, USAGE);
if (!flags['expected-token']) usageError('--expected-token is required', USAGE);

const config = {
  expectedToken: flags['expected-token'],
  expiredToken: flags['expired-token'],
  roleNames: flags['role-name'] ?? ['SlackIntelReadOnly'],
  accountId: flags['account-id'] ?? '123456789012',
  expiresInSeconds: intFlag(flags, 'expires-in-seconds', 3600, USAGE),
};
const now = makeClock(flags, USAGE);
const faults = makeFaultInjector(flags, USAGE);
const log = makeRequestLog(flags, 'sso');
const issuer = new CredentialIssuer('ASIASSOTEST', flags.seed);

class PortalError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function handle(req, res) {
  const requestId = newRequestId();
  const { rawPath, rawQuery } = splitTarget(req.url);
  const query = new URLSearchParams(rawQuery);
  const token = req.headers['x-amz-sso_bearer_token'];
  const entry = { method: req.method, path: rawPath, query: rawQuery,
    headers: { 'x-amz-sso_bearer_token': redacted(token), 'user-agent': req.headers['user-agent'] ?? null },
    auth: 'none' };
  let status = 200;
  let body;
  const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId };
  try {
    if (faults.shouldFail()) {
      entry.injected_failure = faults.mode;
      throw faults.mode === 'throttle'
        ? new PortalError(429, 'TooManyRequestsException', 'Too many requests')
        : new PortalError(500, 'InternalServerException', 'An internal error occurred');
    }
    if (rawPath !== '/federation/credentials') {
      status = 404;
      body = JSON.stringify({ message: 'Not Found' });
      entry.code = 'NotFound';
    } else {
      if (req.method !== 'GET') throw new PortalError(405, 'MethodNotAllowedException', 'Method not allowed');
      if (token === undefined || token === '') {
        entry.auth = 'missing';
        throw new PortalError(401, 'UnauthorizedException', 'Session token not found or invalid');
      }
      if (config.expiredToken !== undefined && token === config.expiredToken) {
        entry.auth = 'expired';
        throw new PortalError(401, 'UnauthorizedException', 'Session token not found or invalid');
      }
      if (token !== config.expectedToken) {
        entry.auth = 'invalid';
        throw new PortalError(401, 'UnauthorizedException', 'Session token not found or invalid');
      }
      entry.auth = 'valid';
      const roleName = query.get('role_name');
      const accountId = query.get('account_id');
      if (!roleName || !accountId) {
        throw new PortalError(400, 'InvalidRequestException',
          `${!roleName ? 'role_name' : 'account_id'} is a required query parameter`);
      }
      if (accountId !== config.accountId || !config.roleNames.includes(roleName)) {
        throw new PortalError(403, 'ForbiddenException', 'No access');
      }
      const creds = issuer.issue();
      entry.issued_access_key_id = creds.accessKeyId;
      body = JSON.stringify({
        roleCredentials: {
          accessKeyId: creds.accessKeyId,
          secretAccessKey: creds.secretAccessKey,
          sessionToken: creds.sessionToken,
          expiration: now() + config.expiresInSeconds * 1000,
        },
      });
      entry.code = 'OK';
    }
  } catch (err) {
    if (!(err instanceof PortalError)) throw err;
    status = err.status;
    entry.code = err.code;
    headers['x-amzn-ErrorType'] = err.code;
    body = JSON.stringify({ message: err.message, __type: `com.amazonaws.switchboard.portal#${err.code}` });
  }
  entry.status = status;
  log(entry);
  send(res, status, headers, body);
}

const server = http.createServer((req, res) => {
  // GetRoleCredentials has no body; drain whatever a client sends anyway.
  req.resume();
  req.on('end', () => {
    try {
      handle(req, res);
    } catch (err) {
      process.stderr.write(`aws-sso: ${err.stack}\n`);
      if (!res.headersSent) send(res, 500, { 'Content-Type': 'text/plain' }, 'stand-in error\n');
    }
  });
});
await listen(server);
